import type { RequestEvent } from '@sveltejs/kit';
import { cookieOptions } from '$lib/server/http/cookies';
import { db } from '$lib/server/db';
import { getThread } from '$lib/server/threads';

// What an action did to a thread, said by the page it redirects to ("“Lunch” moved to Deleted.").
// It travels in a cookie read once, not in the URL: the redirect keeps the Location of SPEC §3,
// and a reload, a bookmark or Back never shows it again, long after it was news.

/**
 * What was done: deleted; kept in the inbox, as a message came after the one seen; restored;
 * left (group threads).
 */
const DONE = ['deleted', 'kept', 'restored', 'left'] as const;
export type Done = (typeof DONE)[number];

export interface Notice {
	done: Done;
	thread: { id: string; subject: string };
}

type Event = Pick<RequestEvent, 'cookies' | 'url'>;

const COOKIE = 'notice';
// Only the mailbox's pages read it; a minute is ample to follow a redirect.
const options = (url: URL) => ({ ...cookieOptions(url), path: '/messages', maxAge: 60 });

/** Has the next page say what was done to the thread. */
export function flashNotice(event: Event, done: Done, threadId: string) {
	event.cookies.set(COOKIE, `${done}:${threadId}`, options(event.url));
}

export interface Flashed {
	done: Done;
	threadId: string;
}

/**
 * The notice flashed to this page, unless `wanted` leaves it for another; taken, it is gone.
 * Only what the cookie says: nothing is known of the thread until `noticeOf` looks.
 */
export function takeNotice(event: Event, wanted?: (flashed: Flashed) => boolean) {
	const value = event.cookies.get(COOKIE);
	if (value === undefined) return null;
	const [done, threadId = ''] = value.split(':');
	const flashed = (DONE as readonly string[]).includes(done)
		? { done: done as Done, threadId }
		: null;
	if (flashed && wanted && !wanted(flashed)) return null;
	event.cookies.delete(COOKIE, options(event.url));
	return flashed;
}

/**
 * The notice as the user sees its thread (one statement): null when they are not in the thread,
 * or when it no longer says what is so ("moved to Deleted" of a thread someone has replied to).
 */
export async function noticeOf(userId: number, flashed: Flashed | null): Promise<Notice | null> {
	if (!flashed) return null;
	const thread = await getThread(db, userId, flashed.threadId);
	if (!thread) return null;
	const stillSo =
		flashed.done === 'left' ? thread.left : thread.deleted === (flashed.done === 'deleted');
	if (!stillSo) return null;
	return { done: flashed.done, thread: { id: thread.id, subject: thread.subject } };
}
