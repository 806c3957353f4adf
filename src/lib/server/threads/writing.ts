import { and, eq, isNull, sql, type Placeholder } from 'drizzle-orm';
import type { WithSubqueryWithSelection } from 'drizzle-orm/pg-core';
import { MAX_RECIPIENTS, messageField, subjectField } from '../../schemas';
import { m } from '$lib/paraglide/messages';
import { preparedPerDb, type DB } from '../db/client';
import { messages, participants, threads } from '../db/schema';
import { firstUseOf, formTokenOf, recordToken, sendOnce } from '../form-tokens';
import { notifyMessageSent } from '../message-sent';
import { notifyMailbox } from '../live/events';
import { emailDelay, queueEmails } from '../email/outbox';
import { requestFromIn, requestWaitsIn, RequestPendingError } from './requests';
import {
	MessagingError,
	excerptOf,
	isParticipant,
	isThreadId,
	lockedNow,
	newThreadId,
	usernameOf,
	valid
} from './common';

// Writing messages: a new thread, and a reply.

export interface NewThread {
	from: number;
	to: number[];
	subject: string;
	content: string;
	/** The form's one-time token (form-tokens.ts), if any. */
	token?: string;
	/** Those of `to` it reaches as a message request (recipients.ts says who). */
	requests?: number[];
}

/** A message sent; with `repeated`, the one that the first post of a form's token sent. */
export interface Sent {
	/** `requestIds`: those it reached as a message request (no badge, no announcement, no mail). */
	thread: { id: string; subject: string; participantIds: number[]; requestIds?: number[] };
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

	const requestIds = to.filter((id) => input.requests?.includes(id));
	const thread = {
		id: newThreadId(),
		subject,
		participantIds: [input.from, ...to],
		...(requestIds.length ? { requestIds } : {})
	};
	const token = formTokenOf(input.token);
	const rows = await sendOnce(token, () =>
		startThreadStatement(db).execute({
			id: thread.id,
			from: input.from,
			participantIds: thread.participantIds,
			requestIds,
			subject,
			content,
			excerpt: excerptOf(content),
			token,
			emailDelay: emailDelay()
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
 * each participant (one multi-row insert, however many there are). Those it reaches as a
 * message request get it in Requests, and no live announcement.
 */
const startThreadStatement = preparedPerDb((db) => {
	const from = sql.placeholder('from');
	const participantIds = sql`${sql.placeholder('participantIds')}::int[]`;
	const requestIds = sql`${sql.placeholder('requestIds')}::int[]`;
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
		sql`insert into ${participants} (thread_id, user_id, last_message_id, read_message_id, last_sent_message_id, request_at)
			select ${message.threadId}, member.id, ${message.id},
				case when member.id = ${from}::int then ${message.id} else 0 end,
				case when member.id = ${from}::int then ${message.id} else 0 end,
				case when member.id = any(${requestIds}) then ${message.sentAt} end
			from ${message}, unnest(${participantIds}) as member (id)`
	);
	// Those it reaches as a request get no mail, as no announcement.
	const reached = sql`array(select id from unnest(${participantIds}) id where id <> all(${requestIds}))`;
	const emails = db.$with('emails', {}).as(queueEmails(message, reached, sql`${from}`));
	return db
		.with(thread, message, members, recordToken(db, message, from), emails)
		.select({
			...messageFields(message),
			notified: notifyMailbox(
				sql`json_build_object('k', 'message',
					'u', ${reached},
					't', ${message.threadId},
					'm', ${message.id}, 'f', ${message.senderId}, 's', ${thread.sender},
					'j', ${sql.placeholder('subject')}::text)`
			)
		})
		.from(message)
		.innerJoin(thread, sql`true`)
		.prepare('start_thread');
});

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
			token,
			emailDelay: emailDelay()
		})
	);
	if (!rows) return firstUseOf(db, input.from, token!);
	const [row] = rows;
	if (!row) {
		// Said apart from "no such thread" only on this path, so a reply costs no statement more.
		if (await requestWaitsIn(db, input.from, input.threadId)) throw new RequestPendingError();
		return null;
	}
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
			.where(
				and(
					eq(threads.id, threadId),
					isParticipant(db, from, threadId),
					sql`not ${requestFromIn(from, threadId)}`
				)
			)
			.returning({
				id: threads.id,
				subject: threads.subject,
				sentAt: threads.lastSentAt,
				sender: threads.lastSender
			})
	);
	const message = insertMessage(db, thread, from);
	const isSender = sql`${participants.userId} = ${from}`;
	const members = db.$with('members').as(
		db
			.update(participants)
			.set({
				lastMessageId: sql`${message.id}`,
				// A reply brings the thread back to everyone's inbox from Deleted and Archive, but
				// for those who muted it; the sender's always (they are writing in it).
				deletedAt: sql`case when ${isSender} or ${participants.mutedAt} is null then null else ${participants.deletedAt} end`,
				archivedAt: sql`case when ${isSender} or ${participants.mutedAt} is null then null else ${participants.archivedAt} end`,
				readMessageId: sql`case when ${isSender} then ${message.id} else ${participants.readMessageId} end`,
				lastSentMessageId: sql`case when ${isSender} then ${message.id} else ${participants.lastSentMessageId} end`,
				// Replying to a message request accepts it.
				requestAt: sql`case when ${isSender} then null else ${participants.requestAt} end`
			})
			.from(message)
			.where(and(eq(participants.threadId, message.threadId), isNull(participants.leftAt)))
			.returning({
				userId: participants.userId,
				mutedAt: participants.mutedAt,
				requestAt: participants.requestAt,
				emailOffAt: participants.emailOffAt
			})
	);
	// Mailed: those who have not muted the thread, nor have it in Requests, nor unsubscribed.
	const emails = db.$with('emails', {}).as(
		queueEmails(
			message,
			sql`array(select ${members.userId} from ${members} where ${members.mutedAt} is null
				and ${members.requestAt} is null and ${members.emailOffAt} is null)`,
			sql`${from}`
		)
	);
	return db
		.with(thread, message, members, recordToken(db, message, from), emails)
		.select({
			subject: thread.subject,
			message: messageFields(message),
			participantIds: sql<number[]>`(select array_agg(${members.userId}) from ${members})`,
			notified: notifyMailbox(
				sql`json_build_object('k', 'message',
					'u', (select array_agg(${members.userId}) from ${members} where ${members.requestAt} is null),
					't', ${message.threadId}, 'm', ${message.id}, 'f', ${message.senderId},
					's', ${thread.sender}, 'j', ${thread.subject})`
			)
		})
		.from(message)
		.innerJoin(thread, sql`true`)
		.prepare('reply');
});
