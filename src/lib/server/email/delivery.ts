import { sql } from 'drizzle-orm';
import type { SendMailOptions, Transporter } from 'nodemailer';
import type { DB } from '../db/client';
import { EmailNotify, EmailOutcome, participants, threads, users } from '../db/schema';
import { notificationMail } from './compose';
import { markDone, markFailed, type Claimed } from './outbox';
import type { EmailSettings } from './settings';

// One claimed row: read what to mail (one statement), mail it, and end the row.

/** The newest messages a mail carries at most; the link leads to the rest. */
const MAX_MESSAGES = 50;

interface Pending {
	to: string | null;
	language: string | null;
	mailable: boolean;
	subject: string;
	messages: { id: number; sender: string; content: string }[];
}

/**
 * What the row's user has not been mailed yet: the messages of others from the row's first on,
 * after the last mailed, and (unless they want every message) after what they have read.
 */
async function pendingOf(db: DB, row: Claimed): Promise<Pending | null> {
	const [pending] = await db
		.select({
			to: users.email,
			language: users.language,
			mailable: sql<boolean>`${users.emailVerifiedAt} is not null
				and ${users.emailNotify} <> ${EmailNotify.never} and ${participants.mutedAt} is null
				and ${participants.requestAt} is null and ${participants.leftAt} is null
				and ${participants.emailOffAt} is null and ${participants.deletedAt} is null`,
			subject: threads.subject,
			messages: sql<Pending['messages']>`coalesce((
				select json_agg(json_build_object('id', x.id, 'sender', x.sender, 'content', x.content)
					order by x.id)
				from (select m.id, s.username as sender, m.content from messages m
					join users s on s.id = m.sender_id
					where m.thread_id = ${participants.threadId} and m.kind = 0
						and m.sender_id <> ${participants.userId}
						and m.id >= ${row.firstMessageId}::bigint and m.id <= ${participants.lastMessageId}
						and m.id > greatest(${participants.lastEmailedMessageId}, ${participants.visibleFromMessageId},
							case when ${users.emailNotify} = ${EmailNotify.always} then 0
							else ${participants.readMessageId} end)
					order by m.id desc limit ${MAX_MESSAGES}) x), '[]'::json)`
		})
		.from(participants)
		.innerJoin(users, sql`${users.id} = ${participants.userId}`)
		.innerJoin(threads, sql`${threads.id} = ${participants.threadId}`)
		.where(
			sql`${participants.userId} = ${row.userId} and ${participants.threadId} = ${row.threadId}`
		);
	return pending ?? null;
}

/** A refusal that trying again will not change (a 5xx reply, such as 550 for the recipient). */
const isPermanent = (error: unknown) => {
	const code = (error as { responseCode?: number }).responseCode;
	return typeof code === 'number' && code >= 500 && code < 600;
};

/** The mail a claimed row becomes, or how it ends unsent. */
export async function mailOf(
	db: DB,
	settings: EmailSettings,
	row: Claimed
): Promise<{ mail: SendMailOptions; upTo: number } | { skipped: number }> {
	const pending = await pendingOf(db, row);
	if (!pending || !pending.mailable || !pending.to) return { skipped: EmailOutcome.skippedOff };
	const messages = pending.messages;
	if (messages.length === 0) return { skipped: EmailOutcome.skippedRead };
	const mail = notificationMail(settings, {
		rowId: row.id,
		userId: row.userId,
		to: pending.to,
		threadId: row.threadId,
		subject: pending.subject,
		messages,
		language: pending.language
	});
	return { mail, upTo: messages[messages.length - 1].id };
}

/**
 * Mails one claimed row and ends it. Should the process die between the server's acceptance and
 * the update, the row is claimed again once the lease ends and mailed again, with the same
 * Message-ID (at-least-once).
 */
export async function deliver(
	db: DB,
	transport: Transporter,
	settings: EmailSettings,
	row: Claimed
): Promise<void> {
	const made = await mailOf(db, settings, row);
	if ('skipped' in made) return markDone(db, row, made.skipped, 0);
	try {
		await transport.sendMail(made.mail);
	} catch (error) {
		const text = error instanceof Error ? error.message : String(error);
		return markFailed(db, row, text.slice(0, 500), isPermanent(error));
	}
	await markDone(db, row, EmailOutcome.sent, made.upTo);
}
