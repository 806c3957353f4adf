import { browser } from '$app/environment';

/**
 * The time relative dates are measured from: fixed while the server renders a page, ticking
 * every 30 seconds in the browser so "just now" becomes "1 minute ago" by itself.
 */
export const clock = $state({ now: Date.now() });

if (browser) setInterval(() => (clock.now = Date.now()), 30_000);
