import { browser } from '$app/environment';

// In the browser: the time when the page started, ticking every 30 seconds so "just now" becomes
// "1 minute ago" by itself.
const ticking = $state({ now: Date.now() });
if (browser) setInterval(() => (ticking.now = Date.now()), 30_000);

/**
 * The time relative dates are measured from. On the server it is read afresh for each page:
 * one module-level time there would be the time the server started.
 */
export const clock: { readonly now: number } = browser
	? ticking
	: {
			get now() {
				return Date.now();
			}
		};
