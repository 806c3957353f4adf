import { and, eq, sql } from 'drizzle-orm';
import { canonicalUsername } from '../schemas';
import type { DB } from './db/client';
import { inAnyFolder } from './db/folders';
import { DmPolicy, participants, userBlocks, users } from './db/schema';
import { isThreadId } from './threads/common';

// Who a user keeps out: the people they block, and who may message them at all (`DmPolicy`).
// The recipient rules (recipients.ts, reach.ts) read both when a thread starts.

export type DmPolicyValue = (typeof DmPolicy)[keyof typeof DmPolicy];

/**
 * The user named `name`, not `userId` themself; within a thread when given one, both must be
 * in it (as its page shows them), else no one.
 */
const target = (userId: number, name: string, threadId?: string) => sql`(
	select u.id from users u
	where lower(u.username collate "C") = ${canonicalUsername(name)} and u.id <> ${userId}
	${
		threadId === undefined
			? sql``
			: sql`and exists (select from participants where thread_id = ${threadId} and user_id = ${userId})
				and exists (select from participants where thread_id = ${threadId} and user_id = u.id)`
	})`;

// Every row of a user not left, in the words of the folder indexes, so that the planner reads
// those indexes rather than the whole table.
const anyFolder = inAnyFolder('p');

/**
 * Blocks the user named `name` for `userId`, in one statement, and mutes for the blocker the
 * threads that are just the two of them. The blocked user's id; null when there is no such
 * user (or not in the thread given).
 */
export async function blockUser(
	db: DB,
	userId: number,
	name: string,
	threadId?: string
): Promise<number | null> {
	if (canonicalUsername(name) === null || (threadId !== undefined && !isThreadId(threadId))) {
		return null;
	}
	const blocked = db
		.$with('blocked', { id: users.id })
		.as(sql`select * from ${target(userId, name, threadId)} target`);
	const added = db.$with('added', {}).as(
		sql`insert into ${userBlocks} (blocker_id, blocked_id) select ${userId}, id from ${blocked}
			on conflict do nothing`
	);
	const muted = db.$with('muted', {}).as(
		sql`update ${participants} p set muted_at = coalesce(p.muted_at, now())
			from ${blocked}
			where p.user_id = ${userId} and ${anyFolder}
				and exists (select from participants o where o.thread_id = p.thread_id and o.user_id = ${blocked.id})
				and not exists (select from participants o where o.thread_id = p.thread_id
					and o.user_id <> ${userId} and o.user_id <> ${blocked.id})`
	);
	const [row] = await db.with(blocked, added, muted).select({ id: blocked.id }).from(blocked);
	return row?.id ?? null;
}

/** Unblocks the user named `name`; whether they were blocked (and in the thread given). */
export async function unblockUser(db: DB, userId: number, name: string, threadId?: string) {
	if (canonicalUsername(name) === null || (threadId !== undefined && !isThreadId(threadId))) {
		return false;
	}
	const deleted = await db
		.delete(userBlocks)
		.where(
			and(
				eq(userBlocks.blockerId, userId),
				eq(userBlocks.blockedId, sql`${target(userId, name, threadId)}`)
			)
		)
		.returning({ id: userBlocks.blockedId });
	return deleted.length > 0;
}

/** What the account page shows of who can reach the user: their policy, the people they block. */
/** Who can reach the user, as columns of their row: their choice, the people they block. */
export const reachFields = (userId: number) => ({
	dmPolicy: users.dmPolicy,
	blocked: sql<string[]>`array(select b.username from user_blocks k
		join users b on b.id = k.blocked_id where k.blocker_id = ${userId} order by b.username)`
});

/** The settings from those columns (no row: the defaults). */
export function reachSettingsFrom(row: { dmPolicy: number; blocked: string[] } | undefined) {
	return {
		dmPolicy: (row?.dmPolicy ?? DmPolicy.everyone) as DmPolicyValue,
		blocked: row?.blocked ?? []
	};
}

/** What the account page shows of who can reach the user: their policy, the people they block. */
export async function reachSettings(db: DB, userId: number) {
	const [row] = await db.select(reachFields(userId)).from(users).where(eq(users.id, userId));
	return reachSettingsFrom(row);
}

export async function setDmPolicy(db: DB, userId: number, dmPolicy: DmPolicyValue) {
	await db.update(users).set({ dmPolicy }).where(eq(users.id, userId));
}
