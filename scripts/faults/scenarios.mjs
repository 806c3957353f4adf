// The fault scenarios. Each returns { figures, problems }: figures are printed, and any problem
// fails the run.
import { get, runLoad, signUp, startThread } from './client.mjs';
import {
	durabilityProblems,
	problemWith,
	recoveryOf,
	succeeded,
	unexpectedOutput
} from './checks.mjs';

/** A request sent this long after the database is back must succeed. */
const RECOVERY_LIMIT_MS = 5_000;

export const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
export const now = () => performance.now();

/** Users who signed up through the app, in threads with each other. */
export async function makeUsers(base, count, threadCount) {
	const run = Math.random().toString(36).slice(2, 7);
	const users = [];
	for (let i = 0; i < count; i++) users.push(await signUp(base, `f${run}u${i}`));
	const threads = [];
	for (let t = 0; t < threadCount; t++) {
		const others = users.filter((_, i) => i !== t).map((u) => u.username);
		threads.push(await startThread(base, users[t], others, `Faults ${run} ${t}`));
	}
	return { users, threads };
}

/** Runs the load while `faults()` does its damage; every answer, and the faults' times. */
export async function underLoad({ server, users, threads }, prefix, faults) {
	const answers = [];
	let running = true;
	const loading = runLoad({
		base: server.base,
		users,
		threads,
		prefix,
		running: () => running,
		record: (answer) => answers.push(answer)
	});
	const marks = await faults();
	running = false;
	await loading;
	return { answers, marks };
}

/**
 * Thread pages render and show every acknowledged reply, through all their "Older" links: what a
 * user would check.
 */
export async function threadPageProblems({ server, users, threads }, answers, user = users[0]) {
	const problems = [];
	for (const threadId of threads) {
		const path = `/messages/thread/${threadId}`;
		let shown = '';
		// From the newest page: with many unread, the thread itself opens at the first unread.
		for (let next = `${path}?before=${Number.MAX_SAFE_INTEGER}`; next;) {
			const page = await get(server.base, user, next);
			if (page.status !== 200) problems.push(`thread page ${next}: ${page.status}`);
			shown += page.body ?? '';
			const older = page.body?.match(/href="\?before=(\d+)"/);
			next = older ? `${path}?before=${older[1]}` : null;
		}
		const missing = answers.filter(
			(a) =>
				a.acknowledged && a.threadId === threadId && !shown.includes(`id="message-${a.messageId}"`)
		);
		if (missing.length)
			problems.push(`thread page ${threadId} lacks ${missing.length} acknowledged replies`);
	}
	return problems;
}

/** Checks and figures common to the PostgreSQL scenarios. */
async function judge(context, prefix, { answers, marks }, outputBefore) {
	const problems = answers.map((a) => problemWith(a)).filter(Boolean);
	const recoveries = marks.map((mark, i) =>
		recoveryOf(answers, mark, marks[i + 1]?.at ?? Infinity, RECOVERY_LIMIT_MS)
	);
	for (const r of recoveries) {
		if (r.recovery === null) problems.push(`${r.fault}: no success after the database was back`);
		if (r.lateFailures)
			problems.push(
				`${r.fault}: ${r.lateFailures} failures later than ${RECOVERY_LIMIT_MS / 1000} s after`
			);
	}
	const rows = await context.cluster.query(
		(sql) => sql`select id, content from messages where content like ${prefix + '-%'}`
	);
	const stored = durabilityProblems(answers, rows);
	problems.push(...stored.problems, ...(await threadPageProblems(context, answers)));
	const logged = unexpectedOutput(context.server.output().slice(outputBefore));
	if (logged.length) problems.push(`the server logged: ${logged.slice(0, 5).join(' | ')}`);
	return { problems, figures: figures(answers, stored, recoveries) };
}

export function figures(answers, stored, recoveries = []) {
	return {
		requests: answers.length,
		replies: answers.filter((a) => a.kind === 'reply').length,
		acknowledged: stored.acknowledged,
		succeeded: answers.filter(succeeded).length,
		503: answers.filter((a) => a.status === 503).length,
		'no answer': answers.filter((a) => a.status === 0).length,
		'stored, not acknowledged': stored.unacknowledgedStored,
		recoveries
	};
}

/** (a) PostgreSQL restarted under load: once with `restart -m fast`, once down for 2 s. */
export async function restartUnderLoad(context) {
	const before = context.server.output().length;
	const run = await underLoad(context, 'restart', async () => {
		await sleep(2_000);
		const first = { name: 'pg_ctl restart -m fast', at: now() };
		await context.cluster.restart();
		first.back = now();
		await sleep(4_000);
		const second = { name: 'stopped for 2 s', at: now() };
		await context.cluster.stop();
		await sleep(2_000);
		await context.cluster.start();
		second.back = now();
		await sleep(4_000);
		return [first, second];
	});
	return judge(context, 'restart', run, before);
}

/** (b) Every connection of the app killed with pg_terminate_backend, three times. */
export async function terminateUnderLoad(context) {
	const before = context.server.output().length;
	const run = await underLoad(context, 'terminate', async () => {
		const marks = [];
		for (let i = 1; i <= 3; i++) {
			await sleep(1_500);
			const mark = { name: `pg_terminate_backend #${i}`, at: now() };
			mark.killed = await context.cluster.terminateApp();
			mark.back = now();
			marks.push(mark);
		}
		await sleep(3_000);
		return marks;
	});
	const judged = await judge(context, 'terminate', run, before);
	judged.figures.killed = run.marks.map((m) => m.killed);
	return judged;
}
