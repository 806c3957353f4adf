import { createServer } from 'node:net';
import { sql } from 'drizzle-orm';
import postgres from 'postgres';
import { describe, expect, it } from 'vitest';
import { makeUsers, skipWithout, useDatabase } from '../http/testing';
import { MessagingError } from '../threads';
import { createDb } from './client';
import { users } from './schema';
import { isDatabaseUnavailable, unavailableCause } from './unavailable';

/** A port on 127.0.0.1 that nothing listens on. */
async function closedPort(): Promise<number> {
	const server = createServer().listen(0, '127.0.0.1');
	await new Promise((resolve) => server.once('listening', resolve));
	const { port } = server.address() as { port: number };
	await new Promise((resolve) => server.close(resolve));
	return port;
}

const rejection = (promise: Promise<unknown>) =>
	promise.then(
		() => undefined,
		(e: unknown) => e
	);

describe('errors from a database that is out of reach', () => {
	it('a refused connection, as the app sees it through drizzle', async () => {
		const handle = createDb({ url: `postgres://courier@127.0.0.1:${await closedPort()}/courier` });
		const error = await rejection(handle.db.execute(sql`select 1`));
		await handle.close();
		expect(error).toBeInstanceOf(Error);
		expect(unavailableCause(error)?.code).toBe('ECONNREFUSED');
	});

	it('a query after the pool was ended (shutdown)', async () => {
		const client = postgres(`postgres://courier@127.0.0.1:${await closedPort()}/courier`);
		await client.end();
		expect(isDatabaseUnavailable(await rejection(client`select 1`))).toBe(true);
	});

	const killed = 'a backend killed by pg_terminate_backend';
	it.skipIf(skipWithout(killed, 'TEST_DATABASE_URL'))(killed, async () => {
		const handle = createDb({ url: process.env.TEST_DATABASE_URL, poolSize: 1 });
		const kill = sql`select pg_terminate_backend(pg_backend_pid())`;
		const error = await rejection(handle.db.execute(kill));
		await handle.close();
		expect(error).toBeInstanceOf(Error);
		expect(isDatabaseUnavailable(error)).toBe(true);
	});

	it.each([
		['the server is starting or stopping', { code: '57P03' }],
		['a crash restart', { code: '57P02' }],
		['connection failure (class 08)', { code: '08006' }],
		['a reset socket, wrapped', new Error('Failed query', { cause: { code: 'ECONNRESET' } })],
		['a connect timeout', { code: 'CONNECT_TIMEOUT' }],
		['every address refused', new AggregateError([{ code: 'ECONNREFUSED' }])]
	])('%s', (_, error) => {
		expect(isDatabaseUnavailable(error)).toBe(true);
	});
});

describe('other errors stay errors', () => {
	const db = useDatabase({ dataDir: 'memory://' });

	it('a constraint violation', async () => {
		const [user] = await makeUsers(db(), 1);
		const duplicate = { username: user.username, passwordHash: 'x' };
		const error = await rejection(db().insert(users).values(duplicate));
		expect(error).toBeInstanceOf(Error);
		expect(isDatabaseUnavailable(error)).toBe(false);
	});

	it.each([
		['a bug', new TypeError("Cannot read properties of undefined (reading 'id')")],
		['input against the rules', new MessagingError('Write a message.')],
		['a cancelled query (57014)', { code: '57014' }],
		['a code that only starts like class 08', { code: '0800' }],
		['not an object', 'ECONNREFUSED'],
		['nothing', undefined]
	])('%s', (_, error) => {
		expect(isDatabaseUnavailable(error)).toBe(false);
	});
});
