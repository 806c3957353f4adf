import { browser } from '$app/environment';
import { page } from '$app/state';

// In the browser: the time when the page started, ticking every 30 seconds so "just now" becomes
// "1 minute ago" by itself; and, once the page has hydrated, the browser's own time zone.
const ticking = $state({ now: Date.now(), zone: null as string | null });
if (browser) setInterval(() => (ticking.now = Date.now()), 30_000);

/**
 * The time relative dates are measured from, and the time zone times are shown in. On the server
 * the time is read afresh for each page (one module-level time there would be the time the server
 * started), and the zone is the page's: the one the root layout chose for the request (see
 * time-zone.ts). The browser hydrates in that same zone, then follows its own.
 */
export const clock: { readonly now: number; readonly zone: string } = browser
	? {
			get now() {
				return ticking.now;
			},
			get zone() {
				return ticking.zone ?? page.data.timeZone ?? 'UTC';
			}
		}
	: {
			get now() {
				return Date.now();
			},
			get zone() {
				return page.data.timeZone ?? 'UTC';
			}
		};

/** After hydration: times follow the browser's time zone from now on. Returns it. */
export function followBrowserTimeZone(): string {
	return (ticking.zone = Intl.DateTimeFormat().resolvedOptions().timeZone);
}
