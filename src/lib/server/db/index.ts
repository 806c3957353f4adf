import { env } from '$env/dynamic/private';
import { statementLogger } from '../http/statement-count';
import { createDb, type DB, type DbHandle, type DbOptions } from './client';

let handle: Promise<DbHandle> | undefined;

/**
 * The app's database, opened and migrated once per process by the `init` hook. It is not opened
 * on import, because `vite build` imports server modules.
 */
export let db: DB;

/** The database the environment names: see the README's configuration table. */
function optionsFromEnv(): DbOptions {
	return {
		url: env.DATABASE_URL || undefined,
		dataDir: env.PGLITE_DIR || './data/pglite',
		listenUrl: env.LISTEN_DATABASE_URL || undefined,
		poolSize: env.DATABASE_POOL_SIZE ? Number(env.DATABASE_POOL_SIZE) : undefined,
		logger: env.SQL_COUNT ? statementLogger : undefined
	};
}

/** Opens and migrates the database once; later calls get the same one. */
export function openDb(options: DbOptions = optionsFromEnv()): Promise<DbHandle> {
	handle ??= (async () => {
		const opened = createDb(options);
		await opened.migrate();
		db = opened.db;
		return opened;
	})();
	return handle;
}
