import { and, eq, sql } from 'drizzle-orm';
import type { DB } from '../db/client';
import { participants } from '../db/schema';
import { isThreadId, notifySelf } from './common';

// Where a thread is in one user's mailbox: Inbox, Deleted.

/**
 * Moves the thread to the user's Deleted folder. `seen` is the newest message the user was shown
 * when they chose to delete: if one came after it, the thread stays in the inbox, as a reply just
 * after deleting would have brought it back, so a message nobody has seen is never hidden in the
 * Deleted folder. Whether the thread is now in the Deleted folder; null when they are not in it.
 */
export async function deleteThread(db: DB, userId: number, threadId: string, seen?: number) {
	const deletedAt = sql`coalesce(${participants.deletedAt}, now())`;
	return setDeleted(
		db,
		userId,
		threadId,
		seen === undefined
			? deletedAt
			: sql`case when ${participants.lastMessageId} <= ${seen} then ${deletedAt} else ${participants.deletedAt} end`
	);
}

/** Brings the thread back to the inbox, its read state unchanged; false when the user is not in it. */
export async function restoreThread(db: DB, userId: number, threadId: string) {
	return (await setDeleted(db, userId, threadId, null)) !== null;
}

/** Whether the thread is deleted for the user afterwards; null when they are not in it. */
async function setDeleted(
	db: DB,
	userId: number,
	threadId: string,
	deletedAt: ReturnType<typeof sql> | null
): Promise<boolean | null> {
	if (!isThreadId(threadId)) return null;
	const [updated] = await db
		.update(participants)
		.set({ deletedAt })
		.where(and(eq(participants.threadId, threadId), eq(participants.userId, userId)))
		.returning({
			deleted: sql<boolean>`${participants.deletedAt} is not null`,
			notified: notifySelf(userId, threadId)
		});
	return updated?.deleted ?? null;
}
