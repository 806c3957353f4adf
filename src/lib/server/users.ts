import { inArray, sql } from 'drizzle-orm';
import type { SessionUser } from './auth';
import { hashPassword } from './auth';
import type { DB } from './db/client';
import { users } from './db/schema';

/** Creates an account, or returns null when the username is taken (in any case). */
export async function createUser(
	db: DB,
	username: string,
	password: string
): Promise<SessionUser | null> {
	const [user] = await db
		.insert(users)
		.values({ username, passwordHash: await hashPassword(password) })
		.onConflictDoNothing()
		.returning({ id: users.id, username: users.username });
	return user ?? null;
}

/** The users with these usernames, matched in any case; unknown names are left out. */
export async function findUsersByName(db: DB, names: string[]): Promise<SessionUser[]> {
	if (names.length === 0) return [];
	return db
		.select({ id: users.id, username: users.username })
		.from(users)
		.where(
			inArray(
				sql`lower(${users.username})`,
				names.map((name) => name.toLowerCase())
			)
		);
}
