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
	actOnThreads,
	addPeople,
	deleteThread,
	excerptOf,
	leaveThread,
	markAllRead,
	openThread,
	reply,
	restoreThread,
	startThread,
	type ActionName
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
	archived: boolean;
	muted: boolean;
	/** Left the thread: in no folder; they still read the timeline up to `until`. */
	left?: boolean;
	until?: number;
	/** Where their history starts: the index of the first entry of the timeline they see. */
	from?: number;
	/** A message request not yet accepted (in Requests). */
	request?: boolean;
	/** Has written in the thread. */
	sent?: boolean;
}

interface ModelThread {
	id: string;
	subject: string;
	/**
	 * The timeline, oldest first; `from` is the index of the sender among the run's users, `at`
	 * its order. An event (someone added, left: `kind` 1, 2) is not a message: no listing shows it.
	 */
	messages: { from: number; content: string; at: number; kind?: number }[];
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
	const place = (unread: boolean): Place => ({
		...{ unread, deleted: false, archived: false, muted: false, left: false }
	});
	const places = new Map<number, Place>([[from, { ...place(false), sent: true }]]);
	for (const u of recipients) places.set(u, { ...place(true), request: requests.includes(u) });
	const messages = [{ from, content: c, at: ++m.sent }];
	m.threads.push({ id: thread.id, subject: s, messages, activity: m.sent, places });
}

/** Both have written in a thread they share, one of them still having it (reach.ts). */
function writtenWith(m: Model, a: number, b: number) {
	const keeps = (p: Place) => !p.deleted && !p.left;
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
			return t.messages[0].from === from && p?.request && !p.deleted && !p.left;
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
		const waits =
			thread.messages[0].from === by &&
			[...thread.places].some(([u, p]) => u !== by && p.request && !p.left);
		if (isMember(thread, by) && waits) return expect(sending).rejects.toThrow(RequestPendingError);
		const sent = await sending;
		if (!isMember(thread, by)) return expect(sent).toBeNull();
		expect(sent?.message.content).toBe(c);
		thread.messages.push({ from: by, content: c, at: ++m.sent });
		thread.activity = m.sent;
		// Back from Deleted and Archive, but for those who muted it; the sender's always.
		for (const [u, place] of thread.places) {
			if (place.left) continue;
			place.unread = u !== by;
			if (u === by || !place.muted) Object.assign(place, { deleted: false, archived: false });
			// Replying to a message request accepts it.
			if (u === by) Object.assign(place, { request: false, sent: true });
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
		expect(opened?.thread.participantNames.toSorted()).toEqual(namesOf(r, membersOf(thread)));
		expect(opened?.messages.map((msg) => [msg.sender, msg.content])).toEqual(
			thread.messages
				.slice(place.from ?? 0, place.until)
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

const isMember = (thread: ModelThread, u: number) => thread.places.get(u)?.left === false;
const membersOf = (thread: ModelThread) =>
	[...thread.places].filter(([, place]) => !place.left).map(([u]) => u);

/** An event in the timeline: members who had read all still have; it is no one's news. */
function addEvent(
	m: Model,
	thread: ModelThread,
	event: Omit<ModelThread['messages'][number], 'at'>
) {
	thread.messages.push({ ...event, at: ++m.sent });
	thread.activity = m.sent;
	thread.places.get(event.from)!.unread = false;
}

function add(t: number, by: number, who: number, shareHistory: boolean): Step {
	const name = `add(#${t}, u${by} adds u${who}${shareHistory ? ', with history' : ''})`;
	return step(name, async (m, r) => {
		const thread = pick(m, t);
		const added = await addPeople(r.db, {
			by: r.users[by],
			threadId: thread.id,
			to: r.users[who].username,
			shareHistory
		});
		if (!isMember(thread, by)) return expect(added).toBeNull();
		// The recipient rules of a new thread: blocks, who may message them, a waiting request.
		const refused = who !== by && refusalOf(m, by, [who]);
		if (isMember(thread, who) || who === by || refused) {
			return expect(added).toHaveProperty('error');
		}
		expect(added).toEqual({ added: [r.users[who].username] });
		const from = shareHistory ? 0 : thread.messages.length;
		// Someone who left comes back on their own row: muted and what they sent stay.
		const before = thread.places.get(who);
		thread.places.set(who, {
			...{ unread: true, deleted: false, archived: false, left: false, from },
			...{ muted: before?.muted ?? false, sent: before?.sent }
		});
		addEvent(m, thread, { from: by, content: '', kind: 1 });
	});
}

function leave(t: number, by: number): Step {
	return step(`leave(#${t}, u${by})`, async (m, r) => {
		const thread = pick(m, t);
		const left = await leaveThread(r.db, r.users[by].id, thread.id);
		if (!isMember(thread, by)) return expect(left).toBe(false);
		expect(left).toBe(true);
		addEvent(m, thread, { from: by, content: '', kind: 2 });
		Object.assign(thread.places.get(by)!, { left: true, until: thread.messages.length });
		// The last one out removes the thread.
		if (membersOf(thread).length === 0) m.threads.splice(m.threads.indexOf(thread), 1);
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
				if (mine && !mine.left && t.places.has(whom) && t.places.size === 2) {
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
		const pending = place?.request && !place.left;
		if (accept) {
			expect(await acceptRequest(r.db, r.users[by].id, thread.id)).toBe(!!pending);
			if (pending) place.request = false;
		} else {
			const sender = r.users[thread.messages[0].from].username;
			expect(await declineRequest(r.db, r.users[by].id, thread.id)).toBe(pending ? sender : null);
			if (pending) Object.assign(place, { left: true, until: thread.messages.length });
		}
	});
}

/** What each action on chosen threads does to a place, or false when it changes nothing. */
const actions: Record<ActionName, (place: Place) => Partial<Place> | false> = {
	archive: (p) => (!p.archived || p.deleted) && { archived: true, deleted: false },
	unarchive: (p) => p.archived && { archived: false },
	delete: (p) => !p.deleted && { deleted: true },
	read: (p) => p.unread && { unread: false },
	unread: (p) => !p.unread && { unread: true },
	mute: (p) => !p.muted && { muted: true },
	unmute: (p) => p.muted && { muted: false }
};

function act(action: ActionName, ts: number[], by: number): Step {
	return step(`${action}([${ts.map((t) => `#${t}`)}], u${by})`, async (m, r) => {
		const chosen = [...new Set(ts.map((t) => pick(m, t)))];
		const changed = await actOnThreads(
			r.db,
			r.users[by].id,
			action,
			chosen.map((thread) => thread.id)
		);
		const expected = [];
		for (const thread of chosen) {
			const place = thread.places.get(by);
			const change = place && !place.left && actions[action](place);
			if (!change) continue;
			Object.assign(place, change);
			expected.push(thread.id);
		}
		expect(changed.map((row) => row.thread).sort()).toEqual(expected.sort());
	});
}

/** Marks a folder read, as its page's Mark all read does having shown every message. */
function allRead(folder: 'inbox' | 'archive' | 'unread', by: number): Step {
	return step(
		`markAllRead(${folder}, u${by})`,
		async (m, r) => {
			const count = await markAllRead(r.db, r.users[by].id, folder, Number.MAX_SAFE_INTEGER);
			const marked = m.threads.filter((t) => {
				const place = t.places.get(by);
				return place?.unread && inFolder(place, folder);
			});
			for (const t of marked) t.places.get(by)!.unread = false;
			expect(count).toBe(marked.length);
		},
		false
	);
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
	fc.tuple(threadIndex, user, user, fc.boolean()).map((args) => add(...args)),
	fc.tuple(threadIndex, user).map((args) => leave(...args)),
	fc.tuple(user, fc.constantFrom(...Object.values(DmPolicy))).map((args) => setPolicy(...args)),
	fc.tuple(user, user, fc.boolean()).map((args) => block(...args)),
	fc.tuple(threadIndex, user, fc.boolean()).map((args) => answerRequest(...args)),
	fc
		.tuple(
			fc.constantFrom(...(Object.keys(actions) as ActionName[])),
			fc.array(threadIndex, { minLength: 1, maxLength: 3 }),
			user
		)
		.map((args) => act(...args)),
	fc
		.tuple(
			fc.constantFrom('inbox', 'archive', 'unread') as fc.Arbitrary<'inbox' | 'archive' | 'unread'>,
			user
		)
		.map((args) => allRead(...args))
];

const namesOf = (r: Real, users: number[]) => users.map((u) => r.users[u].username).sort();

type ModelFolder = 'inbox' | 'unread' | 'archive' | 'sent' | 'deleted' | 'requests';

/** Whether a place is in a folder; muted threads are listed, but never in Unread. */
function inFolder(place: Place, folder: Exclude<ModelFolder, 'sent'>) {
	if (place.left) return false;
	if (folder === 'deleted') return place.deleted;
	if (place.deleted) return false;
	if (folder === 'requests') return !!place.request;
	if (place.request) return false;
	if (folder === 'archive') return place.archived;
	return !place.archived && (folder === 'inbox' || (place.unread && !place.muted));
}

/** The user's own newest message in the thread, if any. */
const ownLast = (t: ModelThread, u: number) =>
	t.messages.findLast((msg) => msg.from === u && !msg.kind);

/** A folder as the model has it for user `u`: latest activity first (Sent: the user's own). */
function modelFolder(m: Model, r: Real, u: number, folder: ModelFolder) {
	const key = (t: ModelThread) => (folder === 'sent' ? ownLast(t, u)!.at : t.activity);
	return m.threads
		.filter((t) => {
			const place = t.places.get(u);
			if (!place || place.left) return false;
			return folder === 'sent' ? !place.deleted && !!ownLast(t, u) : inFolder(place, folder);
		})
		.sort((a, b) => key(b) - key(a))
		.map((t) => {
			const last = folder === 'sent' ? ownLast(t, u)! : t.messages.findLast((msg) => !msg.kind)!;
			const others = membersOf(t).filter((other) => other !== u);
			// Added from now: no excerpt of a message from before.
			const from = t.places.get(u)!.from ?? 0;
			const seen = t.messages.slice(from).some((message) => !message.kind);
			return {
				id: t.id,
				subject: t.subject,
				unread: t.places.get(u)!.unread,
				sender: r.users[last.from].username,
				// Sent reads the first 300 characters of the user's message.
				// Sent shows the user's own words (its first 300 characters), even from before their
				// history starts (added back "from now"); other listings hide an earlier message.
				excerpt:
					folder === 'sent'
						? excerptOf([...last.content].slice(0, 300).join(''))
						: seen
							? excerptOf(last.content)
							: '',
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
	folder: 'inbox' | 'archive' | 'sent' | 'deleted' | 'requests',
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
			const [mailbox, deleted, unreadCount] = await Promise.all([
				getMailbox(r.db, id),
				listThreads(r.db, id, 'deleted'),
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
			const [archive, sent, requests] = await Promise.all(
				(['archive', 'sent', 'requests'] as const).map(async (folder) => {
					const first = await listThreads(r.db, id, folder);
					return [...first.threads, ...(await pagesFrom(r.db, id, folder, first.older))];
				})
			);
			const unread = modelFolder(m, r, u, 'unread');
			const who = `u${u} (${username})`;
			expect(summaries(inbox), `${who}: inbox`).toEqual(modelFolder(m, r, u, 'inbox'));
			expect(summaries(allDeleted), `${who}: Deleted`).toEqual(modelFolder(m, r, u, 'deleted'));
			expect(summaries(archive), `${who}: Archive`).toEqual(modelFolder(m, r, u, 'archive'));
			expect(summaries(sent), `${who}: Sent`).toEqual(modelFolder(m, r, u, 'sent'));
			expect(summaries(requests), `${who}: Requests`).toEqual(modelFolder(m, r, u, 'requests'));
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
	}, 600_000);
});
