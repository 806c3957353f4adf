import { and, eq, inArray, isNull, sql, type SQL } from 'drizzle-orm';
import { alias, type PgUpdateSetSource } from 'drizzle-orm/pg-core';
import type { DB } from '../db/client';
import { messages, participants } from '../db/schema';
import { notifyMailbox } from '../live/events';
import { isThreadId } from './common';

// What a user does to threads they chose (one from its page, or a listing's selection): each
// action is one statement over all of them, which also returns each changed row's previous
// state, so that Undo can put exactly that back.

/** The columns an action may change, and what Undo puts back. */
export type StateColumn = 'archivedAt' | 'deletedAt' | 'mutedAt' | 'readMessageId';
/** A changed thread's previous state: ISO times (null: unset) and the read mark. */
export type Previous = { thread: string } & Partial<Record<StateColumn, string | number | null>>;

/** The most threads one action takes: a listing's page, and room to spare. */
export const MAX_SELECTION = 50;

const p = participants;
/** The row as it was when the statement began (a self-join sees the old version). */
const old = alias(participants, 'old');
const now = sql`now()`;
const upToOf = (seen?: number) =>
	seen === undefined ? sql`${p.lastMessageId}` : sql`least(${p.lastMessageId}, ${seen})`;
/** Whether the thread has no message newer than the page showed (`seen`): Archive and Delete never hide one. */
const noNewer = (seen?: number) =>
	seen === undefined ? undefined : sql`${p.lastMessageId} <= ${seen}`;

interface Action {
	columns: StateColumn[];
	set: (seen?: number) => PgUpdateSetSource<typeof participants>;
	/** Only the rows it changes, so the count is what changed and Undo has only those. */
	changes: (seen?: number) => SQL | undefined;
}

export const ACTIONS = {
	// Out of Deleted too: archived is where the user put it.
	archive: {
		columns: ['archivedAt', 'deletedAt'],
		set: () => ({ archivedAt: sql`coalesce(${p.archivedAt}, ${now})`, deletedAt: null }),
		changes: (seen) =>
			and(sql`(${p.archivedAt} is null or ${p.deletedAt} is not null)`, noNewer(seen))
	},
	unarchive: {
		columns: ['archivedAt'],
		set: () => ({ archivedAt: null }),
		changes: () => sql`${p.archivedAt} is not null`
	},
	delete: {
		columns: ['deletedAt'],
		set: () => ({ deletedAt: now }),
		changes: (seen) => and(isNull(p.deletedAt), noNewer(seen))
	},
	read: {
		columns: ['readMessageId'],
		set: (seen) => ({ readMessageId: upToOf(seen) }),
		changes: (seen) => sql`${p.readMessageId} < ${upToOf(seen)}`
	},
	// Unread from its newest message: read up to the one before it.
	unread: {
		columns: ['readMessageId'],
		set: () => ({
			readMessageId: sql`coalesce((select max(${messages.id}) from ${messages}
				where ${messages.threadId} = ${p.threadId} and ${messages.id} < ${p.lastMessageId}), 0)`
		}),
		changes: () => sql`${p.readMessageId} >= ${p.lastMessageId}`
	},
	mute: {
		columns: ['mutedAt'],
		set: () => ({ mutedAt: now }),
		changes: () => isNull(p.mutedAt)
	},
	unmute: {
		columns: ['mutedAt'],
		set: () => ({ mutedAt: null }),
		changes: () => sql`${p.mutedAt} is not null`
	}
} satisfies Record<string, Action>;

export type ActionName = keyof typeof ACTIONS;

/** Tells each changed row's user's other tabs (one notice per thread). */
const notifyRow = notifyMailbox(
	sql`json_build_object('k', 'self', 'u', json_build_array(${p.userId}), 't', ${p.threadId})`
);

/**
 * Does `action` to the user's threads among `threadIds`; ids of threads they are not in (or
 * left), or that are malformed, change nothing. `seen`: the newest message the page showed.
 * Returns the changed threads with their previous state.
 */
export async function actOnThreads(
	db: DB,
	userId: number,
	action: ActionName,
	threadIds: string[],
	seen?: number
): Promise<Previous[]> {
	const ids = [...new Set(threadIds.filter(isThreadId))].slice(0, MAX_SELECTION);
	if (!ids.length) return [];
	const { columns, set, changes } = ACTIONS[action] as Action;
	const rows = await db
		.update(p)
		.set(set(seen))
		.from(old)
		.where(
			and(
				eq(p.userId, userId),
				inArray(p.threadId, ids),
				isNull(p.leftAt),
				eq(old.threadId, p.threadId),
				eq(old.userId, p.userId),
				changes(seen)
			)
		)
		.returning({
			thread: p.threadId,
			archivedAt: old.archivedAt,
			deletedAt: old.deletedAt,
			mutedAt: old.mutedAt,
			readMessageId: old.readMessageId,
			notified: notifyRow
		});
	return rows.map((row) => {
		const previous: Previous = { thread: row.thread };
		for (const column of columns) {
			const value = row[column];
			previous[column] = value instanceof Date ? value.toISOString() : value;
		}
		return previous;
	});
}
