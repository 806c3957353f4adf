// How times read, in the page's language. In UTC, so the server and the browser write the same
// text; the relative part moves on in the browser as the clock does (clock.svelte.ts).
import { m } from '$lib/paraglide/messages';
import { getLocale } from '$lib/paraglide/runtime';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** Building an Intl formatter is costly: one per kind and language, made on first use. */
function cached<T>(make: (locale: string) => T): () => T {
	const made = new Map<string, T>();
	return () => {
		// English dates read day-month-year, 24-hour ("30 Nov, 14:05"), as before translation.
		const current = getLocale();
		const locale = current === 'en' ? 'en-GB' : current;
		let formatter = made.get(locale);
		if (!formatter) made.set(locale, (formatter = make(locale)));
		return formatter;
	};
}

const relative = cached((locale) => new Intl.RelativeTimeFormat(locale, { numeric: 'auto' }));
const dateFormat = (options: Intl.DateTimeFormatOptions) =>
	cached((locale) => new Intl.DateTimeFormat(locale, { ...options, timeZone: 'UTC' }));
const shortDate = dateFormat({ day: 'numeric', month: 'short' });
const shortDateWithYear = dateFormat({ day: 'numeric', month: 'short', year: 'numeric' });
const exact = dateFormat({ dateStyle: 'full', timeStyle: 'short' });
const longDate = dateFormat({ dateStyle: 'long' });

/** "just now", "5 minutes ago", "3 hours ago", "yesterday", "4 days ago", then "12 Nov". */
export function relativeTime(date: Date, now: number): string {
	const ago = now - date.getTime();
	if (ago < MINUTE) return m.just_now();
	if (ago < HOUR) return relative().format(-Math.floor(ago / MINUTE), 'minute');
	if (ago < DAY) return relative().format(-Math.floor(ago / HOUR), 'hour');
	if (ago < 7 * DAY) return relative().format(-Math.floor(ago / DAY), 'day');
	const sameYear = date.getUTCFullYear() === new Date(now).getUTCFullYear();
	return (sameYear ? shortDate : shortDateWithYear)().format(date);
}

/** "Monday, 30 November 2026 at 03:27 UTC". */
export function exactTime(date: Date): string {
	return `${exact().format(date)} UTC`;
}

/** "in 4 minutes", "in 1 hour": how long until a wait is over, for a message that says so. */
export function waitText(seconds: number): string {
	if (seconds < 60) return relative().format(seconds, 'second');
	const minutes = Math.ceil(seconds / 60);
	if (minutes < 60) return relative().format(minutes, 'minute');
	return relative().format(Math.ceil(minutes / 60), 'hour');
}

/** The calendar day (UTC) a date falls on, as a key: "2026-11-30". */
export function dayOf(date: Date): string {
	return date.toISOString().slice(0, 10);
}

/** A day heading: "Today", "Yesterday" or "30 November 2026". */
export function dayLabel(date: Date, now: number): string {
	const days = Math.round((Date.parse(dayOf(new Date(now))) - Date.parse(dayOf(date))) / DAY);
	if (days === 0) return m.day_today();
	if (days === 1) return m.day_yesterday();
	return longDate().format(date);
}
