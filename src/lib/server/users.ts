import { eq, inArray } from 'drizzle-orm';
import { canonicalUsername, USERNAME_PATTERN } from '../schemas';
import type { SessionUser } from './auth';
import { hashPassword } from './auth';
import type { DB } from './db/client';
import { usernameKey, users } from './db/schema';
import { MessagingError } from './threads/common';
import { m } from '$lib/paraglide/messages';
import { timeZoneOf } from '$lib/time-zone';

/**
 * Creates an account, or returns null when the username is taken (in any case). Throws for a
 * username that breaks the rule of SPEC §5: no one could log in with it.
 */
export async function createUser(
	db: DB,
	username: string,
	password: string,
	/** The language of the sign-up page: mails are written in it. */
	language?: string
): Promise<SessionUser | null> {
	if (!USERNAME_PATTERN.test(username)) throw new MessagingError(m.rule_username());
	const [user] = await db
		.insert(users)
		.values({ username, passwordHash: await hashPassword(password), language })
		.onConflictDoNothing()
		.returning({ id: users.id, username: users.username });
	return user ?? null;
}

/** The users with these usernames, matched in any case; unknown names are left out. */
export async function findUsersByName(db: DB, names: string[]): Promise<SessionUser[]> {
	// A name no account can have (padded, NUL, a look-alike such as `alİce`) is unknown without
	// asking.
	const keys = names.map(canonicalUsername).filter((key) => key !== null);
	if (keys.length === 0) return [];
	return db
		.select({ id: users.id, username: users.username })
		.from(users)
		.where(inArray(usernameKey(users.username), keys));
}

/** Saves the time zone pages are shown in without JavaScript; false for a name that is not one. */
export async function setTimeZone(db: DB, userId: number, zone: string): Promise<boolean> {
	const timeZone = timeZoneOf(zone);
	if (!timeZone) return false;
	await db.update(users).set({ timeZone }).where(eq(users.id, userId));
	return true;
}
