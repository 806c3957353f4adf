import { count } from 'drizzle-orm';
import { pgSchema, serial } from 'drizzle-orm/pg-core';
import postgres from 'postgres';
import { describe, expect, it } from 'vitest';
import journal from '../../../../drizzle/meta/_journal.json';
import { createDb } from './client';

const serverUrl = process.env.TEST_DATABASE_URL;

// drizzle's own bookkeeping table; drizzle-kit's journal lists every migration in drizzle/.
const appliedMigrations = pgSchema('drizzle').table('__drizzle_migrations', { id: serial('id') });

// Instances of the app started together must not trip over each other's migrations.
describe.runIf(serverUrl)('migrations on PostgreSQL', () => {
	it('apply once when several instances start at once', async () => {
		const admin = postgres(serverUrl!, { max: 1, onnotice: () => {} });
		const name = `courier_migrate_${Date.now()}_${Math.floor(Math.random() * 1e6)}`;
		await admin.unsafe(`create database ${name}`);
		const url = new URL(serverUrl!);
		url.pathname = `/${name}`;
		const instances = Array.from({ length: 4 }, () => createDb({ url: url.href, poolSize: 1 }));
		try {
			await Promise.all(instances.map((instance) => instance.migrate()));

			const [applied] = await instances[0].db.select({ n: count() }).from(appliedMigrations);
			expect(applied.n).toBe(journal.entries.length);
			const check = postgres(url.href, { max: 1 });
			const tables = await check`
				select table_name from information_schema.tables
				where table_schema = 'public' order by table_name`;
			await check.end();
			expect(tables.map((t) => t.table_name)).toEqual([
				'messages',
				'participants',
				'sessions',
				'threads',
				'users'
			]);
		} finally {
			await Promise.all(instances.map((instance) => instance.close()));
			await admin.unsafe(`drop database if exists ${name}`);
			await admin.end();
		}
	});
});

describe('migrations on PGlite', () => {
	it('apply on a fresh database and are a no-op the second time', async () => {
		const handle = createDb({ dataDir: 'memory://' });
		await handle.migrate();
		await handle.migrate();
		const [applied] = await handle.db.select({ n: count() }).from(appliedMigrations);
		await handle.close();
		expect(applied.n).toBe(journal.entries.length);
	});
});
