import { sql, type SQL } from 'drizzle-orm';

/** The channel on which every write tells every instance whose mailbox it changed. */
export const MAILBOX_CHANNEL = 'courier_mailbox';

/**
 * What a NOTIFY on the channel carries (short keys: a payload must stay under 8,000 bytes, and
 * 50 recipients' ids, a name and a subject of 150 characters fit easily).
 */
export type MailboxNotice =
	/** A message reached `u` (the thread's participants, sender included). */
	| { k: 'message'; u: number[]; t: string; m: number; f: number; s: string; j: string }
	/** `u` changed their own mailbox (read, deleted, restored): their other tabs follow. */
	| { k: 'self'; u: number[]; t: string };

/**
 * A column for a write statement's result that sends `notice` (SQL building a JSON object) on
 * the channel. NOTIFY belongs to the transaction: it goes out on commit only, never on rollback,
 * and costs no statement of its own.
 */
export function notifyMailbox(notice: SQL): SQL<unknown> {
	return sql`pg_notify(${sql.raw(`'${MAILBOX_CHANNEL}'`)}, (${notice})::text)`;
}

/** The notice a payload holds, or null for one this version does not know. */
export function parseNotice(payload: string): MailboxNotice | null {
	try {
		const notice = JSON.parse(payload) as MailboxNotice;
		return Array.isArray(notice.u) && (notice.k === 'message' || notice.k === 'self')
			? notice
			: null;
	} catch {
		return null;
	}
}
