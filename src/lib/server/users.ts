import { eq, inArray, sql } from 'drizzle-orm';
import type { SessionUser } from './auth';
import { hashPassword } from './auth';
import type { DB } from './db/client';
import { users } from './db/schema';
import { timeZoneOf } from '$lib/time-zone';

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
	// PostgreSQL's text cannot hold U+0000: no username has it, and asking would fail the query.
	const possible = names.filter((name) => !name.includes('\0'));
	if (possible.length === 0) return [];
	return db
		.select({ id: users.id, username: users.username })
		.from(users)
		.where(
			inArray(
				sql`lower(${users.username})`,
				possible.map((name) => name.toLowerCase())
			)
		);
}

/** Saves the time zone pages are shown in without JavaScript; false for a name that is not one. */
export async function setTimeZone(db: DB, userId: number, zone: string): Promise<boolean> {
	const timeZone = timeZoneOf(zone);
	if (!timeZone) return false;
	await db.update(users).set({ timeZone }).where(eq(users.id, userId));
	return true;
}
