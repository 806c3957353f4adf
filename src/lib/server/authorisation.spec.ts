import { asc, inArray, or } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import type { DB } from './db/client';
import { DmPolicy, messages, participants, threads, userBlocks } from './db/schema';
import { countUnread, getMailbox, listThreads } from './mailbox';
import { databases, makeUsers, useDatabase } from './http/testing';
import { searchMessages } from './search';
import { blockUser, setDmPolicy, unblockUser } from './blocks';
import { resolveRecipients } from './recipients';
import {
	RequestPendingError,
	acceptRequest,
	actOnThreads,
	addPeople,
	declineRequest,
	deleteThread,
	getThread,
	leaveThread,
	markAllRead,
	markRead,
	openThread,
	rejoinThread,
	renameThread,
	reply,
	restoreThread,
	startThread,
	undoAction,
	type ActionName
} from './threads';

// The server API's side of the authorisation matrix (tests/authorisation.test.ts is the HTTP
// side): every operation that takes an acting user, as each kind of user, with every kind of
// thread id. A refused call returns its "not yours" value and writes nothing at all; an allowed
// one returns exactly what it should and changes exactly what it should.

const roles = ['participant', 'deleter', 'author', 'bystander', 'outsider'] as const;
type Role = (typeof roles)[number];
type Actor = 'unknown user' | 'outsider' | 'deleter' | 'participant';
const actors: Actor[] = ['unknown user', 'outsider', 'deleter', 'participant'];
const UNKNOWN_USER = -1;

/**
 * The author starts `thread` with the participant and the deleter, who deletes it, and
 * `othersThread` with the bystander; the outsider is in neither.
 */
async function setUp(db: DB) {
	const made = await makeUsers(db, roles.length);
	const users = Object.fromEntries(roles.map((role, i) => [role, made[i]])) as Record<
		Role,
		{ id: number; username: string }
	>;
	const start = (to: Role[]) =>
		startThread(db, {
			from: users.author.id,
			to: to.map((role) => users[role].id),
			subject: 'Hello',
			content: 'First message'
		});
	const { thread, message } = await start(['participant', 'deleter']);
	await deleteThread(db, users.deleter.id, thread.id);
	const others = await start(['bystander']);
	return {
		users,
		thread: thread.id,
		othersThread: others.thread.id,
		first: message,
		othersFirst: others.message
	};
}
type Scene = Awaited<ReturnType<typeof setUp>>;

/** Every row that the scene's users and threads have. */
async function rowsOf(db: DB, scene: Scene) {
	const threadIds = [scene.thread, scene.othersThread];
	const userIds = roles.map((role) => scene.users[role].id);
	return {
		threads: await db.select().from(threads).where(inArray(threads.id, threadIds)),
		messages: await db
			.select()
			.from(messages)
			.where(or(inArray(messages.threadId, threadIds), inArray(messages.senderId, userIds)))
			.orderBy(asc(messages.id)),
		participants: await db
			.select()
			.from(participants)
			.where(or(inArray(participants.threadId, threadIds), inArray(participants.userId, userIds)))
			.orderBy(asc(participants.threadId), asc(participants.userId))
	};
}

/** The folder (inbox, archive, deleted), `left` or `none`, then `, unread` and `, muted` where so. */
type View = string;

/** Where each user has each thread, and the threads' messages. */
async function stateOf(db: DB, scene: Scene) {
	const rows = await rowsOf(db, scene);
	const views = (threadId: string) =>
		Object.fromEntries(
			roles.map((role) => {
				const row = rows.participants.find(
					(p) => p.threadId === threadId && p.userId === scene.users[role].id
				);
				const folder = row?.deletedAt ? 'deleted' : row?.archivedAt ? 'archive' : 'inbox';
				const view = row?.leftAt
					? 'left'
					: row
						? `${folder}${row.lastMessageId > row.readMessageId ? ', unread' : ''}${row.mutedAt ? ', muted' : ''}`
						: 'none';
				return [role, view as View];
			})
		) as Record<Role, View>;
	const messageIds = (threadId: string) =>
		rows.messages.filter((m) => m.threadId === threadId).map((m) => m.id);
	return {
		thread: views(scene.thread),
		othersThread: views(scene.othersThread),
		messages: { thread: messageIds(scene.thread), othersThread: messageIds(scene.othersThread) }
	};
}
type State = Awaited<ReturnType<typeof stateOf>>;

function stateAtStart(scene: Scene): State {
	return {
		thread: {
			participant: 'inbox, unread',
			deleter: 'deleted, unread',
			author: 'inbox',
			bystander: 'none',
			outsider: 'none'
		},
		othersThread: {
			participant: 'none',
			deleter: 'none',
			author: 'inbox',
			bystander: 'inbox, unread',
			outsider: 'none'
		},
		messages: { thread: [scene.first.id], othersThread: [scene.othersFirst.id] }
	};
}

const names = (scene: Scene, ...of: Role[]) => of.map((role) => scene.users[role].username).sort();

/** The thread as `getThread` gives it to one of its participants. */
const threadAs = (scene: Scene, role: 'participant' | 'deleter') => ({
	id: scene.thread,
	subject: 'Hello',
	participantNames: names(scene, 'author', 'deleter', 'participant'),
	lastMessageId: scene.first.id,
	readMessageId: 0,
	deleted: role === 'deleter',
	archived: false,
	muted: false,
	left: false,
	visibleFrom: 0
});

/** The thread as a listing shows it to one of its participants. */
const summaryFor = (scene: Scene, role: 'participant' | 'deleter') => ({
	id: scene.thread,
	subject: 'Hello',
	others: names(scene, 'author', role === 'participant' ? 'deleter' : 'participant'),
	sender: scene.users.author.username,
	senderIsUser: false,
	excerpt: 'First message',
	sentAt: scene.first.sentAt,
	unread: true,
	lastMessageId: scene.first.id
});

const byNumber = (a: number, b: number) => a - b;

type Effect = (state: State, actor: Role, result: unknown) => void;
const read: Effect = (state, actor) => {
	state.thread[actor] = state.thread[actor].startsWith('inbox') ? 'inbox' : 'deleted';
};
const restored: Effect = (state) => void (state.thread.deleter = 'inbox, unread');

/** What a call must give: a result or a rejection, and what it changes (nothing when absent). */
type Outcome = ({ result: unknown } | { rejects: object }) & { effect?: Effect };

interface Variant {
	name: string;
	kind: 'thread' | 'no thread';
	id: (scene: Scene) => string;
}

interface Row {
	name: string;
	takesThreadId: boolean;
	run: (db: DB, userId: number, threadId: string, scene: Scene) => Promise<unknown>;
	expected: (actor: Actor, variant: Variant, scene: Scene) => Outcome;
}

/**
 * An operation on one thread: `refused` for anyone but its participants or for any other thread;
 * for the participant and the deleter, with their thread, what `allowed` says.
 */
function threadRow(
	name: string,
	run: Row['run'],
	refused: null | false | 0 | [],
	allowed: (scene: Scene, role: 'participant' | 'deleter') => Outcome
): Row {
	return {
		name,
		takesThreadId: true,
		run,
		expected: (actor, variant, scene) =>
			variant.kind === 'thread' && (actor === 'participant' || actor === 'deleter')
				? allowed(scene, actor)
				: { result: refused }
	};
}

/** An operation on the user's mailbox: what each of them gets; it never writes. */
function mailboxRow(
	name: string,
	run: (db: DB, userId: number) => Promise<unknown>,
	forRole: (scene: Scene, actor: Actor) => unknown
): Row {
	return {
		name,
		takesThreadId: false,
		run: (db, userId) => run(db, userId),
		expected: (actor, _, scene) => ({ result: forRole(scene, actor) })
	};
}

const page = (scene: Scene, actor: Actor, shownTo: Actor) => ({
	threads: actor === shownTo ? [summaryFor(scene, shownTo as 'participant' | 'deleter')] : [],
	older: null
});

/**
 * Each action on chosen threads, on a selection of the one id: what it finds to change for the
 * participant (in the inbox, unread) and the deleter (deleted, unread). Nothing for anyone else.
 */
function actionRows(): Row[] {
	const at = expect.any(String);
	const was: Record<ActionName, (scene: Scene, role: 'participant' | 'deleter') => Outcome> = {
		archive: (scene, role) => ({
			result: [
				{ thread: scene.thread, archivedAt: null, deletedAt: role === 'deleter' ? at : null }
			],
			effect: (state, actor) => void (state.thread[actor] = 'archive, unread')
		}),
		unarchive: () => ({ result: [] }),
		delete: (scene, role) =>
			role === 'deleter'
				? { result: [] }
				: {
						result: [{ thread: scene.thread, deletedAt: null }],
						effect: (state) => void (state.thread.participant = 'deleted, unread')
					},
		read: (scene) => ({ result: [{ thread: scene.thread, readMessageId: 0 }], effect: read }),
		unread: () => ({ result: [] }),
		mute: (scene) => ({
			result: [{ thread: scene.thread, mutedAt: null }],
			effect: (state, actor) => void (state.thread[actor] += ', muted')
		}),
		unmute: () => ({ result: [] })
	};
	return (Object.keys(was) as ActionName[]).map((action) =>
		threadRow(
			`actOnThreads ${action}`,
			(db, user, id) => actOnThreads(db, user, action, [id]),
			[] as never,
			was[action]
		)
	);
}

const rows: Row[] = [
	threadRow(
		'getThread',
		(db, user, id) => getThread(db, user, id),
		null,
		(scene, role) => ({
			result: threadAs(scene, role)
		})
	),
	threadRow(
		'openThread',
		(db, user, id) => openThread(db, user, id),
		null,
		(scene, role) => ({
			result: {
				thread: threadAs(scene, role),
				blocked: [],
				messages: [
					{
						id: scene.first.id,
						sender: scene.users.author.username,
						mine: false,
						content: 'First message',
						sentAt: scene.first.sentAt,
						kind: 0,
						about: null,
						aboutMe: null
					}
				],
				earlier: null,
				later: null,
				firstUnread: scene.first.id,
				markedRead: true
			},
			effect: read
		})
	),
	threadRow(
		'reply',
		async (db, from, threadId) => {
			const sent = await reply(db, { from, threadId, content: 'Let me in.' });
			// The participants come back in no set order.
			return (
				sent && {
					...sent,
					thread: { ...sent.thread, participantIds: sent.thread.participantIds.sort(byNumber) }
				}
			);
		},
		null,
		(scene, role) => ({
			result: {
				thread: {
					id: scene.thread,
					subject: 'Hello',
					participantIds: (['author', 'deleter', 'participant'] as const)
						.map((r) => scene.users[r].id)
						.sort(byNumber)
				},
				message: {
					id: expect.any(Number),
					threadId: scene.thread,
					senderId: scene.users[role].id,
					content: 'Let me in.',
					sentAt: expect.any(Date)
				}
			},
			effect: (state, actor, result) => {
				state.messages.thread.push((result as { message: { id: number } }).message.id);
				for (const r of ['participant', 'deleter', 'author'] as const) {
					state.thread[r] = r === actor ? 'inbox' : 'inbox, unread';
				}
			}
		})
	),
	threadRow(
		'markRead',
		(db, user, id, scene) => markRead(db, user, id, scene.first.id),
		false,
		() => ({ result: true, effect: read })
	),
	threadRow(
		'deleteThread',
		(db, user, id) => deleteThread(db, user, id),
		null,
		(_, role) =>
			// Deleting again keeps the first deletion's time: not a single row changes.
			role === 'deleter'
				? { result: true }
				: { result: true, effect: (state) => void (state.thread.participant = 'deleted, unread') }
	),
	threadRow(
		'restoreThread',
		(db, user, id) => restoreThread(db, user, id),
		false,
		(_, role) => (role === 'deleter' ? { result: true, effect: restored } : { result: true })
	),
	threadRow(
		'addPeople',
		(db, user, threadId, scene) =>
			addPeople(db, {
				by: { id: user },
				threadId,
				to: scene.users.bystander.username,
				shareHistory: false
			}),
		null,
		(scene) => ({
			result: { added: [scene.users.bystander.username] },
			effect: (state, actor) => {
				state.messages.thread.push(expect.any(Number));
				state.thread.bystander = 'inbox, unread';
				// An event is unread on its own for no one: the actor read it, the others as before.
				state.thread.author = 'inbox';
				read(state, actor, null);
			}
		})
	),
	threadRow(
		'leaveThread',
		(db, user, id) => leaveThread(db, user, id),
		false,
		() => ({
			result: true,
			effect: (state, actor) => {
				state.messages.thread.push(expect.any(Number));
				state.thread[actor] = 'left';
			}
		})
	),
	threadRow(
		'renameThread',
		(db, user, id) => renameThread(db, user, id, 'Renamed'),
		false,
		() => ({
			result: true,
			effect: (state, actor) => {
				state.messages.thread.push(expect.any(Number));
				read(state, actor, null);
			}
		})
	),
	// Only someone who has just left comes back: no one here has.
	threadRow(
		'rejoinThread',
		(db, user, id) => rejoinThread(db, user, id),
		false,
		() => ({ result: false })
	),
	mailboxRow(
		'listThreads inbox',
		(db, user) => listThreads(db, user, 'inbox'),
		(scene, actor) => page(scene, actor, 'participant')
	),
	mailboxRow(
		'listThreads inbox, older page',
		(db, user) => listThreads(db, user, 'inbox', Number.MAX_SAFE_INTEGER),
		(scene, actor) => page(scene, actor, 'participant')
	),
	mailboxRow(
		'listThreads unread',
		(db, user) => listThreads(db, user, 'unread'),
		(scene, actor) => page(scene, actor, 'participant')
	),
	mailboxRow(
		'listThreads deleted',
		(db, user) => listThreads(db, user, 'deleted'),
		(scene, actor) => page(scene, actor, 'deleter')
	),
	// Search finds the first message for whoever has it in the folder searched, and no one else.
	...(
		[
			['', 'participant'],
			[' in:deleted', 'deleter']
		] as const
	).map(([operators, finder]) =>
		mailboxRow(
			`searchMessages${operators}`,
			async (db, user) => {
				const outcome = await searchMessages(db, user, `first message${operators}`);
				return outcome.status === 'found' ? outcome.results.map((r) => r.id) : outcome;
			},
			(scene, actor) => (actor === finder ? [scene.first.id] : [])
		)
	),
	mailboxRow('countUnread', countUnread, (_, actor) => (actor === 'participant' ? 1 : 0)),
	mailboxRow('getMailbox', getMailbox, (scene, actor) => {
		const { threads } = page(scene, actor, 'participant');
		return {
			inboxThreads: threads,
			olderInbox: null,
			unreadThreads: threads,
			olderUnread: null,
			unreadCount: threads.length,
			mailboxAt: expect.any(Number)
		};
	}),
	...actionRows(),
	threadRow(
		'undoAction of a Delete',
		(db, user, id) => undoAction(db, user, ['deletedAt'], [{ thread: id, deletedAt: null }]),
		0,
		// Puts back what the Delete found: the participant's row is as it was already.
		(_, role) => (role === 'deleter' ? { result: 1, effect: restored } : { result: 1 })
	),
	{
		name: 'markAllRead inbox',
		takesThreadId: false,
		run: (db, user) => markAllRead(db, user, 'inbox', Number.MAX_SAFE_INTEGER),
		expected: (actor) => (actor === 'participant' ? { result: 1, effect: read } : { result: 0 })
	},
	mailboxRow(
		'listThreads archive',
		(db, user) => listThreads(db, user, 'archive'),
		() => ({ threads: [], older: null })
	),
	mailboxRow(
		'listThreads sent',
		(db, user) => listThreads(db, user, 'sent'),
		() => ({ threads: [], older: null })
	),
	{
		name: 'startThread',
		takesThreadId: false,
		run: (db, from, _, scene) =>
			startThread(db, {
				from,
				to: [scene.users.bystander.id],
				subject: 'New',
				content: 'Hello.'
			}),
		expected: (actor, _, scene) => {
			// No such sender: the insert fails its not-null check and the transaction writes nothing.
			if (actor === 'unknown user') return { rejects: { cause: { code: '23502' } } };
			const from = scene.users[actor].id;
			return {
				result: {
					thread: {
						id: expect.stringMatching(/^[a-z2-7]{16}$/),
						subject: 'New',
						participantIds: [from, scene.users.bystander.id]
					},
					message: {
						id: expect.any(Number),
						threadId: expect.any(String),
						senderId: from,
						content: 'Hello.',
						sentAt: expect.any(Date)
					}
				},
				// A thread of its own: the scene's threads are untouched.
				effect: () => {}
			};
		}
	}
];

const malformed: Record<string, (id: string) => string> = {
	empty: () => '',
	'one character short': (id) => id.slice(0, -1),
	'one character long': (id) => `${id}a`,
	'upper case': (id) => id.toUpperCase(),
	'padded with spaces': (id) => ` ${id} `,
	'a digit outside base32': (id) => `${id.slice(0, -1)}1`,
	'an SQL injection': (id) => `${id}' or '1'='1`,
	'LIKE wildcards': (id) => `${id.slice(0, -2)}_%`,
	'a NUL character': (id) => `${id}\u0000`,
	'a lone surrogate': (id) => `${id.slice(0, -1)}\uD800`,
	'very long': (id) => id.repeat(10_000)
};

const variants: Variant[] = [
	{ name: 'the thread', kind: 'thread', id: (s) => s.thread },
	{ name: 'no such thread', kind: 'no thread', id: () => 'aaaaaaaaaaaaaaaa' },
	{ name: "other users' thread", kind: 'no thread', id: (s) => s.othersThread },
	...Object.entries(malformed).map(([name, malform]): Variant => ({
		name: `malformed: ${name}`,
		kind: 'no thread',
		id: (s) => malform(s.thread)
	}))
];
const noThreadId: Variant = { name: 'no thread id', kind: 'no thread', id: () => '' };

describe.each(databases)('authorisation on %s', (_, options) => {
	const db = useDatabase(options);

	for (const row of rows) {
		describe(row.name, () => {
			for (const actor of actors) {
				for (const variant of row.takesThreadId ? variants : [noThreadId]) {
					it(`${actor} › ${variant.name}`, async () => {
						const scene = await setUp(db());
						const before = await rowsOf(db(), scene);
						const userId = actor === 'unknown user' ? UNKNOWN_USER : scene.users[actor].id;
						const outcome = row.expected(actor, variant, scene);

						const call = row.run(db(), userId, variant.id(scene), scene);
						let result: unknown;
						if ('rejects' in outcome) await expect(call).rejects.toMatchObject(outcome.rejects);
						else expect((result = await call)).toEqual(outcome.result);

						if (outcome.effect && actor !== 'unknown user') {
							const state = stateAtStart(scene);
							outcome.effect(state, actor, result);
							expect(await stateOf(db(), scene)).toEqual(state);
						} else {
							expect(await rowsOf(db(), scene), 'nothing written').toEqual(before);
						}
					});
				}
			}
		});
	}
});

// Group threads: a member who left, and someone added "from now", against every call.
describe.each(databases)('authorisation of group threads on %s', (_, options) => {
	const db = useDatabase(options);

	async function groupScene() {
		const [author, leaver, added, other] = await makeUsers(db(), 4);
		const { thread, message } = await startThread(db(), {
			from: author.id,
			to: [leaver.id, other.id],
			subject: 'Group',
			content: 'Before'
		});
		await reply(db(), { from: other.id, threadId: thread.id, content: 'Also before' });
		await leaveThread(db(), leaver.id, thread.id);
		await addPeople(db(), {
			by: author,
			threadId: thread.id,
			to: added.username,
			shareHistory: false
		});
		const after = await reply(db(), { from: author.id, threadId: thread.id, content: 'After' });
		return { author, leaver, added, other, threadId: thread.id, first: message, after: after! };
	}

	it('a member who left reads what they had, and can write nothing', async () => {
		const s = await groupScene();
		const before = await db()
			.select()
			.from(messages)
			.where(inArray(messages.threadId, [s.threadId]));
		const calls = [
			reply(db(), { from: s.leaver.id, threadId: s.threadId, content: 'Let me in' }),
			addPeople(db(), {
				by: s.leaver,
				threadId: s.threadId,
				to: s.other.username,
				shareHistory: true
			}),
			renameThread(db(), s.leaver.id, s.threadId, 'Mine'),
			leaveThread(db(), s.leaver.id, s.threadId)
		];
		expect(await Promise.all(calls)).toEqual([null, null, false, false]);
		expect(
			await db()
				.select()
				.from(messages)
				.where(inArray(messages.threadId, [s.threadId]))
		).toEqual(before);
		const opened = await openThread(db(), s.leaver.id, s.threadId);
		expect(opened?.thread.left).toBe(true);
		expect(opened?.messages.map((m) => m.content)).toEqual(['Before', 'Also before', '']);
		for (const at of [{ after: 0 }, { after: s.first.id }, { before: Number.MAX_SAFE_INTEGER }]) {
			const page = await openThread(db(), s.leaver.id, s.threadId, at);
			expect(page?.messages.map((m) => m.id).filter((id) => id >= s.after.message.id)).toEqual([]);
		}
	});

	it('someone added from now can never read or page to an earlier message', async () => {
		const s = await groupScene();
		const visibleFrom = (await getThread(db(), s.added.id, s.threadId))!.visibleFrom;
		expect(visibleFrom).toBeGreaterThanOrEqual(s.first.id + 1);
		const cursors = [
			{},
			{ before: s.after.message.id },
			{ before: visibleFrom + 1 },
			{ before: s.first.id + 1 },
			{ before: Number.MAX_SAFE_INTEGER },
			{ after: 0 },
			{ after: s.first.id - 1 },
			{ after: s.first.id }
		];
		for (const at of cursors) {
			const page = await openThread(db(), s.added.id, s.threadId, at);
			const contents = page?.messages.map((m) => m.content) ?? [];
			expect(contents, JSON.stringify(at)).not.toContain('Before');
			expect(contents, JSON.stringify(at)).not.toContain('Also before');
			expect(page?.messages.every((m) => m.id > visibleFrom)).toBe(true);
		}
	});
});

// Who can reach whom: a stranger's pending request (its sender, its recipient, an outsider), and
// a blocked sender. Each refused call writes nothing; replies within a thread are never refused
// for a block.
describe.each(databases)('the reach matrix on %s', (_, options) => {
	const db = useDatabase(options);

	async function scene() {
		const [recipient, stranger, outsider, blocked] = await makeUsers(db(), 4);
		const { thread: shared } = await startThread(db(), {
			from: blocked.id,
			to: [recipient.id],
			subject: 'Before',
			content: 'Hi'
		});
		await setDmPolicy(db(), recipient.id, DmPolicy.requests);
		const { requests } = await resolveRecipients(db(), stranger, recipient.username);
		const { thread } = await startThread(db(), {
			from: stranger.id,
			to: [recipient.id],
			subject: 'May I?',
			content: 'Hello',
			requests
		});
		await blockUser(db(), recipient.id, blocked.username);
		return { recipient, stranger, outsider, blocked, request: thread.id, shared: shared.id };
	}

	const rows = async (threadIds: string[], userIds: number[]) => ({
		participants: await db()
			.select()
			.from(participants)
			.where(inArray(participants.threadId, threadIds))
			.orderBy(asc(participants.threadId), asc(participants.userId)),
		messages: await db()
			.select()
			.from(messages)
			.where(inArray(messages.threadId, threadIds))
			.orderBy(asc(messages.id)),
		blocks: await db()
			.select()
			.from(userBlocks)
			.where(inArray(userBlocks.blockerId, userIds))
			.orderBy(asc(userBlocks.blockerId))
	});

	it('the pending request: only its recipient accepts or declines; its sender may not write', async () => {
		const { recipient, stranger, outsider, blocked, request, shared } = await scene();
		const ids = [recipient, stranger, outsider, blocked].map((user) => user.id);
		const before = await rows([request, shared], ids);
		for (const actor of [stranger, outsider]) {
			expect(await acceptRequest(db(), actor.id, request)).toBe(false);
			expect(await declineRequest(db(), actor.id, request)).toBeNull();
		}
		await expect(
			reply(db(), { from: stranger.id, threadId: request, content: 'Again' })
		).rejects.toBeInstanceOf(RequestPendingError);
		expect(await reply(db(), { from: outsider.id, threadId: request, content: 'Hi' })).toBeNull();
		expect((await resolveRecipients(db(), stranger, recipient.username)).error).toMatch(
			/has not been accepted yet/
		);
		expect(await rows([request, shared], ids), 'nothing written').toEqual(before);
		expect(await acceptRequest(db(), recipient.id, request)).toBe(true);
	});

	it('the blocked sender: refused a new thread, cannot unblock or block within others’ threads', async () => {
		const { recipient, stranger, blocked, outsider, request, shared } = await scene();
		const ids = [recipient, stranger, outsider, blocked].map((user) => user.id);
		const before = await rows([request, shared], ids);
		expect((await resolveRecipients(db(), blocked, recipient.username)).error).toBe(
			`“\u2068${recipient.username}\u2069” cannot be messaged.`
		);
		expect(await unblockUser(db(), blocked.id, recipient.username)).toBe(false);
		expect(await blockUser(db(), outsider.id, recipient.username, shared)).toBeNull();
		expect(await blockUser(db(), blocked.id, outsider.username, shared)).toBeNull();
		expect(await unblockUser(db(), outsider.id, blocked.username, shared)).toBe(false);
		expect(await rows([request, shared], ids), 'nothing written').toEqual(before);
		// A reply in a thread they already share still goes through.
		expect(await reply(db(), { from: blocked.id, threadId: shared, content: 'Hm' })).not.toBeNull();
	});
});
