// The time zone a reader sees times in. With JavaScript it is the browser's, which it also keeps
// in a cookie so that the server renders the next page in it (no flash of another time as the
// page hydrates); without, the one chosen on the account page; UTC when neither is known.

/** Set by the browser to its own time zone. */
export const TIME_ZONE_COOKIE = 'time_zone';

// Each valid name once checked: a cookie comes with every request, and there are some 600 names.
const known = new Map<string, string>();

/** The zone's name, as Intl spells it, when `value` is an IANA time zone; else null. */
export function timeZoneOf(value: unknown): string | null {
	if (typeof value !== 'string' || !/^[A-Za-z][\w+\-/]{0,63}$/.test(value)) return null;
	let zone = known.get(value);
	if (!zone) {
		try {
			zone = new Intl.DateTimeFormat('en', { timeZone: value }).resolvedOptions().timeZone;
		} catch {
			return null;
		}
		known.set(value, zone);
	}
	return zone;
}

/** The zone the server renders a page in, for a browser's cookie and the user's saved zone. */
export function shownTimeZone(cookie: string | undefined, saved: string | null | undefined) {
	return timeZoneOf(cookie) ?? saved ?? 'UTC';
}

/** Every zone a reader may choose, UTC first; `saved` too, should this runtime not list it. */
export function timeZoneNames(saved: string | null): string[] {
	const zones = ['UTC', ...Intl.supportedValuesOf('timeZone').filter((zone) => zone !== 'UTC')];
	return saved && !zones.includes(saved) ? [saved, ...zones] : zones;
}
