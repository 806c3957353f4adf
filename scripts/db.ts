import { createDb } from '../src/lib/server/db/client';

/** The database the app would use, from the same environment variables, for scripts. */
export function openScriptDb() {
	return createDb({
		url: process.env.DATABASE_URL || undefined,
		dataDir: process.env.PGLITE_DIR || './data/pglite'
	});
}
