import { hash, verify } from '@node-rs/argon2';
import { sha256 } from '@oslojs/crypto/sha2';
import { encodeBase32LowerCaseNoPadding, encodeHexLowerCase } from '@oslojs/encoding';
import { eq, sql } from 'drizzle-orm';
import { preparedPerDb, type DB } from './db/client';
import { canonicalUsername } from '../schemas';
import { sessions, usernameKey, users } from './db/schema';

// Sessions the Lucia way (lucia-auth.com): the cookie holds a random token, the database only
// its SHA-256, and a session in use slides forward so active users stay signed in.
const DAY = 24 * 60 * 60 * 1000;
const SESSION_LIFETIME = 30 * DAY;
const RENEW_WITHIN = 15 * DAY;

export const SESSION_COOKIE = 'session';

export interface SessionUser {
	id: number;
	username: string;
}

/** The user a session is for, with the time zone they chose (null: none yet). */
export interface SignedInUser extends SessionUser {
	timeZone: string | null;
}

export interface SessionValidation {
	session: { id: string; expiresAt: Date } | null;
	user: SignedInUser | null;
	/** The session's expiry moved forward, so the cookie must be sent again. */
	renewed?: boolean;
}

export function generateSessionToken(): string {
	return encodeBase32LowerCaseNoPadding(crypto.getRandomValues(new Uint8Array(20)));
}

function sessionIdOf(token: string): string {
	return encodeHexLowerCase(sha256(new TextEncoder().encode(token)));
}

export async function createSession(db: DB, token: string, userId: number) {
	const session = {
		id: sessionIdOf(token),
		userId,
		expiresAt: new Date(Date.now() + SESSION_LIFETIME)
	};
	await db.insert(sessions).values(session);
	return session;
}

// Every request runs it.
const sessionLookup = preparedPerDb((db) =>
	db
		.select({
			user: { id: users.id, username: users.username, timeZone: users.timeZone },
			session: { id: sessions.id, expiresAt: sessions.expiresAt }
		})
		.from(sessions)
		.innerJoin(users, eq(sessions.userId, users.id))
		.where(eq(sessions.id, sql.placeholder('sessionId')))
		.prepare('session_lookup')
);

export async function validateSessionToken(db: DB, token: string): Promise<SessionValidation> {
	const sessionId = sessionIdOf(token);
	const [row] = await sessionLookup(db).execute({ sessionId });
	if (!row) return { session: null, user: null };

	const { session, user } = row;
	if (Date.now() >= session.expiresAt.getTime()) {
		await db.delete(sessions).where(eq(sessions.id, sessionId));
		return { session: null, user: null };
	}
	if (Date.now() >= session.expiresAt.getTime() - RENEW_WITHIN) {
		session.expiresAt = new Date(Date.now() + SESSION_LIFETIME);
		await db
			.update(sessions)
			.set({ expiresAt: session.expiresAt })
			.where(eq(sessions.id, sessionId));
		return { session, user, renewed: true };
	}
	return { session, user };
}

export async function invalidateSession(db: DB, sessionId: string) {
	await db.delete(sessions).where(eq(sessions.id, sessionId));
}

/** Ends every session of a user, on every device: after a password change. */
export async function invalidateUserSessions(db: DB, userId: number) {
	await db.delete(sessions).where(eq(sessions.userId, userId));
}

/** Deletes sessions that expired without their owner coming back (validation catches the rest). */
export async function sweepExpiredSessions(db: DB) {
	await db.delete(sessions).where(sql`${sessions.expiresAt} <= now()`);
}

// OWASP's minimum for argon2id: 19 MiB, 2 passes, 1 lane.
const ARGON2 = { memoryCost: 19456, timeCost: 2, outputLen: 32, parallelism: 1 };

export function hashPassword(password: string): Promise<string> {
	return hash(password, ARGON2);
}

// Verifying against this when the username is unknown makes both failures take as long.
let decoyHash: Promise<string> | undefined;

/** The user whose username (in any case, trimmed) and password match, or null. */
export async function verifyCredentials(
	db: DB,
	username: string,
	password: string
): Promise<SessionUser | null> {
	// White space around the name is ignored, as the log-in form ignores it. A name that no
	// account can have (a look-alike such as `alİce`) is unknown, checked against the decoy.
	const name = canonicalUsername(username.trim());
	const [user] = name
		? await db
				.select()
				.from(users)
				.where(eq(usernameKey(users.username), name))
		: [];
	decoyHash ??= hashPassword('not a real password');
	const valid = await verify(user?.passwordHash ?? (await decoyHash), password);
	return user && valid ? { id: user.id, username: user.username } : null;
}

/**
 * Changes a user's password if `currentPassword` is right, and ends all their sessions: whoever
 * knew the old password is signed out everywhere. False, changing nothing, when it is wrong.
 */
export async function changePassword(
	db: DB,
	userId: number,
	currentPassword: string,
	newPassword: string
): Promise<boolean> {
	const [user] = await db
		.select({ passwordHash: users.passwordHash })
		.from(users)
		.where(eq(users.id, userId));
	if (!user || !(await verify(user.passwordHash, currentPassword))) return false;
	const passwordHash = await hashPassword(newPassword);
	await db.transaction(async (tx) => {
		await tx.update(users).set({ passwordHash }).where(eq(users.id, userId));
		await tx.delete(sessions).where(eq(sessions.userId, userId));
	});
	return true;
}
