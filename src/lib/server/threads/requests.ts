import { and, eq, isNotNull, isNull, sql, type Placeholder } from 'drizzle-orm';
import { m } from '$lib/paraglide/messages';
import type { DB } from '../db/client';
import { participants, threads, users } from '../db/schema';
import { MessagingError, isThreadId, notifySelf } from './common';

// Message requests: a stranger's first message waits in the recipient's Requests folder until
// they accept it (or reply), or decline it; its sender may not write again until then.

/** A reply refused: the sender's first message still waits to be accepted. */
export class RequestPendingError extends MessagingError {
	constructor() {
		super(m.request_waiting());
	}
}

/** Whether `from` started the thread and someone still has it as a pending request. */
export const requestFromIn = (from: number | Placeholder, threadId: string | Placeholder) =>
	sql<boolean>`(exists (
		select from participants r
		where r.thread_id = ${threadId} and r.user_id <> ${from}
			and r.request_at is not null and r.left_at is null
	) and (select sender_id from messages where thread_id = ${threadId} order by id limit 1) = ${from})`;

/**
 * Whether `from` is in the thread (not left: a leaver can write nothing, request or not) and waits
 * for their first message in it to be accepted.
 */
export async function requestWaitsIn(db: DB, from: number, threadId: string): Promise<boolean> {
	if (!isThreadId(threadId)) return false;
	const [row] = await db
		.select({ waits: requestFromIn(from, threadId) })
		.from(participants)
		.where(
			and(
				eq(participants.threadId, threadId),
				eq(participants.userId, from),
				isNull(participants.leftAt)
			)
		);
	return row?.waits ?? false;
}

const pendingFor = (userId: number, threadId: string) =>
	and(
		eq(participants.threadId, threadId),
		eq(participants.userId, userId),
		isNotNull(participants.requestAt),
		isNull(participants.leftAt)
	);

/** Moves a message request to the inbox; false when the user has no such request. */
export async function acceptRequest(db: DB, userId: number, threadId: string) {
	if (!isThreadId(threadId)) return false;
	const updated = await db
		.update(participants)
		.set({ requestAt: null })
		.where(pendingFor(userId, threadId))
		.returning({ notified: notifySelf(userId, threadId) });
	return updated.length > 0;
}

/**
 * Declines a message request: the thread leaves the user's mailbox for good (left, unseen by
 * its sender). The sender's username, to offer blocking them; null when there is no such request.
 */
export async function declineRequest(db: DB, userId: number, threadId: string) {
	if (!isThreadId(threadId)) return null;
	const declined = db.$with('declined').as(
		db
			.update(participants)
			.set({ leftAt: sql`now()` })
			.where(pendingFor(userId, threadId))
			.returning({ userId: participants.userId, notified: notifySelf(userId, threadId) })
	);
	// Out of the thread's names too, as one who leaves: no later change of the thread (someone
	// added, a rename) counts them in again.
	const names = db.$with('names').as(
		db
			.update(threads)
			.set({
				participantNames: sql`array_remove(${threads.participantNames},
					(select username from ${users} where id = ${userId}))`
			})
			.where(and(eq(threads.id, threadId), sql`exists (select from ${declined})`))
			.returning({ id: threads.id })
	);
	const [row] = await db
		.with(declined, names)
		.select({
			sender: sql<string>`(select u.username from messages m join users u on u.id = m.sender_id
				where m.thread_id = ${threadId} order by m.id limit 1)`,
			names: sql`(select count(*) from ${names})`
		})
		.from(declined);
	return row?.sender ?? null;
}
