import { env } from '$env/dynamic/private';
import { createDb, type DB, type DbHandle } from './client';
import { statementLogger } from '../statement-count';

let handle: Promise<DbHandle> | undefined;

/**
 * The app's database, opened and migrated once per process by the `init` hook. It is not opened
 * on import, because `vite build` imports server modules.
 */
export let db: DB;

export function openDb(): Promise<DbHandle> {
	handle ??= (async () => {
		const opened = createDb({
			url: env.DATABASE_URL || undefined,
			dataDir: env.PGLITE_DIR || './data/pglite',
			poolSize: env.DATABASE_POOL_SIZE ? Number(env.DATABASE_POOL_SIZE) : undefined,
			logger: env.SQL_COUNT ? statementLogger : undefined
		});
		await opened.migrate();
		db = opened.db;
		return opened;
	})();
	return handle;
}
