import { and, count, desc, eq, isNotNull, isNull, lt, sql, type SQL } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import type { DB } from './db/client';
import { messages, participants, threads, users } from './db/schema';

export const PAGE_SIZE = 20;
const EXCERPT_LENGTH = 140;

// Each folder is the predicate of its partial index (see schema.ts), written the same way so
// the planner can use it.
const folders = {
	inbox: isNull(participants.deletedAt),
	unread: and(
		isNull(participants.deletedAt),
		sql`${participants.lastMessageId} > ${participants.readMessageId}`
	),
	deleted: isNotNull(participants.deletedAt)
} satisfies Record<string, SQL | undefined>;

export type Folder = keyof typeof folders;

const sender = alias(users, 'sender');

export interface ThreadSummary {
	id: string;
	subject: string;
	/** Everyone in the thread but the user, by username. */
	others: string[];
	sender: string;
	excerpt: string;
	sentAt: Date;
	unread: boolean;
}

export interface ThreadPage {
	threads: ThreadSummary[];
	/** Pass as `before` for the next, older page; null on the last page. */
	older: number | null;
}

/**
 * One page of a folder, newest activity first: a single statement at any mailbox size. `before`
 * is the `older` cursor of the previous page (keyset pagination).
 */
export async function listThreads(
	db: DB,
	userId: number,
	folder: Folder,
	before?: number
): Promise<ThreadPage> {
	const rows = await db
		.select({
			id: participants.threadId,
			subject: threads.subject,
			others: sql<string[]>`array(
				select u.username from participants o join users u on u.id = o.user_id
				where o.thread_id = ${participants.threadId} and o.user_id <> ${participants.userId}
				order by u.username)`,
			sender: sender.username,
			// Collapsed before it is cut: a message of indented lines would lose its ellipsis.
			excerpt: sql<string>`left(regexp_replace(${messages.content}, '\\s+', ' ', 'g'), ${EXCERPT_LENGTH * 2})`,
			sentAt: messages.sentAt,
			unread: sql<boolean>`${participants.lastMessageId} > ${participants.readMessageId}`,
			lastMessageId: participants.lastMessageId
		})
		.from(participants)
		.innerJoin(threads, eq(threads.id, participants.threadId))
		.innerJoin(messages, eq(messages.id, participants.lastMessageId))
		.innerJoin(sender, eq(sender.id, messages.senderId))
		.where(
			and(
				eq(participants.userId, userId),
				folders[folder],
				before === undefined ? undefined : lt(participants.lastMessageId, before)
			)
		)
		.orderBy(desc(participants.lastMessageId))
		.limit(PAGE_SIZE + 1);

	const page = rows.slice(0, PAGE_SIZE);
	return {
		threads: page.map(({ lastMessageId: _, ...row }) => ({
			...row,
			excerpt: excerpt(row.excerpt)
		})),
		older: rows.length > PAGE_SIZE ? page[page.length - 1].lastMessageId : null
	};
}

function excerpt(content: string): string {
	// By code points, so an emoji is never cut in half.
	const chars = Array.from(content.replace(/\s+/g, ' ').trim());
	return chars.length > EXCERPT_LENGTH ? `${chars.slice(0, EXCERPT_LENGTH - 1).join('')}…` : chars.join('');
}

/** Threads in the inbox that are unread for the user (threads, not messages). */
export async function countUnread(db: DB, userId: number): Promise<number> {
	const [row] = await db
		.select({ n: count() })
		.from(participants)
		.where(and(eq(participants.userId, userId), folders.unread));
	return row.n;
}

/** What every page knows of the signed-in user's mail (SPEC §4). */
export async function getMailbox(db: DB, userId: number) {
	const [inbox, unread, unreadCount] = await Promise.all([
		listThreads(db, userId, 'inbox'),
		listThreads(db, userId, 'unread'),
		countUnread(db, userId)
	]);
	return {
		inboxThreads: inbox.threads,
		olderInbox: inbox.older,
		unreadThreads: unread.threads,
		unreadCount
	};
}
