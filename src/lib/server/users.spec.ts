import { count, eq, sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { users } from './db/schema';
import { databases, makeUsers, useDatabase } from './http/testing';
import { createSession, generateSessionToken, validateSessionToken } from './auth';
import { createUser, findUsersByName, setTimeZone } from './users';

const uniqueName = (prefix: string) => `${prefix}${Math.random().toString(36).slice(2, 10)}`;

describe.each(databases)('users on %s', (_, options) => {
	const db = useDatabase(options);

	describe('createUser', () => {
		it('stores the account with an argon2id hash, never the password', async () => {
			const username = uniqueName('Ada_');
			const user = await createUser(db(), username, 'a long passphrase');

			expect(user).toEqual({ id: expect.any(Number), username });
			const [row] = await db().select().from(users).where(eq(users.id, user!.id));
			expect(row.username).toBe(username);
			expect(row.passwordHash).toMatch(/^\$argon2id\$/);
			expect(row.passwordHash).not.toContain('a long passphrase');
		});

		it('returns null for a username taken in any case, keeping the first account', async () => {
			const username = uniqueName('Linus-');
			const first = await createUser(db(), username, 'first password');
			const again = await createUser(db(), username.toUpperCase(), 'second password');

			expect(first).not.toBeNull();
			expect(again).toBeNull();
			const [taken] = await db()
				.select({ n: count() })
				.from(users)
				.where(sql`lower(${users.username}) = ${username.toLowerCase()}`);
			expect(taken.n).toBe(1);
		});
	});

	describe('findUsersByName', () => {
		it('finds users by name in any case and leaves unknown names out', async () => {
			const [a, b, c] = await makeUsers(db(), 3);
			const found = await findUsersByName(db(), [
				a.username.toUpperCase(),
				b.username,
				uniqueName('nobody')
			]);
			expect(found.sort((x, y) => x.id - y.id)).toEqual([a, b]);
			expect(await findUsersByName(db(), [c.username.toUpperCase()])).toEqual([c]);
		});

		it('finds no one for no names', async () => {
			expect(await findUsersByName(db(), [])).toEqual([]);
		});

		it('finds no one by a name with a NUL character, which no username can hold', async () => {
			const [a] = await makeUsers(db(), 1);
			expect(await findUsersByName(db(), [`${a.username}\0`, '\0'])).toEqual([]);
			expect(await findUsersByName(db(), [`${a.username}\0`, a.username])).toEqual([a]);
		});
	});

	describe('setTimeZone', () => {
		it('saves an IANA zone as Intl spells it, which every request’s session check then gives', async () => {
			const [user] = await makeUsers(db(), 1);
			const token = generateSessionToken();
			await createSession(db(), token, user.id);
			expect((await validateSessionToken(db(), token)).user?.timeZone).toBeNull();

			expect(await setTimeZone(db(), user.id, 'pacific/kiritimati')).toBe(true);
			expect((await validateSessionToken(db(), token)).user).toEqual({
				...user,
				timeZone: 'Pacific/Kiritimati'
			});
		});

		it('refuses what is not a zone, changing nothing', async () => {
			const [user] = await makeUsers(db(), 1);
			await setTimeZone(db(), user.id, 'America/Los_Angeles');
			for (const zone of [
				'',
				'Mars/Olympus_Mons',
				'+05:00',
				'UTC; drop table users',
				'x'.repeat(300)
			]) {
				expect(await setTimeZone(db(), user.id, zone), zone).toBe(false);
			}
			const [row] = await db().select().from(users).where(eq(users.id, user.id));
			expect(row.timeZone).toBe('America/Los_Angeles');
		});
	});
});
