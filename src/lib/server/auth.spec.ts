import { createHash } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import {
	createSession,
	generateSessionToken,
	hashPassword,
	changePassword,
	invalidateSession,
	sweepExpiredSessions,
	validateSessionToken,
	verifyCredentials
} from './auth';
import type { DB } from './db/client';
import { sessions } from './db/schema';
import { databases, makeUsers, useDatabase } from './http/testing';
import { createUser } from './users';

const DAY = 24 * 60 * 60 * 1000;
const sha256 = (token: string) => createHash('sha256').update(token).digest('hex');
const uniqueName = (prefix: string) => `${prefix}${Math.random().toString(36).slice(2, 10)}`;

async function storedSession(db: DB, id: string) {
	const [row] = await db.select().from(sessions).where(eq(sessions.id, id));
	return row ?? null;
}

/** Within a second of `expected`: the clock moves while the test runs. */
function expectAbout(actual: Date, expected: number) {
	expect(Math.abs(actual.getTime() - expected)).toBeLessThan(1000);
}

describe('hashPassword', () => {
	it('hashes with argon2id at OWASP’s minimum cost, salted', async () => {
		const [one, two] = await Promise.all([
			hashPassword('correct horse'),
			hashPassword('correct horse')
		]);
		expect(one).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
		expect(one).not.toContain('correct horse');
		expect(one).not.toBe(two);
	});
});

describe('generateSessionToken', () => {
	it('makes a different random token each time', () => {
		const tokens = new Set(Array.from({ length: 10 }, generateSessionToken));
		expect(tokens.size).toBe(10);
		for (const token of tokens) expect(token).toMatch(/^[a-z2-7]{32}$/);
	});
});

describe.each(databases)('auth on %s', (_, options) => {
	const db = useDatabase(options);

	describe('verifyCredentials', () => {
		it('accepts the right password for the username in any case, and nothing else', async () => {
			const username = uniqueName('Grace.');
			const user = await createUser(db(), username, 'right password');
			expect(user).not.toBeNull();

			expect(await verifyCredentials(db(), username, 'right password')).toEqual(user);
			expect(await verifyCredentials(db(), username.toUpperCase(), 'right password')).toEqual(user);
			expect(await verifyCredentials(db(), username, 'wrong password')).toBeNull();
			expect(await verifyCredentials(db(), username, 'RIGHT PASSWORD')).toBeNull();
			expect(await verifyCredentials(db(), uniqueName('nobody'), 'right password')).toBeNull();
			expect(await verifyCredentials(db(), `${username}\0`, 'right password')).toBeNull();
		});
	});

	describe('sessions', () => {
		it('stores only the SHA-256 of the token', async () => {
			const [user] = await makeUsers(db(), 1);
			const token = generateSessionToken();

			const session = await createSession(db(), token, user.id);

			expect(session.id).toBe(sha256(token));
			expect(session.userId).toBe(user.id);
			expectAbout(session.expiresAt, Date.now() + 30 * DAY);
			expect(await storedSession(db(), sha256(token))).toEqual(session);
			expect(await storedSession(db(), token)).toBeNull();
		});

		it('validates a token to its user, leaving a fresh session as it is', async () => {
			const [user] = await makeUsers(db(), 1);
			const token = generateSessionToken();
			const session = await createSession(db(), token, user.id);

			expect(await validateSessionToken(db(), token)).toEqual({
				session: { id: session.id, expiresAt: session.expiresAt },
				user: { ...user, timeZone: null }
			});
			expect(await storedSession(db(), session.id)).toMatchObject({
				expiresAt: session.expiresAt
			});
		});

		it('refuses an unknown token, and the stored id used as a token', async () => {
			const [user] = await makeUsers(db(), 1);
			const session = await createSession(db(), generateSessionToken(), user.id);
			const nobody = { session: null, user: null };
			expect(await validateSessionToken(db(), generateSessionToken())).toEqual(nobody);
			expect(await validateSessionToken(db(), session.id)).toEqual(nobody);
		});

		it('refuses and deletes an expired session', async () => {
			const [user] = await makeUsers(db(), 1);
			const token = generateSessionToken();
			const session = await createSession(db(), token, user.id);
			await db()
				.update(sessions)
				.set({ expiresAt: new Date(Date.now() - 1000) })
				.where(eq(sessions.id, session.id));

			expect(await validateSessionToken(db(), token)).toEqual({ session: null, user: null });
			expect(await storedSession(db(), session.id)).toBeNull();
		});

		it('extends a session used within 15 days of expiry by another 30 days', async () => {
			const [user] = await makeUsers(db(), 1);
			const [renewed, kept] = [generateSessionToken(), generateSessionToken()];
			await createSession(db(), renewed, user.id);
			await createSession(db(), kept, user.id);
			const in14Days = new Date(Date.now() + 14 * DAY);
			const in16Days = new Date(Date.now() + 16 * DAY);
			await db()
				.update(sessions)
				.set({ expiresAt: in14Days })
				.where(eq(sessions.id, sha256(renewed)));
			await db()
				.update(sessions)
				.set({ expiresAt: in16Days })
				.where(eq(sessions.id, sha256(kept)));

			const validated = await validateSessionToken(db(), renewed);
			expect(validated.user).toEqual({ ...user, timeZone: null });
			expect(validated.renewed).toBe(true);
			expectAbout(validated.session!.expiresAt, Date.now() + 30 * DAY);
			expect((await storedSession(db(), sha256(renewed)))?.expiresAt).toEqual(
				validated.session!.expiresAt
			);

			const unchanged = await validateSessionToken(db(), kept);
			expect(unchanged.session?.expiresAt).toEqual(in16Days);
			expect(unchanged.renewed).toBeUndefined();
			expect((await storedSession(db(), sha256(kept)))?.expiresAt).toEqual(in16Days);
		});

		it('ends a session on invalidateSession, leaving the user’s others', async () => {
			const [user] = await makeUsers(db(), 1);
			const [ended, other] = [generateSessionToken(), generateSessionToken()];
			const session = await createSession(db(), ended, user.id);
			await createSession(db(), other, user.id);

			await invalidateSession(db(), session.id);

			expect(await storedSession(db(), session.id)).toBeNull();
			expect(await validateSessionToken(db(), ended)).toEqual({ session: null, user: null });
			expect((await validateSessionToken(db(), other)).user).toEqual({ ...user, timeZone: null });
		});
		it('sweeps expired sessions of every user, and only those', async () => {
			const [ann, ben] = await makeUsers(db(), 2);
			const live = generateSessionToken();
			await createSession(db(), live, ann.id);
			const expired = await Promise.all(
				[ann, ben].map((user) => createSession(db(), generateSessionToken(), user.id))
			);
			for (const { id } of expired) {
				await db()
					.update(sessions)
					.set({ expiresAt: new Date(Date.now() - 1000) })
					.where(eq(sessions.id, id));
			}

			await sweepExpiredSessions(db());

			for (const { id } of expired) expect(await storedSession(db(), id)).toBeNull();
			expect((await validateSessionToken(db(), live)).user).toEqual({ ...ann, timeZone: null });
		});
	});

	describe('changePassword', () => {
		it('needs the current password, then ends every session of the user', async () => {
			const user = (await createUser(db(), uniqueName('kim'), 'old password'))!;
			const [other] = await makeUsers(db(), 1);
			const tokens = [generateSessionToken(), generateSessionToken()];
			for (const token of tokens) await createSession(db(), token, user.id);
			const othersToken = generateSessionToken();
			await createSession(db(), othersToken, other.id);

			expect(await changePassword(db(), user.id, 'wrong password', 'new password')).toBe(false);
			expect(await verifyCredentials(db(), user.username, 'old password')).toEqual(user);
			for (const token of tokens) {
				expect((await validateSessionToken(db(), token)).user).toEqual({ ...user, timeZone: null });
			}

			expect(await changePassword(db(), user.id, 'old password', 'new password')).toBe(true);
			expect(await verifyCredentials(db(), user.username, 'old password')).toBeNull();
			expect(await verifyCredentials(db(), user.username, 'new password')).toEqual(user);
			for (const token of tokens) {
				expect((await validateSessionToken(db(), token)).user).toBeNull();
			}
			expect((await validateSessionToken(db(), othersToken)).user).toEqual({
				...other,
				timeZone: null
			});
		});
	});
});
