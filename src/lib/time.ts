// How times read. In UTC, so the server and the browser write the same text; the relative part
// moves on in the browser as the clock does (clock.svelte.ts).

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

const relative = new Intl.RelativeTimeFormat('en', { numeric: 'auto' });
const shortDate = new Intl.DateTimeFormat('en-GB', {
	day: 'numeric',
	month: 'short',
	timeZone: 'UTC'
});
const shortDateWithYear = new Intl.DateTimeFormat('en-GB', {
	day: 'numeric',
	month: 'short',
	year: 'numeric',
	timeZone: 'UTC'
});
const exact = new Intl.DateTimeFormat('en-GB', {
	dateStyle: 'full',
	timeStyle: 'short',
	timeZone: 'UTC'
});
const longDate = new Intl.DateTimeFormat('en-GB', { dateStyle: 'long', timeZone: 'UTC' });

/** "just now", "5 minutes ago", "3 hours ago", "yesterday", "4 days ago", then "12 Nov". */
export function relativeTime(date: Date, now: number): string {
	const ago = now - date.getTime();
	if (ago < MINUTE) return 'just now';
	if (ago < HOUR) return relative.format(-Math.floor(ago / MINUTE), 'minute');
	if (ago < DAY) return relative.format(-Math.floor(ago / HOUR), 'hour');
	if (ago < 7 * DAY) return relative.format(-Math.floor(ago / DAY), 'day');
	const sameYear = date.getUTCFullYear() === new Date(now).getUTCFullYear();
	return (sameYear ? shortDate : shortDateWithYear).format(date);
}

/** "Monday, 30 November 2026 at 03:27 UTC". */
export function exactTime(date: Date): string {
	return `${exact.format(date)} UTC`;
}

/** The calendar day (UTC) a date falls on, as a key: "2026-11-30". */
export function dayOf(date: Date): string {
	return date.toISOString().slice(0, 10);
}

/** A day heading: "Today", "Yesterday" or "30 November 2026". */
export function dayLabel(date: Date, now: number): string {
	const days = Math.round((Date.parse(dayOf(new Date(now))) - Date.parse(dayOf(date))) / DAY);
	if (days === 0) return 'Today';
	if (days === 1) return 'Yesterday';
	return longDate.format(date);
}
