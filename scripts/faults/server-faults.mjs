// Faults of the app's own process: stopped (SIGTERM) under load on PostgreSQL, and killed
// (SIGKILL) mid-write on the embedded database, then started again on the same folder, with
// every user's live events followed throughout.
import { connect } from 'node:net';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { durabilityProblems, problemWith, unexpectedOutput } from './checks.mjs';
import { PASSWORD } from './client.mjs';
import { figures, makeUsers, now, sleep, threadPageProblems, underLoad } from './scenarios.mjs';
import { freePort, startServer } from './server.mjs';
import { EXIT_LIMIT_MS, RECOVERY_LIMIT_MS } from './live.mjs';
import {
	catchUp,
	closeTabs,
	openTabs,
	range,
	reSynced,
	resyncDelays,
	seconds,
	tabsJudged
} from './tabs.mjs';

/**
 * Sign-ups (slow: the password hash) whose clients hang up as soon as they are sent: the server
 * goes on with them, but no connection waits for them any more.
 */
async function impatientSignUps(base, count) {
	const { port } = new URL(base);
	const run = Math.random().toString(36).slice(2, 7);
	await Promise.all(
		Array.from({ length: count }, async (_, i) => {
			const body = new URLSearchParams({
				username: `gone${run}${i}`,
				password: PASSWORD
			}).toString();
			const socket = connect(Number(port), '127.0.0.1');
			await new Promise((resolve) => socket.once('connect', resolve));
			socket.write(
				`POST /signup HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nOrigin: ${base}\r\n` +
					`Content-Type: application/x-www-form-urlencoded\r\nContent-Length: ${body.length}\r\n\r\n${body}`
			);
			await sleep(5);
			socket.destroy();
		})
	);
}

/**
 * (d) SIGTERM under load: requests in flight finish, including those whose client went away,
 * before the database is closed; the process exits cleanly and logs nothing.
 */
export async function shutdownUnderLoad(context) {
	const before = context.server.output().length;
	let exit;
	let seconds;
	const run = await underLoad(context, 'shutdown', async () => {
		await sleep(1_500);
		await impatientSignUps(context.server.base, 6);
		const at = now();
		exit = await context.server.stop('SIGTERM', 20_000);
		seconds = Math.round(now() - at) / 1000;
		return [];
	});
	const problems = run.answers
		.map((a) =>
			a.status === 503
				? 'a request failed on shutdown (503)'
				: problemWith(a, { noAnswerAllowed: true })
		)
		.filter(Boolean);
	if (exit.code !== 0) problems.push(`the server exited with ${exit.code ?? exit.signal}`);
	const logged = unexpectedOutput(context.server.output().slice(before));
	const unavailable =
		context.server
			.output()
			.slice(before)
			.match(/database unavailable.*/g) ?? [];
	if (logged.length || unavailable.length)
		problems.push(`the server logged: ${[...logged, ...unavailable].slice(0, 5).join(' | ')}`);
	const rows = await context.cluster.query(
		(sql) => sql`select id, content from messages where content like 'shutdown-%'`
	);
	const stored = durabilityProblems(run.answers, rows);
	problems.push(...stored.problems);
	return { problems, figures: { ...figures(run.answers, stored), 'exit seconds': seconds } };
}

/**
 * (c) The embedded database's server killed mid-write twice, started again on its folder, with
 * every user's tab following its live events: each reconnects once the server is back, and
 * learns of every acknowledged reply. Then stopped (SIGTERM) with those streams open.
 */
export async function pgliteKilled(work) {
	const dir = join(work, 'pglite');
	const env = { DATABASE_URL: '', PGLITE_DIR: dir };
	const port = await freePort();
	let server = await startServer(env, port, 60_000);
	const context = { server, ...(await makeUsers(server.base, 4, 2)) };
	const tabs = await openTabs(context.users, [server], context.threads, { serverMayStop: true });
	const answers = [];
	const restarts = [];
	const reconnects = [];
	const problems = [];
	let output = '';
	for (let round = 1; round <= 2; round++) {
		const run = await underLoad(context, `pglite${round}`, async () => {
			await sleep(2_000);
			await context.server.stop('SIGKILL');
			return [];
		});
		answers.push(...run.answers);
		output += context.server.output();
		const killed = now();
		context.server = server = await startServer(env, port, 60_000);
		const up = now();
		restarts.push(server.startSeconds);
		// Each tab reconnects at its next try (retry: 2 s) once the server is back.
		await reSynced(tabs, killed, RECOVERY_LIMIT_MS);
		const told = resyncDelays(tabs, killed, up, RECOVERY_LIMIT_MS, `restart ${round}`);
		problems.push(...told.problems);
		reconnects.push(range(told.delays));
	}
	problems.push(...answers.map((a) => problemWith(a, { noAnswerAllowed: true })).filter(Boolean));
	await catchUp(tabs, answers);
	const seen = tabsJudged(tabs, answers);
	problems.push(...seen.problems, ...(await threadPageProblems(context, answers)));

	// Stopped with the streams open: it ends them and exits at once.
	const stopping = now();
	const exit = await server.stop('SIGTERM');
	const exitSeconds = seconds(now() - stopping);
	await closeTabs(tabs);
	if (exit.code !== 0) problems.push(`the server exited with ${exit.code ?? exit.signal}`);
	if (exitSeconds * 1000 > EXIT_LIMIT_MS)
		problems.push(`the server took ${exitSeconds} s to exit with streams open`);
	output += server.output();
	const logged = unexpectedOutput(output);
	if (logged.length) problems.push(`the server logged: ${logged.slice(0, 5).join(' | ')}`);

	// The folder itself, opened once the server is gone: each acknowledged reply exactly once.
	const db = new PGlite(dir);
	const { rows } = await db.query(`select id, content from messages where content like 'pglite%'`);
	await db.close();
	const stored = durabilityProblems(answers, rows);
	problems.push(...stored.problems);
	return {
		problems,
		figures: {
			...figures(answers, stored),
			'restart seconds': restarts,
			...seen.figures,
			'streams reconnected after each restart': reconnects.join(' and '),
			'exit seconds (streams open)': exitSeconds
		}
	};
}
