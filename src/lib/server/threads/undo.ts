import { and, eq, isNull, sql, type SQL } from 'drizzle-orm';
import type { DB } from '../db/client';
import { participants } from '../db/schema';
import { notifyMailbox } from '../live/events';
import { folderPredicate, type Folder } from '../mailbox';
import { isThreadId } from './common';
import { MAX_SELECTION, type Previous, type StateColumn } from './selection';

// Putting back what an action changed, and marking a whole folder read.

const p = participants;
const notifyRow = notifyMailbox(
	sql`json_build_object('k', 'self', 'u', json_build_array(${p.userId}), 't', ${p.threadId})`
);

const columnSql: Record<StateColumn, { name: string; value: (v: SQL) => SQL }> = {
	archivedAt: { name: 'archived_at', value: (v) => sql`${v}::timestamptz` },
	deletedAt: { name: 'deleted_at', value: (v) => sql`${v}::timestamptz` },
	mutedAt: { name: 'muted_at', value: (v) => sql`${v}::timestamptz` },
	// Never past the newest message: unread stays `last_message_id > read_message_id`.
	readMessageId: {
		name: 'read_message_id',
		value: (v) => sql`least(${v}::bigint, ${p.lastMessageId})`
	}
};

/**
 * Puts `columns` of the user's threads back as `previous` says (what `actOnThreads` returned,
 * back from the page's Undo form, so checked: only the user's own rows, in one statement).
 * How many threads it changed.
 */
export async function undoAction(
	db: DB,
	userId: number,
	columns: StateColumn[],
	previous: Previous[]
): Promise<number> {
	const rows = previous.filter((row) => isThreadId(row.thread)).slice(0, MAX_SELECTION);
	if (!rows.length || !columns.length) return 0;
	const values = sql.join(
		rows.map(
			(row) =>
				sql`(${row.thread}::text, ${sql.join(
					columns.map((column) => sql`${row[column] === null ? null : String(row[column])}::text`),
					sql`, `
				)})`
		),
		sql`, `
	);
	const names = columns.map((column) => columnSql[column].name).join(', ');
	const set = Object.fromEntries(
		columns.map((column) => [
			column,
			columnSql[column].value(sql.raw(`v.${columnSql[column].name}`))
		])
	);
	const updated = await db
		.update(p)
		.set(set)
		.from(sql`(values ${values}) as v(thread_id, ${sql.raw(names)})`)
		.where(and(eq(p.userId, userId), sql`${p.threadId} = v.thread_id`, isNull(p.leftAt)))
		.returning({ thread: p.threadId, notified: notifyRow });
	return updated.length;
}

/**
 * Marks every thread of the user's folder read, up to `seen`, the newest message the page
 * showed: one that came after it stays unread. How many threads it changed.
 */
export async function markAllRead(db: DB, userId: number, folder: Folder, seen: number) {
	const upTo = sql`least(${p.lastMessageId}, ${seen})`;
	const updated = await db
		.update(p)
		.set({ readMessageId: upTo })
		.where(
			and(
				eq(p.userId, userId),
				sql`${p.readMessageId} < ${upTo}`,
				sql`${p.threadId} in (select p.thread_id from participants p
					where p.user_id = ${userId} and ${folderPredicate(folder)})`
			)
		)
		.returning({ thread: p.threadId, notified: notifyRow });
	return updated.length;
}
