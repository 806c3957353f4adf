// Browser tabs following their user's live events, as src/lib/live.svelte.ts does: a tab knows a
// message when its event arrived, or when a re-read of its threads showed it. It re-reads (after
// the browser's debounce) on `resync` and after every reconnect, never otherwise. A tab that
// never learns of an acknowledged message would show a stale mailbox: the live updates missed it.
import { problemWith } from './checks.mjs';
import { get } from './client.mjs';
import { followEvents } from './events.mjs';

/** The browser's debounce and jitter before re-reading (src/lib/live.svelte.ts). */
const DEBOUNCE_MS = 100;
const JITTER_MS = 400;
/** How long the tabs may take to catch up once the messages stop. */
const CATCH_UP_MS = 5_000;

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const now = () => performance.now();
export const seconds = (ms) => Math.round(ms) / 1000;
export const range = (values) =>
	values.length ? `${seconds(Math.min(...values))}–${seconds(Math.max(...values))} s` : 'none';

/**
 * Adds the messages on a user's thread pages to `known`, newest page first, going to older pages
 * while a page still shows something the tab did not know (a gap never spans a whole page here).
 * 'unavailable' when the database was down, or the server when `serverMayStop` (the tab stays
 * behind until its next re-sync, as a browser's would), or what was wrong.
 */
async function readThreads(base, user, threads, known, serverMayStop) {
	for (const threadId of threads) {
		const path = `/messages/thread/${threadId}`;
		// From the newest page: with many unread, the thread itself opens at the first unread.
		for (let next = `${path}?before=${Number.MAX_SAFE_INTEGER}`; next;) {
			const page = await get(base, user, next);
			const problem = problemWith(page, { noAnswerAllowed: serverMayStop });
			if (problem) return `${problem} on ${base}`;
			if (page.status === 503 || page.status === 0) return 'unavailable';
			const ids = [...page.body.matchAll(/id="message-(\d+)"/g)].map((m) => Number(m[1]));
			const fresh = ids.filter((id) => !known.has(id));
			for (const id of fresh) known.add(id);
			const older = page.body.match(/href="\?before=(\d+)"/);
			next = older && fresh.length ? `${path}?before=${older[1]}` : null;
		}
	}
	return null;
}

/** A tab of `user` whose stream starts on `bases[0]` (the rest are where a proxy would go next). */
export function openTab(user, bases, threads, serverMayStop, label = '') {
	const tab = {
		name: `${user.username}@${new URL(bases[0]).port}${label}`,
		home: bases[0],
		known: new Set(),
		/** Message ids whose event arrived. */
		delivered: new Set(),
		resyncs: [],
		/** When each stream greeted it: an answer that only says "come back later" does not. */
		hellos: [],
		/** When each re-read that succeeded started. */
		reads: [],
		/** Re-reads answered 503 (the database down), or not at all (the server stopped). */
		unavailable: 0,
		problems: [],
		pending: false
	};
	let timer;
	let base = bases[0];
	const reRead = (delay) => {
		clearTimeout(timer);
		tab.pending = true;
		timer = setTimeout(async () => {
			const at = now();
			const problem = await readThreads(base, user, threads, tab.known, serverMayStop);
			tab.pending = false;
			if (problem === 'unavailable') tab.unavailable++;
			else if (problem) tab.problems.push(`${tab.name}: re-read: ${problem}`);
			else tab.reads.push(at);
		}, delay);
	};
	const events = followEvents({
		bases,
		cookie: user.cookie,
		on: {
			open(on, reconnect) {
				base = on;
				// The first read is the page's load; every later one a re-sync.
				reRead(reconnect ? DEBOUNCE_MS + Math.random() * JITTER_MS : 0);
			},
			event({ type, id }) {
				if (type === 'message') {
					tab.delivered.add(Number(id));
					tab.known.add(Number(id));
				} else if (type === 'hello') {
					tab.hellos.push(now());
				} else if (type === 'resync') {
					tab.resyncs.push(now());
					reRead(DEBOUNCE_MS + Math.random() * JITTER_MS);
				}
			}
		}
	});
	tab.record = events.record;
	tab.drop = events.drop;
	tab.close = async () => {
		clearTimeout(timer);
		await events.close();
	};
	/** The first time, at `at` or later, that this tab was told to re-read: resync or reconnect. */
	tab.resyncedAfter = (at) => {
		const times = [...tab.resyncs, ...tab.hellos.slice(1)];
		return Math.min(...times.filter((t) => t >= at));
	};
	return tab;
}

/** Waits until every tab has loaded (or its stream ended for good), 15 s at most. */
export async function loaded(tabs) {
	const started = now();
	while (tabs.some((t) => t.reads.length === 0 && !t.record.failed)) {
		if (now() - started > 15_000) throw new Error('the tabs did not load in 15 s');
		await sleep(50);
	}
}

/**
 * A tab for every user on each instance (falling back to the others), once each has loaded:
 * every user is in every one of `threads`. With `serverMayStop`, a re-read may get no answer.
 */
export async function openTabs(users, instances, threads, { serverMayStop = false } = {}) {
	const tabs = [];
	for (const [i, instance] of instances.entries()) {
		const others = instances.filter((_, j) => j !== i).map((s) => s.base);
		for (const user of users)
			tabs.push(openTab(user, [instance.base, ...others], threads, serverMayStop));
	}
	await loaded(tabs);
	return tabs;
}

/** Waits until every tab knows every acknowledged reply, CATCH_UP_MS at most. */
export async function catchUp(tabs, answers) {
	const acknowledged = answers.filter((a) => a.acknowledged);
	const caughtUp = () =>
		tabs.every((t) => !t.pending && acknowledged.every((a) => t.known.has(a.messageId)));
	const started = now();
	while (!caughtUp() && now() - started < CATCH_UP_MS) await sleep(50);
}

/** Waits until every tab was told to re-sync at `at` or later, `limitMs` at most. */
export async function reSynced(tabs, at, limitMs) {
	const started = now();
	while (tabs.some((t) => !Number.isFinite(t.resyncedAfter(at))) && now() - started < limitMs)
		await sleep(50);
}

export const closeTabs = (tabs) => Promise.all(tabs.map((t) => t.close()));

/** Every tab knows every acknowledged reply; the figures of what the tabs saw. */
export function tabsJudged(tabs, answers) {
	const problems = [];
	const acknowledged = answers.filter((a) => a.acknowledged);
	let missed = 0;
	let comeBack = 0;
	for (const tab of tabs) {
		problems.push(...tab.problems);
		if (tab.record.failed)
			problems.push(`${tab.name}: the stream ended for good: ${tab.record.failed}`);
		const unknown = acknowledged.filter((a) => !tab.known.has(a.messageId));
		if (unknown.length)
			problems.push(
				`${tab.name} never learnt of ${unknown.length} acknowledged replies ` +
					`(#${unknown
						.slice(0, 5)
						.map((a) => a.messageId)
						.join(', #')})`
			);
		// Replies sent after the tab loaded whose event did not reach it (the load showed the rest).
		missed += acknowledged.filter(
			(a) => a.started > tab.reads[0] && !tab.delivered.has(a.messageId)
		).length;
		comeBack += tab.record.opens.length - tab.hellos.length;
	}
	return {
		problems,
		figures: {
			streams: tabs.length,
			'events delivered': tabs.reduce((n, t) => n + t.delivered.size, 0),
			'events missed, then re-read': missed,
			'streams told to come back later': comeBack,
			're-reads failed for now': tabs.reduce((n, t) => n + t.unavailable, 0)
		}
	};
}

/** Tabs not told to re-sync (at `at` or later) within `limitMs` of `from`, and the delays. */
export function resyncDelays(tabs, at, from, limitMs, what) {
	const problems = [];
	const delays = [];
	for (const tab of tabs) {
		const resynced = tab.resyncedAfter(at);
		if (!Number.isFinite(resynced)) problems.push(`${tab.name}: no resync after ${what}`);
		else if (resynced - from > limitMs)
			problems.push(`${tab.name}: resync only ${seconds(resynced - from)} s after ${what}`);
		// Before `from` (0 here) when the server was up before pg_ctl or the start-up poll saw it.
		else delays.push(Math.max(0, resynced - from));
	}
	return { problems, delays };
}
