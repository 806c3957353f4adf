import { and, eq, isNull, sql } from 'drizzle-orm';
import { messageField } from '../../schemas';
import { preparedPerDb, type DB } from '../db/client';
import { participants, threads } from '../db/schema';
import { firstUseOf, formTokenOf, recordToken, sendOnce } from '../form-tokens';
import { notifyMessageSent } from '../message-sent';
import { notifyMailbox } from '../live/events';
import { emailDelay, queueEmails } from '../email/outbox';
import { requestFromIn, requestWaitsIn, RequestPendingError } from './requests';
import { excerptOf, isParticipant, isThreadId, lockedNow, usernameOf, valid } from './common';
import { insertMessage, messageFields, type Sent } from './sent-message';

// Writing a reply: the thread's row, the message and everyone's mailbox moved on, in one statement.

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
