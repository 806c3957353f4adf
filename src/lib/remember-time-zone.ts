import { TIME_ZONE_COOKIE } from './time-zone';

const YEAR = 365 * 24 * 60 * 60;
let saving = false;

/**
 * Keeps the browser's time zone where the server finds it: in a cookie, so that the next page
 * is rendered in it; and, for a user who has chosen none, on their account, so that pages shown
 * without JavaScript use it too. A zone they chose stays: the account page is where it changes.
 */
export function rememberTimeZone(zone: string, user: { timeZone: string | null } | null) {
	const prefix = `${TIME_ZONE_COOKIE}=`;
	const cookie = document.cookie.split('; ').find((pair) => pair.startsWith(prefix));
	if (cookie !== prefix + encodeURIComponent(zone)) {
		const secure = location.protocol === 'https:' ? '; secure' : '';
		document.cookie = `${prefix}${encodeURIComponent(zone)}; path=/; max-age=${YEAR}; samesite=lax${secure}`;
	}
	if (user && !user.timeZone && !saving) {
		saving = true;
		const body = new FormData();
		body.set('timeZone', zone);
		// Asking for JSON, as an enhanced form does: the answer is not a page to follow. Kept alive,
		// so that leaving the page at once does not cancel it.
		const headers = { accept: 'application/json' };
		// Read to its end, or the browser counts the request as still going.
		fetch('/account?/timeZone', { method: 'POST', body, headers, keepalive: true })
			.then((response) => ((saving = response.ok), response.text()))
			.catch(() => (saving = false));
	}
}
