import { encodeBase32LowerCaseNoPadding } from '@oslojs/encoding';
import { and, eq, exists, sql, type Placeholder } from 'drizzle-orm';
import type { WithSubqueryWithSelection } from 'drizzle-orm/pg-core';
import type { z } from 'zod';
import { MAX_RECIPIENTS, THREAD_ID_PATTERN, messageField, subjectField } from '../schemas';
import { m } from '$lib/paraglide/messages';
import { preparedPerDb, type DB } from './db/client';
import { messages, participants, threads, users } from './db/schema';
import { firstUseOf, formTokenOf, recordToken, sendOnce } from './form-tokens';
import { notifyMessageSent } from './message-sent';
import { notifyMailbox } from './live/events';

/** Thrown by the server API for input that breaks the rules of SPEC §5. */
export class MessagingError extends Error {}

function valid<T>(schema: z.ZodType<T>, value: unknown): T {
	const result = schema.safeParse(value);
	if (!result.success) throw new MessagingError(result.error.issues[0].message);
	return result.data;
}

function newThreadId(): string {
	return encodeBase32LowerCaseNoPadding(crypto.getRandomValues(new Uint8Array(10)));
}

// No thread has any other id; and some strings (a NUL byte) would make the query itself fail.
const isThreadId = (id: string) => THREAD_ID_PATTERN.test(id);

const EXCERPT_LENGTH = 140;

/**
 * The one line a listing shows of a message: its words, one space apart, read only as far as
 * the line reaches. Cut by code points, so no emoji is cut in half.
 */
export function excerptOf(content: string): string {
	let line = '';
	for (const [word] of content.matchAll(/\S+/g)) {
		line += line ? ` ${word}` : word;
		// Two code units at most per code point: enough to tell whether the line is too long.
		if (line.length > 2 * EXCERPT_LENGTH) break;
	}
	const chars = Array.from(line.slice(0, 2 * EXCERPT_LENGTH + 2));
	return chars.length > EXCERPT_LENGTH ? `${chars.slice(0, EXCERPT_LENGTH - 1).join('')}…` : line;
}

const usernameOf = (userId: number | Placeholder) =>
	sql<string>`(select username from users where id = ${userId})`;

// The clock when the thread's row is taken, not `now()` (when the transaction began): a reply
// that queued for the row would otherwise be stamped earlier than the message before it.
const lockedNow = sql<Date>`clock_timestamp()`;

export interface NewThread {
	from: number;
	to: number[];
	subject: string;
	content: string;
	/** The form's one-time token (form-tokens.ts), if any. */
	token?: string;
}

/** A message sent; with `repeated`, the one that the first post of a form's token sent. */
export interface Sent {
	thread: { id: string; subject: string; participantIds: number[] };
	message: { id: number; threadId: string; senderId: number; content: string; sentAt: Date };
	repeated?: true;
}

/**
 * pinax's `Message.new_message`: a thread from `from` to `to`, read by the sender only. Sent
 * again with the same `token`, it makes nothing and gives the first thread, `repeated`.
 */
export async function startThread(db: DB, input: NewThread): Promise<Sent> {
	const subject = valid(subjectField, input.subject);
	const content = valid(messageField, input.content);
	const to = [...new Set(input.to)];
	if (to.includes(input.from)) throw new MessagingError(m.not_to_yourself());
	if (to.length === 0) throw new MessagingError(m.rule_no_recipients());
	if (to.length > MAX_RECIPIENTS)
		throw new MessagingError(m.rule_too_many_recipients({ max: MAX_RECIPIENTS }));

	const thread = { id: newThreadId(), subject, participantIds: [input.from, ...to] };
	const token = formTokenOf(input.token);
	const rows = await sendOnce(token, () =>
		startThreadStatement(db).execute({
			id: thread.id,
			from: input.from,
			participantIds: thread.participantIds,
			subject,
			content,
			excerpt: excerptOf(content),
			token
		})
	);
	if (!rows) return firstUseOf(db, input.from, token!);
	const [{ notified, ...message }] = rows;
	await notifyMessageSent({ message, thread, isReply: false });
	return { thread, message };
}

/** The message row the statements below return. */
type MessageCte = ReturnType<typeof insertMessage>;

/**
 * A CTE that inserts the message of `from` into the thread `thread` (a CTE of its row) and
 * gives it back.
 */
function insertMessage(
	db: DB,
	thread: WithSubqueryWithSelection<
		{ id: typeof threads.id; sentAt: typeof threads.lastSentAt },
		string
	>,
	from: Placeholder
) {
	return db
		.$with('message', {
			id: messages.id,
			threadId: messages.threadId,
			senderId: messages.senderId,
			content: messages.content,
			sentAt: messages.sentAt
		})
		.as(
			sql`insert into ${messages} (thread_id, sender_id, content, sent_at)
				select ${thread.id}, ${from}::int, ${sql.placeholder('content')}::text, ${thread.sentAt}
				from ${thread}
				returning id, thread_id, sender_id, content, sent_at`
		);
}

const messageFields = (message: MessageCte) => ({
	id: message.id,
	threadId: message.threadId,
	senderId: message.senderId,
	content: message.content,
	sentAt: message.sentAt
});

/**
 * A new thread in one statement: the thread's row, its first message, and a mailbox row for
 * each participant (one multi-row insert, however many there are).
 */
const startThreadStatement = preparedPerDb((db) => {
	const from = sql.placeholder('from');
	const participantIds = sql`${sql.placeholder('participantIds')}::int[]`;
	const thread = db.$with('thread').as(
		db
			.insert(threads)
			.values({
				id: sql.placeholder('id'),
				subject: sql.placeholder('subject'),
				participantNames: sql`array(select username from users where id = any(${participantIds}) order by username)`,
				lastSender: usernameOf(from),
				lastExcerpt: sql.placeholder('excerpt'),
				lastSentAt: lockedNow
			})
			.returning({ id: threads.id, sentAt: threads.lastSentAt, sender: threads.lastSender })
	);
	const message = insertMessage(db, thread, from);
	const members = db.$with('members', {}).as(
		sql`insert into ${participants} (thread_id, user_id, last_message_id, read_message_id)
			select ${message.threadId}, member.id, ${message.id},
				case when member.id = ${from}::int then ${message.id} else 0 end
			from ${message}, unnest(${participantIds}) as member (id)`
	);
	return db
		.with(thread, message, members, recordToken(db, message, from))
		.select({
			...messageFields(message),
			notified: notifyMailbox(
				sql`json_build_object('k', 'message', 'u', ${participantIds}, 't', ${message.threadId},
					'm', ${message.id}, 'f', ${message.senderId}, 's', ${thread.sender},
					'j', ${sql.placeholder('subject')}::text)`
			)
		})
		.from(message)
		.innerJoin(thread, sql`true`)
		.prepare('start_thread');
});

const isParticipant = (db: DB, userId: number | Placeholder, threadId: string | Placeholder) =>
	exists(
		db
			.select({ one: sql`1` })
			.from(participants)
			.where(and(eq(participants.threadId, threadId), eq(participants.userId, userId)))
	);

/**
 * pinax's `Message.new_reply`. Null when the thread does not exist or `from` is not in it. Sent
 * again with the same `token`, it makes nothing and gives the first reply, `repeated`.
 *
 * One statement: it takes the thread's row (writing the listing summary), inserts the message
 * and moves every participant's mailbox on. Replies to one thread queue on that row, so message
 * ids grow in commit order within the thread and a reader can never skip an unseen message; and
 * as nothing waits on the app while the row is held, the queue moves as fast as the database
 * can insert and commit.
 */
export async function reply(
	db: DB,
	input: { from: number; threadId: string; content: string; token?: string }
): Promise<Sent | null> {
	const content = valid(messageField, input.content);
	if (!isThreadId(input.threadId)) return null;
	const token = formTokenOf(input.token);
	const rows = await sendOnce(token, () =>
		replyStatement(db).execute({
			from: input.from,
			threadId: input.threadId,
			content,
			excerpt: excerptOf(content),
			token
		})
	);
	if (!rows) return firstUseOf(db, input.from, token!);
	const [row] = rows;
	if (!row) return null;
	const sent = {
		thread: { id: input.threadId, subject: row.subject, participantIds: row.participantIds },
		message: row.message
	};
	await notifyMessageSent({ ...sent, isReply: true });
	return sent;
}

const replyStatement = preparedPerDb((db) => {
	const from = sql.placeholder('from');
	const threadId = sql.placeholder('threadId');
	const thread = db.$with('thread').as(
		db
			.update(threads)
			.set({
				lastSender: usernameOf(from),
				// An update's values take a placeholder only inside SQL (an insert's take it bare).
				lastExcerpt: sql`${sql.placeholder('excerpt')}`,
				lastSentAt: lockedNow
			})
			.where(and(eq(threads.id, threadId), isParticipant(db, from, threadId)))
			.returning({
				id: threads.id,
				subject: threads.subject,
				sentAt: threads.lastSentAt,
				sender: threads.lastSender
			})
	);
	const message = insertMessage(db, thread, from);
	const members = db.$with('members').as(
		db
			.update(participants)
			.set({
				lastMessageId: sql`${message.id}`,
				deletedAt: null,
				readMessageId: sql`case when ${participants.userId} = ${from} then ${message.id} else ${participants.readMessageId} end`
			})
			.from(message)
			.where(eq(participants.threadId, message.threadId))
			.returning({ userId: participants.userId })
	);
	return db
		.with(thread, message, members, recordToken(db, message, from))
		.select({
			subject: thread.subject,
			message: messageFields(message),
			participantIds: sql<number[]>`(select array_agg(${members.userId}) from ${members})`,
			notified: notifyMailbox(
				sql`json_build_object('k', 'message', 'u', (select array_agg(${members.userId}) from ${members}),
					't', ${message.threadId}, 'm', ${message.id}, 'f', ${message.senderId},
					's', ${thread.sender}, 'j', ${thread.subject})`
			)
		})
		.from(message)
		.innerJoin(thread, sql`true`)
		.prepare('reply');
});

/** A thread as one participant sees it: the thread's row and the participant's own. */
const threadAsSeen = {
	id: threads.id,
	subject: threads.subject,
	participantNames: threads.participantNames,
	lastMessageId: participants.lastMessageId,
	readMessageId: participants.readMessageId,
	deleted: sql<boolean>`${participants.deletedAt} is not null`
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
	const { messages: json, from, fromHasEarlier, ...thread } = row;
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
}

const openThreadStatement = preparedPerDb((db) => {
	const page = MESSAGES_PER_PAGE + 1;
	const before = sql`${sql.placeholder('before')}::bigint`;
	const after = sql`${sql.placeholder('after')}::bigint`;
	// The messages this user has been sent, in the thread's (thread_id, id) index.
	const sent = sql`thread_id = ${participants.threadId} and id <= ${participants.lastMessageId}`;
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
					'content', m.content, 'sentAt', m.sent_at
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
				join ${users} u on u.id = m.sender_id)`
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

/** Tells the user's other tabs and devices that their mailbox changed. */
const notifySelf = (userId: number, threadId: string) =>
	notifyMailbox(
		sql`json_build_object('k', 'self', 'u', json_build_array(${userId}::int), 't', ${threadId}::text)`
	);

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
