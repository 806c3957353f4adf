import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { count, sql } from 'drizzle-orm';
import { pgSchema, serial } from 'drizzle-orm/pg-core';
import postgres from 'postgres';
import { describe, expect, it } from 'vitest';
import journal from '../../../../drizzle/meta/_journal.json';
import { excerptOf } from '../threads';
import { skipWithout } from '../http/testing';
import { connectionOf, createDb } from './client';
import { threads } from './schema';

const serverUrl = process.env.TEST_DATABASE_URL;

// drizzle's own bookkeeping table; drizzle-kit's journal lists every migration in drizzle/.
const appliedMigrations = pgSchema('drizzle').table('__drizzle_migrations', { id: serial('id') });

// Instances of the app started together must not trip over each other's migrations.
const onServer = 'migrations on PostgreSQL';
describe.skipIf(skipWithout(onServer, 'TEST_DATABASE_URL'))(onServer, () => {
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
				'drafts',
				'form_tokens',
				'messages',
				'participants',
				'rate_limits',
				'sessions',
				'threads',
				'user_blocks',
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

/** A copy of drizzle/ holding only the migrations before `tag`, as an older install had them. */
function migrationsBefore(tag: string): string {
	const folder = mkdtempSync(join(tmpdir(), 'courier-migrations-'));
	const entries = journal.entries.slice(
		0,
		journal.entries.findIndex((entry) => entry.tag === tag)
	);
	mkdirSync(join(folder, 'meta'));
	writeFileSync(join(folder, 'meta/_journal.json'), JSON.stringify({ ...journal, entries }));
	for (const { tag } of entries) copyFileSync(`drizzle/${tag}.sql`, join(folder, `${tag}.sql`));
	return folder;
}

describe('migration 0002 (listing summaries on threads)', () => {
	it('fills them in for the threads an older install already has', async () => {
		const dataDir = mkdtempSync(join(tmpdir(), 'courier-data-'));
		const migrationsFolder = migrationsBefore('0002_thread-summary');
		const older = createDb({ dataDir, migrationsFolder });
		await older.migrate();
		const newest = `  the   newest\n\n${'x'.repeat(200)}`;
		for (const statement of [
			sql`insert into users (username, password_hash) values ('zoe', 'x'), ('adam', 'x')`,
			sql`insert into threads (id, subject) values ('aaaaaaaaaaaaaaaa', 'Old thread')`,
			sql`insert into messages (thread_id, sender_id, content, sent_at) values
				('aaaaaaaaaaaaaaaa', 1, 'first', '2026-01-01T00:00:00Z'),
				('aaaaaaaaaaaaaaaa', 2, ${newest}, '2026-01-02T00:00:00Z')`,
			sql`insert into participants (thread_id, user_id, last_message_id) values
				('aaaaaaaaaaaaaaaa', 1, 2), ('aaaaaaaaaaaaaaaa', 2, 2)`
		]) {
			await older.db.execute(statement);
		}
		await older.close();

		const current = createDb({ dataDir });
		await current.migrate();
		const [thread] = await current.db
			.select({
				participantNames: threads.participantNames,
				lastSender: threads.lastSender,
				lastExcerpt: threads.lastExcerpt,
				lastSentAt: threads.lastSentAt
			})
			.from(threads);
		await current.close();
		for (const folder of [dataDir, migrationsFolder])
			rmSync(folder, { recursive: true, force: true });
		expect(thread).toEqual({
			participantNames: ['adam', 'zoe'],
			lastSender: 'adam',
			lastExcerpt: excerptOf(newest),
			lastSentAt: new Date('2026-01-02T00:00:00Z')
		});
	});
});

describe('connection strings', () => {
	it("take libpq's ?host=/dir as the Unix socket in that folder, and leave others alone", () => {
		expect(
			connectionOf('postgres://courier:secret@localhost/courier?host=/run/postgresql')
		).toEqual([
			'postgres://courier:secret@localhost/courier',
			{ path: '/run/postgresql/.s.PGSQL.5432' }
		]);
		expect(connectionOf('postgres://c@localhost:5433/courier?host=/tmp&sslmode=disable')).toEqual([
			'postgres://c@localhost:5433/courier?sslmode=disable',
			{ path: '/tmp/.s.PGSQL.5433' }
		]);
		const tcp = 'postgres://courier:secret@db.example.org:5432/courier?sslmode=require';
		expect(connectionOf(tcp)).toEqual([tcp, {}]);
	});
});

const overSocket = 'PostgreSQL over a Unix socket';
describe.skipIf(skipWithout(overSocket, 'TEST_DATABASE_URL', 'TEST_DATABASE_SOCKET'))(
	overSocket,
	() => {
		it('connects through the socket folder given as ?host=', async () => {
			const url = new URL(serverUrl!);
			url.searchParams.set('host', process.env.TEST_DATABASE_SOCKET!);
			const handle = createDb({ url: url.href, poolSize: 1 });
			try {
				// inet_server_addr() is null over a Unix socket.
				// postgres.js gives the rows as an array.
				const [row] = (await handle.db.execute(
					sql`select inet_server_addr() as address`
				)) as unknown as { address: string | null }[];
				expect(row.address).toBeNull();
			} finally {
				await handle.close();
			}
		});
	}
);
