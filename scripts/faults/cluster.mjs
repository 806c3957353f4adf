// A throwaway PostgreSQL cluster of the fault run's own, in a temporary folder on a free port,
// so it can be restarted and its connections killed without touching anyone else's server.
import { execFile, execFileSync } from 'node:child_process';
import { chownSync, existsSync, mkdirSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import postgres from 'postgres';

const execFileAsync = promisify(execFile);

/** PostgreSQL's programs: PG_BIN, or the newest version Debian's packages installed. */
function binDir() {
	if (process.env.PG_BIN) return process.env.PG_BIN;
	const versions = existsSync('/usr/lib/postgresql') ? readdirSync('/usr/lib/postgresql') : [];
	const newest = versions.sort((a, b) => Number(a) - Number(b)).at(-1);
	if (!newest) throw new Error('PostgreSQL is not installed (no /usr/lib/postgresql/*/bin).');
	return `/usr/lib/postgresql/${newest}/bin`;
}

// PostgreSQL will not run as root: the server's programs run as the postgres user then.
const asRoot = process.getuid?.() === 0;

/** Runs one of PostgreSQL's programs without blocking: the load goes on meanwhile. */
function run(program, args) {
	const [command, argv] = asRoot
		? ['runuser', ['-u', 'postgres', '--', join(binDir(), program), ...args]]
		: [join(binDir(), program), args];
	return execFileAsync(command, argv, { encoding: 'utf8', timeout: 60_000 });
}

/** Makes, starts and returns a cluster in `dir` listening on 127.0.0.1:`port`. */
export async function createCluster(dir, port) {
	mkdirSync(dir, { recursive: true });
	if (asRoot) {
		const uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }));
		const gid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }));
		chownSync(dir, uid, gid);
	}
	const data = join(dir, 'data');
	await run('initdb', ['-D', data, '-U', 'postgres', '-A', 'trust', '-E', 'UTF8', '--no-sync']);
	const serverOptions = [
		`-p ${port}`,
		`-k ${dir}`,
		'-c listen_addresses=127.0.0.1',
		'-c shared_buffers=32MB',
		'-c max_connections=50'
	].join(' ');
	const ctl = (...args) => run('pg_ctl', ['-D', data, '-l', join(dir, 'server.log'), ...args]);
	const start = () => ctl('-w', '-t', '60', '-o', serverOptions, 'start');
	await start();

	const admin = (database = 'courier') =>
		postgres(`postgres://postgres@127.0.0.1:${port}/${database}`, {
			max: 1,
			onnotice: () => {},
			connection: { application_name: 'courier-faults' }
		});

	/** Runs `fn` with a connection of its own (the cluster may have restarted since). */
	async function query(fn, database = 'courier') {
		const sql = admin(database);
		try {
			return await fn(sql);
		} finally {
			await sql.end({ timeout: 5 });
		}
	}

	return {
		url: `postgres://courier@127.0.0.1:${port}/courier`,
		query,
		createDatabase: () =>
			query(async (sql) => {
				await sql`create role courier login`;
				await sql`create database courier owner courier`;
			}, 'postgres'),
		restart: () => ctl('-w', '-t', '60', '-m', 'fast', 'restart'),
		stop: () => ctl('-w', '-t', '60', '-m', 'fast', 'stop'),
		start,
		/** Kills every connection of the app's role; the count of those killed. */
		terminateApp: async () => {
			const [row] = await query(
				(sql) => sql`select count(pg_terminate_backend(pid))::int as n
					from pg_stat_activity where usename = 'courier'`
			);
			return row.n;
		},
		/** For cleanup, whatever state the cluster is in. */
		destroy: () => ctl('-m', 'immediate', 'stop').catch(() => {})
	};
}
