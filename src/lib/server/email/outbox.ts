import { inArray, sql, type SQL, type SQLWrapper } from 'drizzle-orm';
import type { DB } from '../db/client';
import { EmailNotify, EmailOutcome, emailOutbox, participants, users } from '../db/schema';
import { emailSettings } from './settings';

// The outbox: queued by the statement that stores a message, claimed by the workers (worker.ts).

/**
 * The statement parameter of the delay before a notification is due: null when email is off,
 * and then nothing is queued (turning email on later mails nothing old).
 */
export const emailDelay = () => emailSettings()?.delaySeconds ?? null;

/**
 * An insert, for a CTE of the sending statement (after its `message` CTE), of one pending notification per user of
 * `userIds` (an `int[]`) with a verified address who wants them, but the sender. A pending row
 * for the user and thread makes nothing: the mail it becomes will carry this message too.
 */
export function queueEmails(
	message: { threadId: SQLWrapper; id: SQLWrapper } & SQLWrapper,
	userIds: SQL,
	from: SQL
): SQL {
	const delay = sql`${sql.placeholder('emailDelay')}::float8`;
	return sql`insert into ${emailOutbox} (user_id, thread_id, first_message_id, due_at)
		select ${users.id}, ${message.threadId}, ${message.id}, now() + make_interval(secs => ${delay})
		from ${message}, ${users}
		where ${delay} is not null and ${users.id} = any(${userIds}) and ${users.id} <> ${from}::int
			and ${users.emailVerifiedAt} is not null and ${users.emailNotify} <> ${EmailNotify.never}
		on conflict (user_id, thread_id) where sent_at is null do nothing`;
}

/** A row claimed for sending. */
export interface Claimed {
	id: number;
	userId: number;
	threadId: string;
	firstMessageId: number;
	attempts: number;
}

/**
 * Leases up to `limit` due rows to this worker: rows another holds are skipped, not waited
 * for, and a lease that runs out (its worker died) lets another claim the row again.
 */
export function claimDue(db: DB, limit: number, leaseSeconds: number): Promise<Claimed[]> {
	const due = db
		.select({ id: emailOutbox.id })
		.from(emailOutbox)
		.where(
			sql`sent_at is null and due_at <= now() and (locked_until is null or locked_until < now())`
		)
		.orderBy(emailOutbox.dueAt)
		.limit(limit)
		.for('update', { skipLocked: true });
	return db
		.update(emailOutbox)
		.set({
			lockedUntil: sql`now() + make_interval(secs => ${leaseSeconds}::float8)`,
			attempts: sql`${emailOutbox.attempts} + 1`
		})
		.where(inArray(emailOutbox.id, due))
		.returning({
			id: emailOutbox.id,
			userId: emailOutbox.userId,
			threadId: emailOutbox.threadId,
			firstMessageId: emailOutbox.firstMessageId,
			attempts: emailOutbox.attempts
		});
}

/**
 * Ends a row: sent (or skipped) with the newest message it mailed. A message that came while it
 * was being sent found the row pending and queued nothing: queue it now.
 */
export async function markDone(
	db: DB,
	row: Claimed,
	outcome: number,
	mailedMessageId: number
): Promise<void> {
	const delay = emailDelay() ?? 0;
	await db.transaction(async (tx) => {
		await tx.execute(sql`
			with done as (
				update ${emailOutbox} set sent_at = now(), outcome = ${outcome}::smallint,
					locked_until = null, last_error = null
				where id = ${row.id}),
			mailed as (
				update ${participants}
				set last_emailed_message_id = greatest(last_emailed_message_id, ${mailedMessageId}::bigint)
				where user_id = ${row.userId} and thread_id = ${row.threadId})
			update ${users} set email_error = null
			where id = ${row.userId} and ${outcome}::smallint = ${EmailOutcome.sent}`);
		if (outcome !== EmailOutcome.sent) return;
		await tx.execute(sql`
			insert into ${emailOutbox} (user_id, thread_id, first_message_id, due_at)
			select ${row.userId}, ${row.threadId}, ${mailedMessageId + 1}::bigint,
				now() + make_interval(secs => ${delay}::float8)
			where exists (select 1 from messages where thread_id = ${row.threadId}
				and id > ${mailedMessageId}::bigint and sender_id <> ${row.userId} and kind = 0)
			on conflict (user_id, thread_id) where sent_at is null do nothing`);
	});
}

/** Attempts before a row is given up. */
export const MAX_ATTEMPTS = 8;

/**
 * A failed try: tried again after 2^attempts minutes, unless the refusal is permanent or this
 * was the last try. The user's account page shows the error either way.
 */
export async function markFailed(db: DB, row: Claimed, error: string, permanent: boolean) {
	const final = permanent || row.attempts >= MAX_ATTEMPTS;
	await db.execute(sql`
		with failed as (
			update ${emailOutbox} set last_error = ${error}, locked_until = null,
				due_at = now() + make_interval(mins => ${2 ** row.attempts}::int),
				sent_at = case when ${final} then now() end,
				outcome = case when ${final} then ${EmailOutcome.failed}::smallint end
			where id = ${row.id})
		update ${users} set email_error = ${error} where id = ${row.userId}`);
}
