// Live updates under faults, on two instances of the app on one PostgreSQL: every user has a tab
// on each instance (tabs.mjs) while replies are sent through both and the LISTEN connection, the
// database or an instance fails. No acknowledged reply may stay unknown to any tab.
import { durabilityProblems, problemWith, unexpectedOutput } from './checks.mjs';
import { get, reply } from './client.mjs';
import { now, sleep, threadPageProblems } from './scenarios.mjs';
import {
	catchUp,
	closeTabs,
	openTab,
	openTabs,
	range,
	resyncDelays,
	seconds,
	tabsJudged
} from './tabs.mjs';

/** Pause between one sender's replies. */
const SEND_PAUSE_MS = 100;
/** After LISTEN is killed, every stream of that instance must be told within this. */
const RESYNC_LIMIT_MS = 2_000;
/** After the database or an instance is back, every affected stream re-syncs within this. */
export const RECOVERY_LIMIT_MS = 5_000;
/** How long a stream request is told to wait while the database is down (Retry-After). */
const COME_BACK_MS = 5_000;
/** An instance stopped with streams open must exit in well under 5 s. */
export const EXIT_LIMIT_MS = 5_000;

/**
 * Each user sends a reply every SEND_PAUSE_MS until `running()` turns false, half of them through
 * each instance; when one refuses the connection, the next reply goes to the other, as a proxy's
 * would.
 */
async function sendLoop({ instances, users, threads, prefix, running, record }) {
	await Promise.all(
		users.map(async (user, u) => {
			let at = u % instances.length;
			for (let n = 0; running(); n++) {
				const content = `${prefix}-u${u}-${n}-${Math.random().toString(36).slice(2, 8)}`;
				const threadId = threads[u % threads.length];
				const answer = await reply(instances[at].base, user, threadId, content, u % 2 === 1);
				record(answer);
				if (answer.status === 0) at = (at + 1) % instances.length;
				await sleep(SEND_PAUSE_MS);
			}
		})
	);
}

/** Opens the tabs, sends while `faults()` runs, stops sending and lets the tabs catch up. */
async function withTabs(context, prefix, faults, { serverMayStop = false } = {}) {
	const { instances, users, threads } = context;
	const tabs = await openTabs(users, instances, threads, { serverMayStop });
	const answers = [];
	let running = true;
	const record = (answer) => answers.push(answer);
	const sending = sendLoop({ instances, users, threads, prefix, running: () => running, record });
	let marks;
	try {
		marks = await faults({ tabs, record });
	} finally {
		running = false;
		await sending;
		await catchUp(tabs, answers);
		await closeTabs(tabs);
	}
	return { tabs, answers, marks };
}

/**
 * What every live scenario checks: the answers; that every tab learnt of every acknowledged
 * reply; the rows; each user's thread pages; what the instances logged; that none crashed.
 */
async function judge(context, prefix, { tabs, answers }, outputsBefore, stopped = null) {
	const problems = answers
		.map((a) => problemWith(a, { noAnswerAllowed: stopped !== null }))
		.filter(Boolean);
	const seen = tabsJudged(tabs, answers);
	problems.push(...seen.problems);
	const rows = await context.cluster.query(
		(sql) => sql`select id, content from messages where content like ${prefix + '-%'}`
	);
	const stored = durabilityProblems(answers, rows);
	problems.push(...stored.problems);
	const running = context.instances.filter((s) => s !== stopped);
	for (const [i, server] of context.instances.entries()) {
		const logged = unexpectedOutput(server.output().slice(outputsBefore[i]));
		if (logged.length) problems.push(`instance ${i + 1} logged: ${logged.slice(0, 5).join(' | ')}`);
		if (server === stopped) continue;
		if (!server.running()) problems.push(`instance ${i + 1} is no longer running`);
		else if ((await get(server.base, context.users[0], '/status')).status !== 200)
			problems.push(`instance ${i + 1} does not answer /status`);
	}
	// What each user's own pages show, on an instance that is still there.
	for (const [u, user] of context.users.entries()) {
		const server = running[u % running.length];
		const shown = await threadPageProblems({ ...context, server }, answers, user);
		problems.push(...shown.map((p) => `${user.username}: ${p}`));
	}
	return {
		problems,
		figures: {
			replies: answers.length,
			acknowledged: stored.acknowledged,
			503: answers.filter((a) => a.status === 503).length,
			'stored, not acknowledged': stored.unacknowledgedStored,
			...seen.figures
		}
	};
}

const outputs = (context) => context.instances.map((s) => s.output().length);

/** Kills the LISTEN connection of the instance whose connections are named `appName`. */
async function killListen(cluster, appName) {
	const rows = await cluster.query(
		(sql) => sql`select pg_terminate_backend(pid) as killed from pg_stat_activity
			where query ilike 'listen%' and application_name = ${appName}`
	);
	return rows.filter((r) => r.killed).length;
}

/**
 * (e) The LISTEN backend of instance 1 killed with pg_terminate_backend while replies keep
 * coming through both instances, and a burst through instance 1 right after the kill.
 */
export async function listenKilled(context) {
	const before = outputs(context);
	const [first] = context.instances;
	const kill = {};
	const run = await withTabs(context, 'listen', async ({ record }) => {
		await sleep(1_500);
		kill.at = now();
		kill.killed = await killListen(context.cluster, first.appName);
		await Promise.all(
			context.users.map(async (user, u) => {
				const content = `listen-gap-u${u}-${Math.random().toString(36).slice(2, 8)}`;
				const threadId = context.threads[u % context.threads.length];
				record(await reply(first.base, user, threadId, content, false));
			})
		);
		await sleep(3_000);
	});
	const judged = await judge(context, 'listen', run, before);
	const onFirst = run.tabs.filter((t) => t.home === first.base);
	const onSecond = run.tabs.filter((t) => t.home !== first.base);
	if (kill.killed !== 1) judged.problems.push(`${kill.killed} LISTEN backends killed, not 1`);
	const told = resyncDelays(onFirst, kill.at, kill.at, RESYNC_LIMIT_MS, 'the kill');
	judged.problems.push(...told.problems);
	// The point of it: replies whose notice instance 1 never got, so only the re-sync shows them.
	const lost = run.answers.filter(
		(a) => a.acknowledged && onFirst.every((t) => !t.delivered.has(a.messageId))
	);
	if (lost.length === 0) judged.problems.push('no reply was sent while LISTEN was down');
	judged.figures['replies whose notice instance 1 lost'] = lost.length;
	judged.figures['resync after the kill'] = range(told.delays);
	judged.figures['resyncs on instance 2'] = onSecond.reduce((n, t) => n + t.resyncs.length, 0);
	return judged;
}

/**
 * (f) PostgreSQL restarted (`restart -m fast`), then stopped for 3 s, while replies are sent
 * through both instances before, during and after. During the second, half the tabs lose their
 * connection (a network blip, a hidden tab shown again) and reconnect while it is still down.
 */
export async function restartedWithStreams(context) {
	const before = outputs(context);
	let dropped;
	const run = await withTabs(context, 'relisten', async ({ tabs }) => {
		await sleep(1_500);
		const first = { name: 'restart -m fast', at: now() };
		await context.cluster.restart();
		first.back = now();
		await sleep(3_000);
		const second = { name: 'stopped for 3 s', at: now() };
		await context.cluster.stop();
		// They reconnect after `retry:` (2 s), before the database is back.
		await sleep(200);
		dropped = tabs.filter((_, i) => i % 2 === 0);
		for (const tab of dropped) tab.drop();
		await sleep(2_800);
		await context.cluster.start();
		second.back = now();
		await sleep(3_000);
		return [first, second];
	});
	const judged = await judge(context, 'relisten', run, before);
	const [first, second] = run.marks;
	const kept = run.tabs.filter((t) => !dropped.includes(t));
	const checks = [
		[first, run.tabs, RECOVERY_LIMIT_MS, 'restart -m fast'],
		[second, kept, RECOVERY_LIMIT_MS, 'stopped for 3 s, streams kept'],
		// Told to come back in 5 s (Retry-After) while it was down: so up to 5 s after it is back.
		[second, dropped, COME_BACK_MS + RECOVERY_LIMIT_MS, 'stopped for 3 s, streams reconnecting']
	];
	for (const [mark, tabs, limitMs, what] of checks) {
		const told = resyncDelays(tabs, mark.at, mark.back, limitMs, what);
		judged.problems.push(...told.problems);
		judged.figures[`resync after ${what}, from the database back`] = range(told.delays);
	}
	return judged;
}

/**
 * (g) Instance 2 stopped (SIGTERM) with its streams open, and more of them opening at that
 * moment: it exits at once, and its tabs reconnect to instance 1 (where the proxy would send
 * them) and re-read.
 */
export async function stoppedWithStreams(context) {
	const before = outputs(context);
	const [other, stopped] = context.instances;
	const stop = {};
	const run = await withTabs(
		context,
		'stopped',
		async ({ tabs }) => {
			await sleep(1_500);
			stop.open = tabs.filter((t) => t.home === stopped.base);
			// A tab per user opening as the signal comes, 60 ms to 0 ms before: some requests are
			// in flight (the session lookup) while the instance ends its streams.
			stop.late = [];
			for (const [u, user] of context.users.entries()) {
				const bases = [stopped.base, other.base];
				stop.late.push(openTab(user, bases, context.threads, true, ' (opening)'));
				await sleep([30, 15, 8, 4, 2, 0][u] ?? 0);
			}
			tabs.push(...stop.late);
			stop.at = now();
			stop.exit = await stopped.stop('SIGTERM', 20_000);
			stop.seconds = seconds(now() - stop.at);
			await sleep(4_000);
		},
		{ serverMayStop: true }
	);
	const judged = await judge(context, 'stopped', run, before, stopped);
	if (stop.exit.code !== 0)
		judged.problems.push(`instance 2 exited with ${stop.exit.code ?? stop.exit.signal}`);
	if (stop.seconds * 1000 > EXIT_LIMIT_MS)
		judged.problems.push(`instance 2 took ${stop.seconds} s to exit`);
	const told = resyncDelays(stop.open, stop.at, stop.at, RECOVERY_LIMIT_MS, 'the SIGTERM');
	judged.problems.push(...told.problems);
	const stayed = [...stop.open, ...stop.late].filter(
		(t) => t.hellos.length === 0 || t.record.opens.at(-1).base === stopped.base
	);
	if (stayed.length) judged.problems.push(`${stayed.length} tabs have no stream on instance 1`);
	judged.figures['tabs opening at the SIGTERM'] = stop.late.length;
	judged.figures['exit seconds'] = stop.seconds;
	judged.figures['streams reconnected on instance 1 after the SIGTERM'] = range(told.delays);
	return judged;
}
