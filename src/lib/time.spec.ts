import { describe, expect, it } from 'vitest';
import { dayLabel, dayOf, exactTime, relativeTime, waitText } from './time';

const now = Date.parse('2026-11-30T12:00:00Z');
const before = (ms: number) => new Date(now - ms);
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

describe('relativeTime', () => {
	it('counts up from just now to days, then gives the date', () => {
		expect(relativeTime(before(20_000), now)).toBe('just now');
		expect(relativeTime(before(MINUTE), now)).toBe('1 minute ago');
		expect(relativeTime(before(59 * MINUTE), now)).toBe('59 minutes ago');
		expect(relativeTime(before(3 * HOUR), now)).toBe('3 hours ago');
		expect(relativeTime(before(DAY), now)).toBe('yesterday');
		expect(relativeTime(before(6 * DAY), now)).toBe('6 days ago');
		expect(relativeTime(before(8 * DAY), now)).toBe('22 Nov');
		expect(relativeTime(new Date('2025-03-04T10:00:00Z'), now)).toBe('4 Mar 2025');
	});

	it('says just now for a time a little ahead, from a clock that is behind', () => {
		expect(relativeTime(new Date(now + 5_000), now)).toBe('just now');
	});
});

describe('exactTime and days', () => {
	it('writes the full date and time in UTC', () => {
		expect(exactTime(new Date('2026-11-30T03:27:00Z'))).toBe(
			'Monday, 30 November 2026 at 03:27 UTC'
		);
	});

	it('names today and yesterday by the UTC calendar, not by 24 hours', () => {
		expect(dayOf(new Date('2026-11-30T00:10:00Z'))).toBe('2026-11-30');
		expect(dayLabel(new Date('2026-11-30T00:10:00Z'), now)).toBe('Today');
		expect(dayLabel(new Date('2026-11-29T23:50:00Z'), now)).toBe('Yesterday');
		expect(dayLabel(new Date('2026-11-28T23:50:00Z'), now)).toBe('28 November 2026');
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
			expect(relativeTime(before(20_000), now)).toBe('gerade eben');
			expect(relativeTime(before(3 * HOUR), now)).toBe('vor 3 Stunden');
			expect(relativeTime(before(DAY), now)).toBe('gestern');
			expect(exactTime(new Date('2026-11-30T03:27:00Z'))).toBe(
				'Montag, 30. November 2026 um 03:27 UTC'
			);
			expect(dayLabel(new Date('2026-11-29T23:50:00Z'), now)).toBe('Gestern');
			expect(waitText(240)).toBe('in 4 Minuten');
		} finally {
			runtime.overwriteGetLocale(() => runtime.baseLocale);
		}
	});
});
