import { sql, type SQL } from 'drizzle-orm';
import type { DB } from '../db/client';
import { MessageKind, messages, participants, threads, usernameKey } from '../db/schema';
import { notifyMailbox } from '../live/events';
import { isThreadId, lockedNow } from './common';

// The timeline events of a thread's membership and subject (membership.ts makes them): one
// statement per change. Each takes the thread's row and the actor's
// `for update`, which reads them as committed by whoever held them before: `participant_names`
// is then the thread's membership, whatever else was running, and the actor's
// `last_message_id` is the thread's newest message.

type Kind = (typeof MessageKind)[keyof typeof MessageKind];

export interface Change {
	by: number;
	threadId: string;
	kind: Kind;
	/** Takes the actor's row while they are in, or (to come back) once they have left. */
	actorLeft?: boolean;
	/** With `actorLeft`: only when they left at most this many minutes ago. */
	leftWithin?: number;
	/** CTEs between `locked` and the rest: the people an event is about, and who asked for it. */
	before?: SQL;
	/** A query of the users the events are about (`id`, `username`): one event each. */
	about?: SQL;
	/** The thread's names afterwards, from `locked.names`. */
	names: SQL;
	subject?: SQL;
	content?: SQL;
	/** Where the history of someone joining starts, and their read mark. */
	joinedVisibleFrom?: SQL;
	joinedRead?: SQL;
	/** An update of the actor's own row, given the event's id (when they leave). */
	actor?: (eventId: SQL) => SQL;
	/** More of the result row. */
	result?: Record<string, SQL>;
}

/**
 * Runs a change: the thread's names and subject rewritten, the events inserted, every member's
 * mailbox moved on, their tabs told. Null when the actor may not make it (not in the thread).
 */
export async function runChange(db: DB, c: Change) {
	if (!isThreadId(c.threadId)) return null;
	const event = sql`(select max(id) from events)`;
	const rows = await db.execute<{ names: string[] } & Record<string, unknown>>(sql`
		with locked as (
			select t.id as thread_id, t.participant_names as names, p.last_message_id,
				p.read_message_id, p.visible_from_message_id
			from ${threads} t join ${participants} p on p.thread_id = t.id
			where t.id = ${c.threadId} and p.user_id = ${c.by}
				and ${c.actorLeft ? sql`p.left_at > now() - make_interval(mins => ${c.leftWithin ?? 0})` : sql`p.left_at is null`}
			for update),
		${c.before ? sql`${c.before},` : sql``}
		about as (${c.about ?? sql`select null::int as id, null::text as username`}),
		renamed as (
			update ${threads} set participant_names = ${c.names}
				${c.subject ? sql`, subject = ${c.subject}` : sql``}
			from locked where ${threads.id} = locked.thread_id
			returning participant_names),
		events as (
			insert into ${messages} (thread_id, sender_id, content, sent_at, kind, about_user_id)
			select locked.thread_id, ${c.by}::int, ${c.content ?? sql`''`}::text, ${lockedNow},
				${c.kind}::smallint, about.id
			from locked, about order by about.username
			returning id),
		members as (${members(c, event)}),
		actor as (${c.actor ? c.actor(event) : sql`select null::int as user_id where false`})
		select (select participant_names from renamed) as names,
			array(select username from about order by username) as joined,
			${sql.join(
				Object.entries(c.result ?? {}).map(
					([name, value]) => sql`${value} as ${sql.identifier(name)}`
				),
				sql`, `
			)}${c.result ? sql`,` : sql``}
			${notifyMailbox(
				sql`json_build_object('k', 'self', 't', locked.thread_id, 'u',
					array(select user_id from members union select user_id from actor))`
			)} as notified
		from locked`);
	// postgres.js gives the rows, PGlite an object holding them.
	type Row = { names: string[]; joined: string[] } & Record<string, unknown>;
	const list = (Array.isArray(rows) ? rows : (rows as unknown as { rows: Row[] }).rows) as Row[];
	return list[0] ?? null;
}

/**
 * Every member's mailbox row (the names afterwards, as users), moved on to the newest event:
 * read up to it if they had read all (the actor always), unread as before otherwise. Someone
 * joining (a new row, or one that left) starts at `joinedVisibleFrom` and `joinedRead`, in the
 * inbox. An insert that meets an existing row updates it, even one the snapshot cannot see.
 */
function members(c: Change, event: SQL) {
	const key = (name: SQL) => usernameKey(name);
	return sql`insert into ${participants} as p (thread_id, user_id, last_message_id,
			read_message_id, visible_from_message_id)
		select locked.thread_id, u.id, ${event}, ${c.joinedRead ?? sql`0`}, ${c.joinedVisibleFrom ?? sql`0`}
		from locked, users u
		where ${event} is not null and ${key(sql`u.username`)} = any(array(
			select ${key(sql`name`)} from renamed, unnest(renamed.participant_names) name))
		on conflict (thread_id, user_id) do update set
			last_message_id = excluded.last_message_id,
			read_message_id = case
				when p.left_at is not null then excluded.read_message_id
				when p.read_message_id >= p.last_message_id or p.user_id = ${c.by}::int
					then excluded.last_message_id
				else p.read_message_id end,
			visible_from_message_id = case when p.left_at is not null
				then excluded.visible_from_message_id else p.visible_from_message_id end,
			deleted_at = case when p.left_at is not null then null else p.deleted_at end,
			archived_at = case when p.left_at is not null then null else p.archived_at end,
			-- Added back after declining a request: added by a member, so no request.
			request_at = case when p.left_at is not null then null else p.request_at end,
			left_at = null
		returning user_id`;
}
