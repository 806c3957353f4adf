import { eq, sql } from 'drizzle-orm';
import { canonicalUsername } from '../../schemas';
import type { DB } from '../db/client';
import { users } from '../db/schema';
import { leaveThread } from './membership';

/**
 * After blocking someone, the blocker chooses whether to leave the group threads they share
 * with them (the threads of just the two are muted by the block itself). Leaves each, with its
 * "left" event, as Leave thread does; how many. Only for someone `userId` blocks: nothing else.
 */
export async function leaveGroupsSharedWith(db: DB, userId: number, name: string) {
	const key = canonicalUsername(name);
	if (key === null) return 0;
	const [row] = await db
		.select({
			threads: sql<string[]>`array(
				select me.thread_id from participants me
				join participants them on them.thread_id = me.thread_id and them.left_at is null
				join users u on u.id = them.user_id and lower(u.username collate "C") = ${key}
				join user_blocks b on b.blocker_id = me.user_id and b.blocked_id = u.id
				join threads t on t.id = me.thread_id and cardinality(t.participant_names) > 2
				where me.user_id = ${userId} and me.left_at is null)`
		})
		.from(users)
		.where(eq(users.id, userId));
	let left = 0;
	// One leave per thread: a rare, deliberate action, each with its own event and lock.
	for (const threadId of row?.threads ?? []) if (await leaveThread(db, userId, threadId)) left++;
	return left;
}
