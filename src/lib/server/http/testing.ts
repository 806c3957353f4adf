import { afterAll, beforeAll } from 'vitest';
import { createDb, type DB, type DbHandle, type DbOptions } from '../db/client';
import { users } from '../db/schema';

/**
 * The databases every domain spec runs against: in-process PGlite always, and the PostgreSQL
 * server too when `TEST_DATABASE_URL` is set (as in CI).
 */
export const databases: [string, DbOptions][] = [
	['PGlite', { dataDir: 'memory://' }],
	...(process.env.TEST_DATABASE_URL
		? [['PostgreSQL', { url: process.env.TEST_DATABASE_URL }] as [string, DbOptions]]
		: [])
];

/**
 * Whether tests that need these environment variables are to be skipped, for want of one; if
 * so, the output says which and why (vitest's own report only counts skipped tests).
 */
export function skipWithout(what: string, ...variables: string[]): boolean {
	const unset = variables.filter((name) => !process.env[name]);
	if (unset.length) console.info(`skipped: ${what}, which needs ${unset.join(' and ')} (README)`);
	return unset.length > 0;
}

/** Opens and migrates a database for one describe block; call the result inside tests. */
export function useDatabase(options: DbOptions): () => DB {
	let handle: DbHandle;
	beforeAll(async () => {
		handle = createDb(options);
		await handle.migrate();
	});
	afterAll(() => handle.close());
	return () => handle.db;
}

let made = 0;

/** Fresh users with unique names, so specs sharing a PostgreSQL database never collide. */
export async function makeUsers(db: DB, count: number) {
	const run = `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;
	return db
		.insert(users)
		.values(
			Array.from({ length: count }, () => ({
				username: `u${run}-${++made}`,
				passwordHash: 'not used by these tests'
			}))
		)
		.returning({ id: users.id, username: users.username });
}
