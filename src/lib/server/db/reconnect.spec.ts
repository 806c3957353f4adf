import { sql } from 'drizzle-orm';
import postgres from 'postgres';
import { describe, expect, it, vi } from 'vitest';
import { skipWithout } from '../http/testing';
import { createDb } from './client';
import { isDatabaseUnavailable } from './unavailable';

const url = process.env.TEST_DATABASE_URL;

// postgres.js 3.4.9 as patched by scripts/patch-postgres.mjs (npm install runs it). Unpatched,
// the first test crashes the process (an uncaught TypeError, which vitest reports) and leaves
// the connection unable to connect again; the second gets the old backend's error.
const killed = 'after PostgreSQL kills a connection of the pool';
describe.skipIf(skipWithout(killed, 'TEST_DATABASE_URL'))(killed, () => {
	async function killedMidStatement(run: (db: ReturnType<typeof createDb>['db']) => Promise<void>) {
		const handle = createDb({ url, poolSize: 1 });
		const killer = postgres(url!, { max: 1, onnotice: () => {} });
		const running = run(handle.db).then(
			() => undefined,
			(error: unknown) => error
		);
		// The pool's one connection, once it is busy with the sleep.
		const pid = await vi.waitUntil(
			async () => {
				const [row] = await killer`select pid from pg_stat_activity
					where query like '%pg_sleep(5)%' and pid <> pg_backend_pid()`;
				return row?.pid as number | undefined;
			},
			{ timeout: 5_000, interval: 50 }
		);
		await killer`select pg_terminate_backend(${pid})`;
		const error = await running;
		const after = await handle.db.execute(sql`select 1 as one`);
		await Promise.all([handle.close(), killer.end()]);
		return { error, after: [...(after as unknown as { one: number }[])] };
	}

	it('a transaction fails cleanly, and the next query gets a new connection', async () => {
		const { error, after } = await killedMidStatement((db) =>
			db.transaction(async (tx) => {
				await tx.execute(sql`select pg_sleep(5)`);
			})
		);
		expect(isDatabaseUnavailable(error)).toBe(true);
		expect(after).toEqual([{ one: 1 }]);
	});

	it('a plain query fails cleanly, and the next one does not get the old error', async () => {
		const { error, after } = await killedMidStatement(async (db) => {
			await db.execute(sql`select pg_sleep(5)`);
		});
		expect(isDatabaseUnavailable(error)).toBe(true);
		expect(after).toEqual([{ one: 1 }]);
	});
});
