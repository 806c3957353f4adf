import { mkdirSync } from 'node:fs';
import { PGlite } from '@electric-sql/pglite';
import type { Logger } from 'drizzle-orm';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import { drizzle as drizzlePostgres } from 'drizzle-orm/postgres-js';
import { migrate as migratePostgres } from 'drizzle-orm/postgres-js/migrator';
import postgres from 'postgres';
import * as schema from './schema';

/** The one database type the app's code uses, whichever driver is behind it. */
export type DB = PgDatabase<PgQueryResultHKT, typeof schema>;

export interface DbHandle {
	db: DB;
	kind: 'postgres' | 'pglite';
	migrate(): Promise<void>;
	close(): Promise<void>;
	/**
	 * LISTENs on `channel` for as long as the handle is open. `onListen` runs each time the
	 * listening connection is (re)established: a second call means notifications may have been
	 * missed while it was down.
	 */
	listen(channel: string, onNotify: (payload: string) => void, onListen: () => void): Promise<void>;
}

export interface DbOptions {
	/** A PostgreSQL connection string; without it an embedded PGlite database is used. */
	url?: string;
	/** PGlite's data folder, or `memory://` for a throwaway database. */
	dataDir?: string;
	migrationsFolder?: string;
	/** Connections in the postgres.js pool. */
	poolSize?: number;
	/**
	 * Where LISTEN connects, when not `url`: behind PgBouncer in transaction mode, a session-pooled
	 * or direct connection string (LISTEN needs a session of its own).
	 */
	listenUrl?: string;
	logger?: Logger;
}

// Any fixed number: every instance of the app must use the same one.
const MIGRATION_LOCK = 7_245_310_019;

/**
 * Seconds before trying to connect again after a failed attempt. postgres.js's default grows to
 * 20 s after a few failures, which during a restart of a few seconds would hold requests long
 * after the server is back; a second at most keeps the wait short and the retries cheap.
 */
const reconnectDelay = (failures: number) => Math.min(0.1 * 2 ** failures, 1);

/**
 * postgres.js options for a connection string. libpq's `?host=/run/postgresql` form (the
 * folder of the server's Unix socket) is taken as postgres.js's `path`, which its connection
 * strings cannot say.
 */
export function connectionOf(url: string): [string, { path?: string }] {
	const parsed = new URL(url);
	const dir = parsed.searchParams.get('host');
	if (!dir?.startsWith('/')) return [url, {}];
	parsed.searchParams.delete('host');
	const port = parsed.port || '5432';
	return [parsed.toString(), { path: `${dir}/.s.PGSQL.${port}` }];
}

/** Opens a database without touching the environment, so scripts and tests can call it. */
export function createDb(options: DbOptions = {}): DbHandle {
	const migrationsFolder = options.migrationsFolder ?? 'drizzle';
	if (options.url) {
		const [url, socket] = connectionOf(options.url);
		const client = postgres(url, {
			...socket,
			max: options.poolSize ?? 10,
			onnotice: () => {},
			backoff: reconnectDelay
		});
		let listener: postgres.Sql | undefined;
		return {
			db: drizzlePostgres(client, { schema, logger: options.logger }),
			kind: 'postgres',
			async migrate() {
				// Instances starting together queue on a session-level lock held on one connection.
				const single = postgres(url, { ...socket, max: 1, onnotice: () => {} });
				try {
					await single`select pg_advisory_lock(${MIGRATION_LOCK})`;
					await migratePostgres(drizzlePostgres(single), { migrationsFolder });
					await single`select pg_advisory_unlock(${MIGRATION_LOCK})`;
				} finally {
					await single.end();
				}
			},
			async listen(channel, onNotify, onListen) {
				// postgres.js keeps the LISTEN on a connection of its own, outside the pool, and
				// listens again (calling onListen) after that connection is lost.
				listener ??= options.listenUrl ? listenClient(options.listenUrl) : client;
				await listener.listen(channel, onNotify, onListen);
			},
			async close() {
				await Promise.all([client.end(), listener !== client && listener?.end()]);
			}
		};
	}
	// A PGlite folder belongs to one process, so there is no one to race with here.
	const dataDir = options.dataDir ?? 'memory://';
	if (!dataDir.includes('://')) mkdirSync(dataDir, { recursive: true });
	const client = new PGlite(dataDir);
	return {
		db: drizzlePglite(client, { schema, logger: options.logger }),
		kind: 'pglite',
		migrate: () => migratePglite(drizzlePglite(client), { migrationsFolder }),
		async listen(channel, onNotify, onListen) {
			// In-process: the connection cannot drop, so onListen runs once.
			await client.listen(channel, onNotify);
			onListen();
		},
		close: () => client.close()
	};
}

function listenClient(url: string) {
	const [listenUrl, socket] = connectionOf(url);
	return postgres(listenUrl, { ...socket, max: 1, onnotice: () => {}, backoff: reconnectDelay });
}

/**
 * A statement built once per database and reused (drizzle's `.prepare()`): for the hot paths
 * that every request runs, where building the SQL costs more than running it.
 */
export function preparedPerDb<T>(build: (db: DB) => T): (db: DB) => T {
	const built = new WeakMap<DB, T>();
	return (db) => {
		let statement = built.get(db);
		if (!statement) built.set(db, (statement = build(db)));
		return statement;
	};
}
