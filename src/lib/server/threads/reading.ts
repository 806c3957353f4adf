import { and, eq, sql } from 'drizzle-orm';
import { preparedPerDb, type DB } from '../db/client';
import { messages, participants, threads, userBlocks, users } from '../db/schema';
import { isThreadId, notifySelf } from './common';

// Reading a thread, which marks it read.

/** A thread as one participant sees it: the thread's row and the participant's own. */
const threadAsSeen = {
	id: threads.id,
	subject: threads.subject,
	participantNames: threads.participantNames,
	lastMessageId: participants.lastMessageId,
	readMessageId: participants.readMessageId,
	deleted: sql<boolean>`${participants.deletedAt} is not null`,
	archived: sql<boolean>`${participants.archivedAt} is not null`,
	muted: sql<boolean>`${participants.mutedAt} is not null`,
	/** Left: the history they had, to read only. */
	left: sql<boolean>`${participants.leftAt} is not null`,
	/** Their history starts after this message (0: they see it all). */
	visibleFrom: participants.visibleFromMessageId
};

/** The thread as `userId` sees it, or null when it does not exist or they are not in it. */
export async function getThread(db: DB, userId: number, threadId: string) {
	if (!isThreadId(threadId)) return null;
	const [thread] = await db
		.select(threadAsSeen)
		.from(participants)
		.innerJoin(threads, eq(threads.id, participants.threadId))
		.where(and(eq(participants.threadId, threadId), eq(participants.userId, userId)));
	return thread ?? null;
}

/** How many messages a thread page shows: its newest, with a link to the ones before. */
export const MESSAGES_PER_PAGE = 50;

/** Which page of a thread to show: before or after a message id (the page cursors). */
export interface ThreadPageAt {
	before?: number;
	after?: number;
}

/**
 * The thread page: the thread (with its participants' names) and a page of its messages, oldest
 * first. Asked for none in particular, it is the page where reading starts: the newest messages,
 * or, when more than a page is unread, the first page of unread ones. The thread is marked read
 * up to the newest message shown. Thread and messages are read by one statement over the
 * messages' (thread, id) index, so what is shown is one moment of the thread, a reply committed
 * after it is not shown and stays unread, and a page costs the same in a thread of any length.
 */
export async function openThread(db: DB, userId: number, threadId: string, at: ThreadPageAt = {}) {
	if (!isThreadId(threadId)) return null;
	const [row] = await openThreadStatement(db).execute({
		userId,
		threadId,
		before: at.after === undefined ? (at.before ?? null) : null,
		after: at.after ?? null
	});
	if (!row) return null;
	const { messages: json, from, fromHasEarlier, blocked, ...thread } = row;
	// One message more than a page tells whether there are more: read forwards from `from`, the
	// extra one is the newest; read backwards, it is the oldest.
	const rows = JSON.parse(json) as ShownMessage[];
	const more = rows.length > MESSAGES_PER_PAGE;
	const page = from === null ? rows.slice(more ? 1 : 0) : rows.slice(0, MESSAGES_PER_PAGE);
	const shown = page.map((message) => ({ ...message, sentAt: new Date(message.sentAt) }));
	const newest = shown.at(-1)?.id ?? 0;
	const markedRead = thread.readMessageId < newest;
	if (markedRead) await markRead(db, userId, threadId, newest);
	return {
		thread,
		/** The others in the thread whom the user blocks. */
		blocked,
		messages: shown,
		/** Pass as `before` for the page of earlier messages; null when there are none. */
		earlier: (from === null ? more : fromHasEarlier) ? shown[0].id : null,
		/** Pass as `after` for the page of later messages; null when this page has the newest. */
		later: newest < thread.lastMessageId ? newest : null,
		/** The first message shown that was unread until this call: where reading starts. */
		firstUnread: shown.find((message) => message.id > thread.readMessageId)?.id ?? null,
		/** Whether this call moved the read mark, and so the user's unread count may have changed. */
		markedRead
	};
}

interface ShownMessage {
	id: number;
	sender: string;
	/** Sent by the user who opened the thread. */
	mine: boolean;
	content: string;
	sentAt: string;
	/** A `MessageKind`: a message, or a timeline event (added `about`, left, renamed). */
	kind: number;
	about: string | null;
	/** The event is about the user who opened the thread. */
	aboutMe: boolean | null;
}

const openThreadStatement = preparedPerDb((db) => {
	const page = MESSAGES_PER_PAGE + 1;
	const before = sql`${sql.placeholder('before')}::bigint`;
	const after = sql`${sql.placeholder('after')}::bigint`;
	// The messages this user has been sent, in the thread's (thread_id, id) index: none from
	// before their history starts, none after they left.
	const sent = sql`thread_id = ${participants.threadId} and id <= ${participants.lastMessageId}
		and id > ${participants.visibleFromMessageId}`;
	// Where a page read forwards starts (after this id): `after` when asked, unless nothing is
	// after it; asked for no page, the read mark when more than a page is unread. Null: the page
	// is read backwards from `before`, or from the newest message.
	const from = sql`case
		when ${after} < ${participants.lastMessageId} then ${after}
		when ${after} is null and ${before} is null and (
			select count(*) from (
				select from ${messages} where ${sent} and id > ${participants.readMessageId} limit ${page}
			) unread
		) > ${MESSAGES_PER_PAGE} then ${participants.readMessageId}
	end`;
	return db
		.select({
			...threadAsSeen,
			from: sql<number | null>`start.id`.mapWith(Number),
			// The others in the thread whom the user blocks (the page offers Unblock for them).
			blocked: sql<
				string[]
			>`array(select u.username from ${userBlocks} b join ${users} u on u.id = b.blocked_id
				where b.blocker_id = ${participants.userId} and u.username = any(${threads.participantNames}))`,
			// Whether a page read forwards has messages before it.
			fromHasEarlier: sql<boolean>`start.id is not null and exists (
				select from ${messages} where ${sent} and id <= start.id)`,
			// A page of messages, oldest first. The page's ids alone come first: an index-only
			// scan of (thread_id, id), forwards or backwards, stopped after one page, which the
			// planner picks in a thread of any length (asked for whole rows, it reads every
			// message of the thread and sorts them). One of the two scans is empty.
			messages: sql<string>`(
				select coalesce(json_agg(json_build_object(
					'id', m.id, 'sender', u.username, 'mine', m.sender_id = ${participants.userId},
					'content', m.content, 'sentAt', m.sent_at, 'kind', m.kind, 'about', a.username,
					'aboutMe', m.about_user_id = ${participants.userId}
				) order by m.id), '[]')::text
				from (
					(select id from ${messages}
					where ${sent} and start.id is null and id < coalesce(${before}, ${Number.MAX_SAFE_INTEGER})
					order by id desc limit ${page})
					union all
					(select id from ${messages}
					where ${sent} and id > start.id
					order by id limit ${page})
				) page
				join ${messages} m on m.id = page.id
				join ${users} u on u.id = m.sender_id
				left join ${users} a on a.id = m.about_user_id)`
		})
		.from(participants)
		.innerJoin(threads, eq(threads.id, participants.threadId))
		.crossJoinLateral(sql`(select ${from} as id offset 0) start`)
		.where(
			and(
				eq(participants.threadId, sql.placeholder('threadId')),
				eq(participants.userId, sql.placeholder('userId'))
			)
		)
		.prepare('open_thread');
});

/**
 * Marks the thread read for `userId` up to message `upTo`; never moves the read mark back, nor
 * past the thread's newest message, so a reply yet to come is always unread.
 */
export async function markRead(db: DB, userId: number, threadId: string, upTo: number) {
	if (!isThreadId(threadId)) return false;
	const updated = await db
		.update(participants)
		.set({
			readMessageId: sql`least(greatest(${participants.readMessageId}, ${upTo}), ${participants.lastMessageId})`
		})
		.where(and(eq(participants.threadId, threadId), eq(participants.userId, userId)))
		.returning({ threadId: participants.threadId, notified: notifySelf(userId, threadId) });
	return updated.length > 0;
}
