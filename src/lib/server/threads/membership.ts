import { and, eq, sql } from 'drizzle-orm';
import { isolate } from '$lib/bidi';
import { m } from '$lib/paraglide/messages';
import { subjectField } from '../../schemas';
import type { SessionUser } from '../auth';
import type { DB } from '../db/client';
import { MessageKind, threads } from '../db/schema';
import { maxRecipients } from '../limits';
import { resolveRecipients } from '../recipients';
import { isThreadId, usernameOf, valid } from './common';
import { getThread } from './reading';
import { runChange } from './timeline';

// Group threads: adding people, leaving (and coming back at once, Undo), renaming. Any member
// may do each; each is one statement with its timeline event (timeline.ts).

/** How long after leaving Undo may bring the leaver back. */
const REJOIN_MINUTES = 10;

/** The thread's names with the people an event is about. */
const namesWithAbout = sql`array(
	select name from unnest(locked.names || array(select username from about)) name order by name)`;

export type Added = { added: string[]; error?: never } | { error: string; added?: never };

/**
 * Adds the people the field `to` names (the recipient rules of a new thread: resolveRecipients)
 * to the thread, as `by`, who is in it. They see the messages from now on, or all of them with
 * `shareHistory`. Someone who left is added back on their own row. Naming someone already in
 * is an error that adds no one, as is going over the maximum. Null when `by` is not in it.
 */
export async function addPeople(
	db: DB,
	input: { by: Pick<SessionUser, 'id'>; threadId: string; to: string; shareHistory: boolean }
): Promise<Added | null> {
	if (!isThreadId(input.threadId)) return null;
	const resolved = await resolveRecipients(db, input.by, input.to);
	if (resolved.error !== undefined) {
		// Not in it: the same "no such thread" as for anyone else, whatever the names.
		const thread = await getThread(db, input.by.id, input.threadId);
		return thread && !thread.left ? { error: resolved.error } : null;
	}
	const ids = resolved.users.map((user) => user.id).join(',');
	// From now: the history starts after the thread's newest message (the adder's, read locked).
	const from = input.shareHistory ? sql`0` : sql`locked.last_message_id`;
	const row = await runChange(db, {
		by: input.by.id,
		threadId: input.threadId,
		kind: MessageKind.added,
		before: sql`asked as (
			select u.id, u.username, u.username = any(locked.names) as present
			from users u, locked where u.id = any(string_to_array(${ids}, ',')::int[]))`,
		// All or no one (someone already in is an error); within the recipients' maximum, plus
		// the thread's starter.
		about: sql`select id, username from asked
			where not exists (select from asked where present)
				and (select count(*) from asked) + (select cardinality(names) from locked)
					<= ${maxRecipients() + 1}`,
		names: namesWithAbout,
		joinedVisibleFrom: from,
		joinedRead: from,
		result: { already: sql`array(select username from asked where present order by username)` }
	});
	if (!row) return null;
	const already = row.already as string[];
	if (already.length) return { error: m.already_in_thread({ names: quoted(already) }) };
	if (row.joined.length === 0)
		return { error: m.rule_too_many_people({ max: maxRecipients() + 1 }) };
	return { added: row.joined };
}

const quoted = (names: string[]) =>
	names.map((name) => m.quoted({ text: isolate(name) })).join(', ');

/**
 * `userId` leaves the thread: it leaves all their folders for good (replies skip them), the
 * others see that they left. They keep the history they had, to read only. The last one out
 * removes the thread. False when they are not in it.
 */
export async function leaveThread(db: DB, userId: number, threadId: string) {
	const row = await runChange(db, {
		by: userId,
		threadId,
		kind: MessageKind.left,
		names: sql`array_remove(locked.names, ${usernameOf(userId)})`,
		actor: (event) => sql`update participants set left_at = now(), last_message_id = ${event},
				read_message_id = ${event}
			from locked where participants.thread_id = locked.thread_id
				and participants.user_id = ${userId}::int
			returning participants.user_id`
	});
	if (!row) return false;
	if (row.names.length === 0) await deleteEmptyThread(db, threadId);
	return true;
}

/** Removed only while no one is in it: someone may have come back since. */
async function deleteEmptyThread(db: DB, threadId: string) {
	await db
		.delete(threads)
		.where(and(eq(threads.id, threadId), sql`cardinality(${threads.participantNames}) = 0`));
}

/**
 * Undo of Leave, within minutes: `userId` is back in, with the history they had and their read
 * mark. False when they did not just leave it.
 */
export async function rejoinThread(db: DB, userId: number, threadId: string) {
	const row = await runChange(db, {
		by: userId,
		threadId,
		kind: MessageKind.added,
		actorLeft: true,
		leftWithin: REJOIN_MINUTES,
		about: sql`select id, username from users where id = ${userId}::int`,
		names: namesWithAbout,
		joinedVisibleFrom: sql`locked.visible_from_message_id`,
		joinedRead: sql`locked.read_message_id`
	});
	return row !== null;
}

/** Gives the thread a new subject (the rules of compose). False when `by` is not in it. */
export async function renameThread(db: DB, by: number, threadId: string, subject: string) {
	const newSubject = valid(subjectField, subject);
	const row = await runChange(db, {
		by,
		threadId,
		kind: MessageKind.renamed,
		names: sql`locked.names`,
		subject: sql`${newSubject}::text`,
		content: sql`${newSubject}`
	});
	return row !== null;
}
