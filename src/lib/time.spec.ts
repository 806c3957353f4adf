import { describe, expect, it } from 'vitest';
import { dayLabel, dayOf, exactTime, relativeTime, waitText } from './time';

const now = Date.parse('2026-11-30T12:00:00Z');
const before = (ms: number) => new Date(now - ms);
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
// Far from UTC on either side: 14 hours ahead, and 8 behind in November (7 in summer time).
const KIRITIMATI = 'Pacific/Kiritimati';
const LOS_ANGELES = 'America/Los_Angeles';

describe('relativeTime', () => {
	it('counts up from just now to days, then gives the date', () => {
		expect(relativeTime(before(20_000), now, 'UTC')).toBe('just now');
		expect(relativeTime(before(MINUTE), now, 'UTC')).toBe('1 minute ago');
		expect(relativeTime(before(59 * MINUTE), now, 'UTC')).toBe('59 minutes ago');
		expect(relativeTime(before(3 * HOUR), now, 'UTC')).toBe('3 hours ago');
		expect(relativeTime(before(DAY), now, 'UTC')).toBe('yesterday');
		expect(relativeTime(before(6 * DAY), now, 'UTC')).toBe('6 days ago');
		expect(relativeTime(before(8 * DAY), now, 'UTC')).toBe('22 Nov');
		expect(relativeTime(new Date('2025-03-04T10:00:00Z'), now, 'UTC')).toBe('4 Mar 2025');
	});

	it('says just now for a time a little ahead, from a clock that is behind', () => {
		expect(relativeTime(new Date(now + 5_000), now, 'UTC')).toBe('just now');
	});

	it('counts days by the calendar of the reader’s zone, not by 24 hours', () => {
		// 47 hours before noon on the 30th is 13:00 on the 28th: two days ago, not yesterday.
		expect(relativeTime(before(47 * HOUR), now, 'UTC')).toBe('2 days ago');
		// 01:00 UTC on the 29th is still the 28th in Los Angeles, and already the 29th in Kiritimati.
		expect(relativeTime(new Date('2026-11-29T01:00:00Z'), now, 'UTC')).toBe('yesterday');
		expect(relativeTime(new Date('2026-11-29T01:00:00Z'), now, LOS_ANGELES)).toBe('2 days ago');
		expect(relativeTime(new Date('2026-11-29T01:00:00Z'), now, KIRITIMATI)).toBe('2 days ago');
		// Noon UTC is 02:00 on 1 December in Kiritimati: 09:00 UTC on the 29th was 23:00 on the 29th.
		expect(relativeTime(new Date('2026-11-29T09:00:00Z'), now, KIRITIMATI)).toBe('2 days ago');
		expect(relativeTime(new Date('2026-11-29T10:30:00Z'), now, KIRITIMATI)).toBe('yesterday');
	});

	it('gives the date and year as the reader’s zone has them', () => {
		expect(relativeTime(new Date('2026-11-22T03:00:00Z'), now, 'UTC')).toBe('22 Nov');
		expect(relativeTime(new Date('2026-11-22T03:00:00Z'), now, LOS_ANGELES)).toBe('21 Nov');
		// New Year's Eve still in Los Angeles: 20 December is this year there.
		const newYear = Date.parse('2027-01-01T05:00:00Z');
		const december = new Date('2026-12-20T12:00:00Z');
		expect(relativeTime(december, newYear, 'UTC')).toBe('20 Dec 2026');
		expect(relativeTime(december, newYear, LOS_ANGELES)).toBe('20 Dec');
	});

	it('keeps to hours within one calendar day of 25 hours (the end of summer time)', () => {
		// 1 November 2026 in Los Angeles: 00:10 PDT to 23:30 PST is 24 hours 20 minutes.
		const late = Date.parse('2026-11-02T07:30:00Z');
		const early = new Date('2026-11-01T07:10:00Z');
		expect(dayOf(early, LOS_ANGELES)).toBe(dayOf(new Date(late), LOS_ANGELES));
		expect(relativeTime(early, late, LOS_ANGELES)).toBe('24 hours ago');
	});
});

describe('exactTime and days', () => {
	it('writes the full date and time in the reader’s zone, naming it', () => {
		const date = new Date('2026-11-30T03:27:00Z');
		expect(exactTime(date, 'UTC')).toBe('Monday, 30 November 2026 at 03:27 UTC');
		expect(exactTime(date, LOS_ANGELES)).toBe('Sunday, 29 November 2026 at 19:27 GMT-8');
		expect(exactTime(date, KIRITIMATI)).toBe('Monday, 30 November 2026 at 17:27 GMT+14');
	});

	it('names today and yesterday by the calendar, not by 24 hours', () => {
		expect(dayOf(new Date('2026-11-30T00:10:00Z'), 'UTC')).toBe('2026-11-30');
		expect(dayLabel(new Date('2026-11-30T00:10:00Z'), now, 'UTC')).toBe('Today');
		expect(dayLabel(new Date('2026-11-29T23:50:00Z'), now, 'UTC')).toBe('Yesterday');
		expect(dayLabel(new Date('2026-11-28T23:50:00Z'), now, 'UTC')).toBe('28 November 2026');
	});

	it('turns the day at midnight in the reader’s zone', () => {
		// Noon UTC on the 30th: 02:00 on 1 December in Kiritimati, 04:00 on the 30th in Los Angeles.
		expect(dayOf(new Date(now), KIRITIMATI)).toBe('2026-12-01');
		expect(dayLabel(new Date('2026-11-30T10:30:00Z'), now, KIRITIMATI)).toBe('Today');
		expect(dayLabel(new Date('2026-11-30T09:30:00Z'), now, KIRITIMATI)).toBe('Yesterday');
		expect(dayLabel(new Date('2026-11-30T07:50:00Z'), now, LOS_ANGELES)).toBe('Yesterday');
		expect(dayLabel(new Date('2026-11-30T08:10:00Z'), now, LOS_ANGELES)).toBe('Today');
		expect(dayLabel(new Date('2026-11-29T07:50:00Z'), now, LOS_ANGELES)).toBe('28 November 2026');
	});
	it('moves today on at midnight, in the zone asked, whatever was asked just before', () => {
		const noon = new Date('2026-11-29T12:00:00Z');
		expect(dayLabel(noon, Date.parse('2026-11-29T23:59:30Z'), 'UTC')).toBe('Today');
		expect(dayLabel(noon, Date.parse('2026-11-30T00:00:30Z'), 'UTC')).toBe('Yesterday');
		// The same minute in Los Angeles is still the 29th (16:00).
		expect(dayLabel(noon, Date.parse('2026-11-30T00:00:30Z'), LOS_ANGELES)).toBe('Today');
	});
});

describe('waitText', () => {
	it('says how long in the largest whole unit, rounding up', () => {
		expect(waitText(1)).toBe('in 1 second');
		expect(waitText(59)).toBe('in 59 seconds');
		expect(waitText(60)).toBe('in 1 minute');
		expect(waitText(61)).toBe('in 2 minutes');
		expect(waitText(3600)).toBe('in 1 hour');
		expect(waitText(3601)).toBe('in 2 hours');
	});
});

describe('in German', () => {
	it('writes relative and exact times, days and waits in the page’s language', async () => {
		const runtime = await import('$lib/paraglide/runtime');
		runtime.overwriteGetLocale(() => 'de');
		try {
			expect(relativeTime(before(20_000), now, 'UTC')).toBe('gerade eben');
			expect(relativeTime(before(3 * HOUR), now, 'UTC')).toBe('vor 3 Stunden');
			expect(relativeTime(before(DAY), now, 'UTC')).toBe('gestern');
			expect(exactTime(new Date('2026-11-30T03:27:00Z'), 'UTC')).toBe(
				'Montag, 30. November 2026 um 03:27 UTC'
			);
			expect(exactTime(new Date('2026-11-30T03:27:00Z'), 'Europe/Berlin')).toBe(
				'Montag, 30. November 2026 um 04:27 MEZ'
			);
			expect(dayLabel(new Date('2026-11-29T23:50:00Z'), now, 'UTC')).toBe('Gestern');
			expect(waitText(240)).toBe('in 4 Minuten');
		} finally {
			runtime.overwriteGetLocale(() => runtime.baseLocale);
		}
	});
});
