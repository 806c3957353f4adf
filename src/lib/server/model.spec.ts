import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CONTENT_MAX, SUBJECT_MAX } from '../schemas';
import type { DB } from './db/client';
import { countUnread, getMailbox, listThreads, PAGE_SIZE, type ThreadSummary } from './mailbox';
import { databases, makeUsers, useDatabase } from './http/testing';
import { blockUser, setDmPolicy, unblockUser } from './blocks';
import { DmPolicy } from './db/schema';
import { resolveRecipients } from './recipients';
import {
	MessagingError,
	RequestPendingError,
	acceptRequest,
	declineRequest,
	deleteThread,
	excerptOf,
	openThread,
	reply,
	restoreThread,
	startThread
} from './threads';

// Random sequences of the domain operations by a handful of users, each step checked against a
// plain in-memory model of SPEC §2. A failure prints fast-check's seed and path and the shrunk
// sequence of steps (see `replay` below to run it again); FC_RUNS sets the number of runs.
const USERS = 4;
const RUNS = Number(process.env.FC_RUNS ?? 60);
const MAX_STEPS = 40;

/** A user's mailbox state for one thread. */
interface Place {
	unread: boolean;
	deleted: boolean;
	/** A message request not yet accepted (in Requests). */
	request?: boolean;
	/** Muted (by blocking the only other one): not unread, not brought back from Deleted. */
	muted?: boolean;
	/** Declined: in no folder, no longer reached; it saw this many messages. */
	leftAt?: number;
	/** Has written in the thread. */
	sent?: boolean;
}

interface ModelThread {
	id: string;
	subject: string;
	/** Oldest first; `from` is the index of the sender among the run's users. */
	messages: { from: number; content: string }[];
	/** The number of messages sent anywhere when this thread last had one: latest activity. */
	activity: number;
	/** One per participant, by user index. */
	places: Map<number, Place>;
}

interface Model {
	threads: ModelThread[];
	sent: number;
	/** Who may message each user (`DmPolicy`), by user index. */
	policies: number[];
	/** `a>b`: a blocks b. */
	blocks: Set<string>;
}

interface Real {
	db: DB;
	users: { id: number; username: string }[];
}

type Step = fc.AsyncCommand<Model, Real>;

/**
 * SPEC §5: required after trimming, at most `max` characters (code points); and no U+0000, which
 * PostgreSQL cannot store.
 */
function accepted(text: string, max: number): string | null {
	const trimmed = text.trim();
	return trimmed && [...trimmed].length <= max && !trimmed.includes('\0') ? trimmed : null;
}

/** Arbitrary text for a field: mostly ordinary, sometimes blank, binary or at the length limit. */
const text = (max: number) =>
	fc.oneof(
		{ weight: 12, arbitrary: fc.string({ unit: 'grapheme', minLength: 1, maxLength: 10 }) },
		{ weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 6 }) },
		{
			weight: 1,
			arbitrary: fc.constantFrom(
				'',
				' \n\t ',
				'a\0b',
				` ${'x'.repeat(max)} `,
				'x'.repeat(max + 1),
				'😀'.repeat(max),
				'😀'.repeat(max + 1)
			)
		}
	);

const show = (text: string) =>
	text.length > 24 ? `${JSON.stringify(text.slice(0, 12))}…(${text.length})` : JSON.stringify(text);

const user = fc.nat({ max: USERS - 1 });
/** Recipients, as offsets from the sender: mostly others (repeats allowed), rarely none or self. */
const recipients = fc.oneof(
	{
		weight: 9,
		arbitrary: fc.array(fc.integer({ min: 1, max: USERS - 1 }), { minLength: 1, maxLength: 4 })
	},
	{ weight: 1, arbitrary: fc.constantFrom([], [0], [1, 0]) }
);
/** A thread of the model, by index modulo the number of threads: stays valid when shrinking. */
const threadIndex = fc.nat({ max: MAX_STEPS });

function step(
	name: string,
	act: (m: Model, r: Real) => Promise<unknown>,
	needsThread = true
): Step {
	return {
		check: (m) => !needsThread || m.threads.length > 0,
		run: async (m, r) => {
			await act(m, r);
			await expectAgreement(m, r);
		},
		toString: () => name
	};
}

const pick = (m: Model, t: number) => m.threads[t % m.threads.length];

/** Starts a thread in the app and in the model, or sees the app refuse what the model refuses. */
async function send(
	m: Model,
	r: Real,
	from: number,
	to: number[],
	subject: string,
	content: string
) {
	// As compose sends it: the To field's names through the recipient rules first.
	const resolved = await resolveRecipients(
		r.db,
		r.users[from],
		to.map((u) => r.users[u].username).join(', ')
	);
	const named = [...new Set(to)].filter((u) => u !== from);
	const refusal = named.length === 0 ? 'yourself' : refusalOf(m, from, named);
	if (refusal) return expect(resolved.error, refusal).toBeDefined();
	const requests = named.filter(
		(u) => m.policies[u] === DmPolicy.requests && !writtenWith(m, from, u)
	);
	expect(resolved.users?.map((user) => user.id).sort(), 'recipients').toEqual(
		named.map((u) => r.users[u].id).sort()
	);
	expect(resolved.requests?.toSorted(), 'requests').toEqual(
		requests.map((u) => r.users[u].id).sort()
	);
	const ids = resolved.users!.map((user) => user.id);
	const sending = startThread(r.db, {
		from: r.users[from].id,
		to: ids,
		subject,
		content,
		requests: resolved.requests
	});
	const recipients = named;
	const [s, c] = [accepted(subject, SUBJECT_MAX), accepted(content, CONTENT_MAX)];
	if (!s || !c) return expect(sending).rejects.toThrow(MessagingError);
	const { thread } = await sending;
	const places = new Map<number, Place>([[from, { unread: false, deleted: false, sent: true }]]);
	for (const u of recipients)
		places.set(u, { unread: true, deleted: false, request: requests.includes(u) });
	const messages = [{ from, content: c }];
	m.threads.push({ id: thread.id, subject: s, messages, activity: ++m.sent, places });
}

/** Both have written in a thread they share, one of them still having it (reach.ts). */
function writtenWith(m: Model, a: number, b: number) {
	const keeps = (p: Place) => !p.deleted && p.leftAt === undefined;
	return m.threads.some((t) => {
		const [pa, pb] = [t.places.get(a), t.places.get(b)];
		return pa?.sent && pb?.sent && (keeps(pa) || keeps(pb));
	});
}

/** Why the rules refuse `from` a thread with `to`, or null (recipients.ts). */
function refusalOf(m: Model, from: number, to: number[]): string | null {
	for (const u of to) {
		if (m.blocks.has(`${u}>${from}`) || m.blocks.has(`${from}>${u}`)) return `u${u}: blocked`;
		const policy = m.policies[u];
		if (policy === DmPolicy.nobody) return `u${u}: nobody`;
		if (policy === DmPolicy.writtenWith && !writtenWith(m, from, u)) return `u${u}: strangers`;
	}
	for (const u of to) {
		const waiting = m.threads.some((t) => {
			const p = t.places.get(u);
			return t.messages[0].from === from && p?.request && !p.deleted && p.leftAt === undefined;
		});
		if (m.policies[u] === DmPolicy.requests && waiting) return `u${u}: a request waits`;
	}
	return null;
}

function start(from: number, to: number[], subject: string, content: string): Step {
	const name = `start(u${from} → [${to.map((u) => `u${u}`)}], ${show(subject)}, ${show(content)})`;
	return step(name, (m, r) => send(m, r, from, to, subject, content), false);
}

/** Several threads at once, so that folders grow past a page (PAGE_SIZE) now and then. */
function startMany(from: number, to: number, count: number): Step {
	return step(
		`startMany(u${from} → u${to}, ${count})`,
		async (m, r) => {
			for (let i = 0; i < count; i++) await send(m, r, from, [to], `Batch ${i}`, `Message ${i}`);
		},
		false
	);
}

function replyTo(t: number, by: number, content: string): Step {
	return step(`reply(#${t}, u${by}, ${show(content)})`, async (m, r) => {
		const thread = pick(m, t);
		const sending = reply(r.db, { from: r.users[by].id, threadId: thread.id, content });
		const c = accepted(content, CONTENT_MAX);
		if (!c) return expect(sending).rejects.toThrow(MessagingError);
		const mine = thread.places.get(by);
		const waits =
			thread.messages[0].from === by &&
			[...thread.places].some(([u, p]) => u !== by && p.request && p.leftAt === undefined);
		if (mine && mine.leftAt === undefined && waits) {
			return expect(sending).rejects.toThrow(RequestPendingError);
		}
		const sent = await sending;
		if (!mine || mine.leftAt !== undefined) return expect(sent).toBeNull();
		expect(sent?.message.content).toBe(c);
		thread.messages.push({ from: by, content: c });
		thread.activity = ++m.sent;
		for (const [u, place] of thread.places) {
			if (place.leftAt !== undefined) continue;
			const isSender = u === by;
			Object.assign(place, {
				unread: !isSender,
				deleted: isSender || !place.muted ? false : place.deleted,
				request: isSender ? false : place.request,
				sent: place.sent || isSender
			});
		}
	});
}

function view(t: number, by: number): Step {
	return step(`view(#${t}, u${by})`, async (m, r) => {
		const thread = pick(m, t);
		const opened = await openThread(r.db, r.users[by].id, thread.id);
		const place = thread.places.get(by);
		if (!place) return expect(opened).toBeNull();
		expect(opened?.thread.subject).toBe(thread.subject);
		expect(opened?.thread.deleted).toBe(place.deleted);
		const participants = namesOf(r, [...thread.places.keys()]);
		expect(opened?.thread.participantNames.toSorted()).toEqual(participants);
		expect(opened?.messages.map((msg) => [msg.sender, msg.content])).toEqual(
			thread.messages
				.slice(0, place.leftAt ?? thread.messages.length)
				.map((msg) => [r.users[msg.from].username, msg.content])
		);
		place.unread = false;
	});
}

function moveTo(folder: 'deleted' | 'inbox', t: number, by: number): Step {
	const verb = folder === 'deleted' ? 'delete' : 'restore';
	return step(`${verb}(#${t}, u${by})`, async (m, r) => {
		const thread = pick(m, t);
		const act = folder === 'deleted' ? deleteThread : restoreThread;
		const done = await act(r.db, r.users[by].id, thread.id);
		const place = thread.places.get(by);
		// Without `seen`, a delete always deletes. Not in the thread: delete says null, restore false.
		expect(done).toBe(place ? true : folder === 'deleted' ? null : false);
		if (place) place.deleted = folder === 'deleted';
	});
}

function setPolicy(by: number, policy: number): Step {
	return step(
		`policy(u${by}, ${policy})`,
		async (m, r) => {
			await setDmPolicy(r.db, r.users[by].id, policy as never);
			m.policies[by] = policy;
		},
		false
	);
}

/** `by` blocks (or unblocks) `whom`; a block mutes their threads of just the two for `by`. */
function block(by: number, whom: number, unblock: boolean): Step {
	return step(
		`${unblock ? 'unblock' : 'block'}(u${by}, u${whom})`,
		async (m, r) => {
			const name = r.users[whom].username;
			const key = `${by}>${whom}`;
			if (unblock) {
				expect(await unblockUser(r.db, r.users[by].id, name)).toBe(m.blocks.delete(key));
				return;
			}
			expect(await blockUser(r.db, r.users[by].id, name)).toBe(
				by === whom ? null : r.users[whom].id
			);
			if (by === whom) return;
			m.blocks.add(key);
			for (const t of m.threads) {
				const mine = t.places.get(by);
				if (mine && mine.leftAt === undefined && t.places.has(whom) && t.places.size === 2) {
					mine.muted = true;
				}
			}
		},
		false
	);
}

function answerRequest(t: number, by: number, accept: boolean): Step {
	return step(`${accept ? 'accept' : 'decline'}(#${t}, u${by})`, async (m, r) => {
		const thread = pick(m, t);
		const place = thread.places.get(by);
		const pending = place?.request && place.leftAt === undefined;
		if (accept) {
			expect(await acceptRequest(r.db, r.users[by].id, thread.id)).toBe(!!pending);
			if (pending) place.request = false;
		} else {
			const sender = r.users[thread.messages[0].from].username;
			expect(await declineRequest(r.db, r.users[by].id, thread.id)).toBe(pending ? sender : null);
			if (pending) place.leftAt = thread.messages.length;
		}
	});
}

const startArbitrary = fc
	.tuple(user, recipients, text(SUBJECT_MAX), text(CONTENT_MAX))
	.map(([from, offsets, subject, content]) => {
		const to = offsets.map((offset) => (from + offset) % USERS);
		return start(from, to, subject, content);
	});

// Starting is listed twice: no other step can run before a thread exists.
const steps = [
	startArbitrary,
	startArbitrary,
	fc
		.tuple(user, fc.integer({ min: 1, max: USERS - 1 }), fc.integer({ min: 2, max: 12 }))
		.map(([from, offset, count]) => startMany(from, (from + offset) % USERS, count)),
	fc.tuple(threadIndex, user, text(CONTENT_MAX)).map((args) => replyTo(...args)),
	fc.tuple(threadIndex, user).map((args) => view(...args)),
	fc.tuple(threadIndex, user).map((args) => moveTo('deleted', ...args)),
	fc.tuple(threadIndex, user).map((args) => moveTo('inbox', ...args)),
	fc.tuple(user, fc.constantFrom(...Object.values(DmPolicy))).map((args) => setPolicy(...args)),
	fc.tuple(user, user, fc.boolean()).map((args) => block(...args)),
	fc.tuple(threadIndex, user, fc.boolean()).map((args) => answerRequest(...args))
];

const namesOf = (r: Real, users: number[]) => users.map((u) => r.users[u].username).sort();

/** A folder as the model has it for user `u`: latest activity first. */
function modelFolder(
	m: Model,
	r: Real,
	u: number,
	folder: 'inbox' | 'unread' | 'deleted' | 'requests'
) {
	return m.threads
		.filter((t) => {
			const place = t.places.get(u);
			if (!place || place.leftAt !== undefined) return false;
			if (folder === 'deleted') return place.deleted;
			if (folder === 'requests') return !place.deleted && place.request;
			return (
				!place.deleted && !place.request && (folder === 'inbox' || (place.unread && !place.muted))
			);
		})
		.sort((a, b) => b.activity - a.activity)
		.map((t) => {
			const last = t.messages[t.messages.length - 1];
			const others = [...t.places.keys()].filter((other) => other !== u);
			return {
				id: t.id,
				subject: t.subject,
				unread: t.places.get(u)!.unread,
				sender: r.users[last.from].username,
				excerpt: excerptOf(last.content),
				others: namesOf(r, others)
			};
		});
}

const summaries = (threads: ThreadSummary[]) =>
	threads.map(({ id, subject, unread, sender, excerpt, others }) => ({
		id,
		subject,
		unread,
		sender,
		excerpt,
		others: others.toSorted()
	}));

/** Every page of a folder, as the app lists it, from a page's `older` cursor on. */
async function pagesFrom(
	db: DB,
	userId: number,
	folder: 'inbox' | 'deleted' | 'requests',
	older: number | null
) {
	const threads: ThreadSummary[] = [];
	while (older !== null) {
		const page = await listThreads(db, userId, folder, older);
		threads.push(...page.threads);
		older = page.older;
	}
	return threads;
}

/** The app's folders and unread count for every user are the model's. */
async function expectAgreement(m: Model, r: Real) {
	await Promise.all(
		r.users.map(async ({ id, username }, u) => {
			const [mailbox, deleted, requests, unreadCount] = await Promise.all([
				getMailbox(r.db, id),
				listThreads(r.db, id, 'deleted'),
				listThreads(r.db, id, 'requests'),
				countUnread(r.db, id)
			]);
			const inbox = [
				...mailbox.inboxThreads,
				...(await pagesFrom(r.db, id, 'inbox', mailbox.olderInbox))
			];
			const allDeleted = [
				...deleted.threads,
				...(await pagesFrom(r.db, id, 'deleted', deleted.older))
			];
			const unread = modelFolder(m, r, u, 'unread');
			const who = `u${u} (${username})`;
			expect(summaries(inbox), `${who}: inbox`).toEqual(modelFolder(m, r, u, 'inbox'));
			expect(summaries(allDeleted), `${who}: Deleted`).toEqual(modelFolder(m, r, u, 'deleted'));
			const allRequests = [
				...requests.threads,
				...(await pagesFrom(r.db, id, 'requests', requests.older))
			];
			expect(summaries(allRequests), `${who}: Requests`).toEqual(modelFolder(m, r, u, 'requests'));
			expect(summaries(mailbox.unreadThreads), `${who}: unread`).toEqual(
				unread.slice(0, PAGE_SIZE)
			);
			expect(unreadCount, `${who}: unread count`).toBe(unread.length);
			expect(mailbox.unreadCount, `${who}: the mailbox's unread count`).toBe(unread.length);
		})
	);
}

// To replay a failure: FC_SEED, FC_PATH and FC_REPLAY_PATH (the `replayPath` in the output).
const replay = process.env.FC_SEED
	? { seed: Number(process.env.FC_SEED), path: process.env.FC_PATH, endOnFailure: true }
	: {};

describe.each(databases)('the domain API against a model, on %s', (_, options) => {
	const db = useDatabase(options);

	it('keeps unread counts, folders, their order and read state as the model says', async () => {
		const property = fc.asyncProperty(
			fc.commands(steps, {
				maxCommands: MAX_STEPS,
				size: 'max',
				replayPath: process.env.FC_REPLAY_PATH
			}),
			async (sequence) => {
				const users = await makeUsers(db(), USERS);
				const setup = () => ({
					model: { threads: [], sent: 0, policies: users.map(() => 0), blocks: new Set<string>() },
					real: { db: db(), users }
				});
				await fc.asyncModelRun(setup, sequence);
			}
		);
		await fc.assert(property, { numRuns: RUNS, ...replay });
	}, 360_000);
});
