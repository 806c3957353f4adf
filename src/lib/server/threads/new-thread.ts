import { sql } from 'drizzle-orm';
import { MAX_RECIPIENTS, messageField, subjectField } from '../../schemas';
import { m } from '$lib/paraglide/messages';
import { preparedPerDb, type DB } from '../db/client';
import { participants, threads } from '../db/schema';
import { firstUseOf, formTokenOf, recordToken, sendOnce } from '../form-tokens';
import { notifyMessageSent } from '../message-sent';
import { notifyMailbox } from '../live/events';
import { emailDelay, queueEmails } from '../email/outbox';
import { MessagingError, excerptOf, lockedNow, newThreadId, usernameOf, valid } from './common';
import { insertMessage, messageFields, type NewThread, type Sent } from './sent-message';

// Writing a new thread: its row, its first message and everyone's mailbox row, in one statement.

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
