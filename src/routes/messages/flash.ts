import type { RequestEvent } from '@sveltejs/kit';
import { cookieOptions } from '$lib/server/http/cookies';

// What an action did, said by the page it redirects to: a cookie that page reads once. Not the
// URL: the redirect keeps the Location of SPEC §3, and a reload, a bookmark or Back never shows
// it again, long after it was news. Only the mailbox's pages read it; a minute is ample to
// follow a redirect.

type Event = Pick<RequestEvent, 'cookies' | 'url'>;

const options = (url: URL) => ({ ...cookieOptions(url), path: '/messages', maxAge: 60 });

/** A read-once cookie named `name`, whose text `parse` reads back (null: not one of ours). */
export function flash<T>(name: string, parse: (value: string) => T | null) {
	return {
		set(event: Event, value: string) {
			event.cookies.set(name, value, options(event.url));
		},
		/** What was flashed to this page, unless `wanted` leaves it for another; taken, it is gone. */
		take(event: Event, wanted?: (flashed: T) => boolean): T | null {
			const value = event.cookies.get(name);
			if (value === undefined) return null;
			const flashed = parse(value);
			if (flashed !== null && wanted && !wanted(flashed)) return null;
			event.cookies.delete(name, options(event.url));
			return flashed;
		}
	};
}
