// How times read, in the page's language and the reader's time zone (clock.svelte.ts says which:
// the server and the browser write the same text). The relative part moves on in the browser as
// the clock does.
import { m } from '$lib/paraglide/messages';
import { getLocale } from '$lib/paraglide/runtime';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** Building an Intl formatter is costly: one per kind, language and zone, made on first use. */
function cached<T>(make: (locale: string, timeZone: string) => T): (timeZone?: string) => T {
	const made = new Map<string, T>();
	return (timeZone = 'UTC') => {
		// English dates read day-month-year, 24-hour ("30 Nov, 14:05"), as before translation.
		const current = getLocale();
		const locale = current === 'en' ? 'en-GB' : current;
		const key = `${locale} ${timeZone}`;
		let formatter = made.get(key);
		if (!formatter) made.set(key, (formatter = make(locale, timeZone)));
		return formatter;
	};
}

const relative = cached((locale) => new Intl.RelativeTimeFormat(locale, { numeric: 'auto' }));
const dateFormat = (options: Intl.DateTimeFormatOptions) =>
	cached((locale, timeZone) => new Intl.DateTimeFormat(locale, { ...options, timeZone }));
const shortDate = dateFormat({ day: 'numeric', month: 'short' });
const shortDateWithYear = dateFormat({ day: 'numeric', month: 'short', year: 'numeric' });
const exact = dateFormat({
	weekday: 'long',
	day: 'numeric',
	month: 'long',
	year: 'numeric',
	hour: '2-digit',
	minute: '2-digit',
	timeZoneName: 'short'
});
const longDate = dateFormat({ dateStyle: 'long' });
const calendarDay = cached(
	(_, timeZone) =>
		new Intl.DateTimeFormat('en-US', {
			year: 'numeric',
			month: '2-digit',
			day: '2-digit',
			timeZone
		})
);

/**
 * The calendar day a date falls on in a time zone, as a key: "2026-11-30". From `format`'s
 * "11/30/2026", not `formatToParts`, whose array of objects cost a listing row about 8 µs.
 */
export function dayOf(date: Date, timeZone: string): string {
	const [month, day, year] = calendarDay(timeZone).format(date).split('/');
	return `${year}-${month}-${day}`;
}

// Today in the last zone asked, for the minute asked: a page's rows all ask it, each with the
// time of its own render. Every zone's offset today is a whole number of minutes.
let today = { zone: '', minute: NaN, day: '' };

function todayOf(now: number, timeZone: string): string {
	const minute = Math.floor(now / MINUTE);
	if (today.zone !== timeZone || today.minute !== minute)
		today = { zone: timeZone, minute, day: dayOf(new Date(now), timeZone) };
	return today.day;
}

/** How many midnights of the zone lie between two days ("2026-11-28", "2026-11-30": 2). */
const daysBetween = (day: string, later: string) =>
	Math.round((Date.parse(later) - Date.parse(day)) / DAY);

/** "just now", "5 minutes ago", "3 hours ago", "yesterday", "4 days ago", then "12 Nov". */
export function relativeTime(date: Date, now: number, timeZone: string): string {
	const ago = now - date.getTime();
	if (ago < MINUTE) return m.just_now();
	if (ago < HOUR) return relative().format(-Math.floor(ago / MINUTE), 'minute');
	// By the calendar: "yesterday" is the day before today where the reader is, not 24–48 hours
	// ago. (A day with a clock change has 23 or 25 hours.)
	const day = dayOf(date, timeZone);
	const current = todayOf(now, timeZone);
	const days = daysBetween(day, current);
	if (ago < DAY || days === 0) return relative().format(-Math.floor(ago / HOUR), 'hour');
	if (days < 7) return relative().format(-days, 'day');
	const sameYear = day.slice(0, 4) === current.slice(0, 4);
	return (sameYear ? shortDate : shortDateWithYear)(timeZone).format(date);
}

/** "Monday, 30 November 2026 at 03:27 UTC", "Sunday, 29 November 2026 at 19:27 GMT-8". */
export function exactTime(date: Date, timeZone: string): string {
	return exact(timeZone).format(date);
}

/** "in 4 minutes", "in 1 hour": how long until a wait is over, for a message that says so. */
export function waitText(seconds: number): string {
	if (seconds < 60) return relative().format(seconds, 'second');
	const minutes = Math.ceil(seconds / 60);
	if (minutes < 60) return relative().format(minutes, 'minute');
	return relative().format(Math.ceil(minutes / 60), 'hour');
}

/** A day heading: "Today", "Yesterday" or "30 November 2026", by the zone's calendar. */
export function dayLabel(date: Date, now: number, timeZone: string): string {
	const days = daysBetween(dayOf(date, timeZone), todayOf(now, timeZone));
	if (days === 0) return m.day_today();
	if (days === 1) return m.day_yesterday();
	return longDate(timeZone).format(date);
}
