// Faults of the app's own process: stopped (SIGTERM) under load on PostgreSQL, and killed
// (SIGKILL) mid-write on the embedded database, then started again on the same folder.
import { connect } from 'node:net';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { durabilityProblems, problemWith, unexpectedOutput } from './checks.mjs';
import { PASSWORD } from './client.mjs';
import { figures, makeUsers, now, sleep, threadPageProblems, underLoad } from './scenarios.mjs';
import { freePort, startServer } from './server.mjs';

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

/** (c) The embedded database's server killed mid-write twice, started again on its folder. */
export async function pgliteKilled(work) {
	const dir = join(work, 'pglite');
	const env = { DATABASE_URL: '', PGLITE_DIR: dir };
	const port = await freePort();
	let server = await startServer(env, port, 60_000);
	const context = { server, ...(await makeUsers(server.base, 4, 2)) };
	const answers = [];
	const restarts = [];
	let output = '';
	for (let round = 1; round <= 2; round++) {
		const run = await underLoad(context, `pglite${round}`, async () => {
			await sleep(2_000);
			await context.server.stop('SIGKILL');
			return [];
		});
		answers.push(...run.answers);
		output += context.server.output();
		context.server = server = await startServer(env, port, 60_000);
		restarts.push(server.startSeconds);
	}
	const problems = answers.map((a) => problemWith(a, { noAnswerAllowed: true })).filter(Boolean);
	problems.push(...(await threadPageProblems(context, answers)));
	await server.stop('SIGTERM');
	output += server.output();
	const logged = unexpectedOutput(output);
	if (logged.length) problems.push(`the server logged: ${logged.slice(0, 5).join(' | ')}`);

	// The folder itself, opened once the server is gone: each acknowledged reply exactly once.
	const db = new PGlite(dir);
	const { rows } = await db.query(`select id, content from messages where content like 'pglite%'`);
	await db.close();
	const stored = durabilityProblems(answers, rows);
	problems.push(...stored.problems);
	return { problems, figures: { ...figures(answers, stored), 'restart seconds': restarts } };
}
