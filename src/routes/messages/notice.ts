import type { RequestEvent } from '@sveltejs/kit';
import { db } from '$lib/server/db';
import { getThread } from '$lib/server/threads';
import { flash } from './flash';

// What an action did to a thread, said by the page it redirects to ("“Lunch” moved to Deleted."),
// in a read-once cookie (flash.ts) holding what was done and the thread's id.

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

export interface Flashed {
	done: Done;
	threadId: string;
}

const notice = flash<Flashed>('notice', (value) => {
	const [done, threadId = ''] = value.split(':');
	return (DONE as readonly string[]).includes(done) ? { done: done as Done, threadId } : null;
});

/** Has the next page say what was done to the thread. */
export function flashNotice(event: Event, done: Done, threadId: string) {
	notice.set(event, `${done}:${threadId}`);
}

/**
 * The notice flashed to this page, unless `wanted` leaves it for another; taken, it is gone.
 * Only what the cookie says: nothing is known of the thread until `noticeOf` looks.
 */
export const takeNotice = (event: Event, wanted?: (flashed: Flashed) => boolean) =>
	notice.take(event, wanted);

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
