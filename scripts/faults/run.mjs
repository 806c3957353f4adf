// The fault run (`npm run test:faults`): the production server under load while its database
// fails, on a throwaway PostgreSQL cluster of its own (never the shared one on 5432) and on the
// embedded database; then two instances with every user following its live events while
// LISTEN, the database or an instance fails; then email notifications with an instance killed
// mid-send and the database restarted under a queue of 1,000 mails. See docs/RELIABILITY.md,
// "Database faults", "Live updates" and "Email". Everything is on 127.0.0.1, bounded in time (a watchdog ends it) and in
// traffic (a few users for a few seconds each).
import { execFileSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createCluster } from './cluster.mjs';
import { makeUsers, restartUnderLoad, terminateUnderLoad } from './scenarios.mjs';
import { freePort, startServer } from './server.mjs';
import { pgliteKilled, shutdownUnderLoad } from './server-faults.mjs';
import { listenKilled, restartedWithStreams, stoppedWithStreams } from './live.mjs';
import { killedWhileSending, restartedWhileDraining, startSmtp } from './email.mjs';

const TIME_LIMIT_MS = 240_000;
// `npm run test:faults -- a c` runs scenarios a and c only.
const only = process.argv.slice(2);
const selected = (name) => only.length === 0 || only.includes(name[0]);
const started = performance.now();
const work = mkdtempSync(join(tmpdir(), 'courier-faults-'));
chmodSync(work, 0o711); // the cluster's folder inside belongs to the postgres user
const cleanups = [];
const results = [];

async function cleanUp() {
	while (cleanups.length)
		await cleanups
			.pop()()
			.catch(() => {});
	rmSync(work, { recursive: true, force: true });
}

for (const signal of ['SIGINT', 'SIGTERM']) {
	process.once(signal, () => cleanUp().finally(() => process.exit(1)));
}
const watchdog = setTimeout(() => {
	console.error(`faults: still running after ${TIME_LIMIT_MS / 1000} s, stopped`);
	cleanUp().finally(() => process.exit(1));
}, TIME_LIMIT_MS);

async function scenario(name, run) {
	if (!selected(name)) return;
	const at = performance.now();
	console.log(`\n== ${name}`);
	let outcome;
	try {
		outcome = await run();
	} catch (error) {
		outcome = { problems: [`the run itself failed: ${error.stack ?? error}`], figures: {} };
	}
	const { recoveries, ...figures } = outcome.figures;
	console.log(
		Object.entries(figures)
			.map(([k, v]) => `${k}: ${v}`)
			.join(', ')
	);
	for (const r of recoveries ?? []) {
		console.log(
			`  ${r.fault}: ${r.failed} failed; last failure +${r.lastFailure ?? '-'} s and first success` +
				` +${r.recovery ?? '-'} s after the database was back`
		);
	}
	for (const problem of outcome.problems.slice(0, 20)) console.log(`  FAIL ${problem}`);
	if (outcome.problems.length > 20) console.log(`  … ${outcome.problems.length - 20} more`);
	const seconds = Math.round(performance.now() - at) / 1000;
	console.log(`${outcome.problems.length ? 'FAILED' : 'passed'} in ${seconds} s`);
	results.push({ name, passed: outcome.problems.length === 0, seconds, ...outcome });
}

/** An instance of the app on the cluster, its connections named `name` in pg_stat_activity. */
async function instance(cluster, name, env = {}) {
	const server = await startServer(
		{ DATABASE_URL: cluster.url, PGAPPNAME: name, ...env },
		await freePort()
	);
	cleanups.push(() => server.stop('SIGKILL'));
	return server;
}

async function postgresScenarios() {
	if (!['a', 'b', 'd', 'e', 'f', 'g', 'h', 'i'].some(selected)) return;
	const port = await freePort();
	const cluster = await createCluster(join(work, 'postgres'), port);
	cleanups.push(() => cluster.destroy());
	await cluster.createDatabase();
	const server = await instance(cluster, 'courier-1');
	const context = { cluster, server, ...(await makeUsers(server.base, 8, 4)) };
	console.log(`PostgreSQL on 127.0.0.1:${port} in ${work}; 8 users, 4 threads`);
	await scenario('a. PostgreSQL restarted under load', () => restartUnderLoad(context));
	await scenario('b. pg_terminate_backend under load', () => terminateUnderLoad(context));
	if (['e', 'f', 'g'].some(selected)) {
		// Live updates: a second instance, every user following both; g stops the second.
		const instances = [server, await instance(cluster, 'courier-2')];
		const live = { cluster, instances, ...(await makeUsers(server.base, 6, 2)) };
		console.log(`\nLive: 2 instances, 6 users in 2 threads, a stream per user on each`);
		await scenario('e. LISTEN killed with streams open', () => listenKilled(live));
		await scenario('f. PostgreSQL restarted with streams open', () => restartedWithStreams(live));
		await scenario('g. an instance stopped (SIGTERM) with streams open', () =>
			stoppedWithStreams(live)
		);
	}
	if (['h', 'i'].some(selected)) {
		// Email: instances of their own with email on, to an SMTP server in this process.
		const smtp = await startSmtp();
		cleanups.push(() => smtp.close());
		const mail = { cluster, server, smtp, instance: (name, env) => instance(cluster, name, env) };
		console.log(`\nEmail: SMTP on 127.0.0.1:${smtp.port}`);
		await scenario('h. SIGKILL between commit and send', () => killedWhileSending(mail));
		await scenario('i. PostgreSQL restarted with 1,000 due mails, two instances', () =>
			restartedWhileDraining(mail)
		);
	}
	await scenario('d. the app stopped (SIGTERM) under load', () => shutdownUnderLoad(context));
}

try {
	if (!existsSync('build/index.js')) {
		console.log('No build: building');
		execFileSync('npx', ['vite', 'build'], { stdio: ['ignore', 'ignore', 'inherit'] });
	}
	await postgresScenarios().catch((error) => {
		console.log(`FAILED to set up PostgreSQL: ${error.stack}`);
		results.push({ name: 'PostgreSQL set-up', passed: false, problems: [String(error)] });
	});
	await scenario('c. PGlite server killed (SIGKILL) mid-write', () => pgliteKilled(work));
} finally {
	await cleanUp();
	clearTimeout(watchdog);
}

const passed = results.filter((r) => r.passed).length;
const failed = results.length - passed;
mkdirSync('test-results', { recursive: true });
writeFileSync('test-results/faults.json', JSON.stringify({ passed, failed, results }, null, '\t'));
const seconds = Math.round(performance.now() - started) / 1000;
console.log(`\nfault run took ${seconds} s`);
console.log(`faults: ${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
