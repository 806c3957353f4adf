import { isRedirect } from '@sveltejs/kit';
import { and, eq, sql } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { createSession, generateSessionToken, validateSessionToken } from '$lib/server/auth';
import { db, openDb } from '$lib/server/db';
import { participants } from '$lib/server/db/schema';
import { newFormToken } from '$lib/server/form-tokens';
import { getMailbox } from '$lib/server/mailbox';
import { countStatements, statementLogger } from '$lib/server/http/statement-count';
import { makeUsers } from '$lib/server/http/testing';
import {
	addPeople,
	deleteThread,
	leaveThread,
	markRead,
	rejoinThread,
	renameThread,
	reply,
	startThread
} from '$lib/server/threads';
import { load as layoutLoad } from './+layout.server';
import { load as inboxLoad } from './messages/+page.server';
import { load as deletedLoad } from './messages/deleted/+page.server';
import { load as unreadLoad } from './messages/unread/+page.server';
import { load as archiveLoad } from './messages/archive/+page.server';
import { load as sentLoad } from './messages/sent/+page.server';
import { actions as selectionActions } from './messages/selection/+page.server';
import { load as searchLoad } from './messages/search/+page.server';
import { load as requestsLoad } from './messages/requests/+page.server';
import { blockUser, setDmPolicy } from '$lib/server/blocks';
import { DmPolicy } from '$lib/server/db/schema';
import { actions as composeActions } from './messages/create/[[username]]/+page.server';
import { actions as addActions } from './messages/thread/[id=threadId]/add/+page.server';
import { actions as renameActions } from './messages/thread/[id=threadId]/rename/+page.server';
import {
	actions as threadActions,
	load as threadLoad
} from './messages/thread/[id=threadId]/+page.server';

// The real loads of the inbox and the thread page, and the actions of the reply and compose
// forms, with the session check of the handle hook, at data sizes too large to build through the
// browser. The e2e suite counts the same over HTTP. The figures are the README's (Performance) and
// docs/BENCHMARKS.md's: a change to them is a change to those documents too.

type User = { id: number; username: string };

beforeAll(() => openDb({ dataDir: 'memory://', logger: statementLogger }));

/** The cookies a load reads (a notice flashed by an action), as SvelteKit hands them over. */
function cookiesOf(values: Record<string, string>) {
	const jar = new Map(Object.entries(values));
	return {
		get: (name: string) => jar.get(name),
		set: (name: string, value: string) => void jar.set(name, value),
		delete: jar.delete.bind(jar)
	};
}

async function statementsFor(
	user: User,
	path: string,
	params: Record<string, string> = {},
	cookies: Record<string, string> = {}
) {
	const token = generateSessionToken();
	await createSession(db, token, user.id);
	const [, statements] = await countStatements(async () => {
		const { user: signedIn, session } = await validateSessionToken(db, token);
		const url = new URL(path, 'http://x');
		// No cookie but the session's and those given: no draft kept at log-in (session-ended.ts).
		const event = {
			locals: { user: signedIn, session },
			url,
			params,
			cookies: cookiesOf(cookies),
			depends: () => {}
		};
		const folders = {
			deleted: deletedLoad,
			unread: unreadLoad,
			archive: archiveLoad,
			sent: sentLoad,
			search: searchLoad,
			requests: requestsLoad
		};
		const folder = url.pathname.split('/')[2] as keyof typeof folders;
		const page = path.includes('/thread/') ? threadLoad : (folders[folder] ?? inboxLoad);
		const loads = [layoutLoad, page];
		// Only the parts of a RequestEvent these loads read.
		const call = (load: unknown) =>
			(load as (event: unknown) => Promise<unknown>)({ ...event, parent: async () => ({}) });
		await Promise.all(loads.map(call));
	});
	return statements;
}

/**
 * Statements for a form POST to `path` (its default action) from a signed-in `user`, with the
 * session check; the abuse limits are at their defaults here, so each post hits its counter. The
 * action must succeed (redirect), as a POST answered with a redirect runs no load after it.
 */
async function postStatements(
	user: User,
	path: string,
	action: (event: never) => unknown,
	form: Record<string, string>,
	params: Record<string, string> = {},
	body: URLSearchParams = new URLSearchParams(form)
) {
	const token = generateSessionToken();
	await createSession(db, token, user.id);
	let location: string | undefined;
	const [, statements] = await countStatements(async () => {
		const { user: signedIn, session } = await validateSessionToken(db, token);
		const url = new URL(path, 'http://x');
		const request = new Request(url, { method: 'POST', body });
		// Only the parts of a RequestEvent these actions read.
		const event = {
			locals: { user: signedIn, session },
			url,
			params,
			request,
			cookies: cookiesOf({}),
			setHeaders() {}
		};
		try {
			await action(event as never);
		} catch (thrown) {
			if (!isRedirect(thrown)) throw thrown;
			location = thrown.location;
		}
	});
	expect(location, `POST ${path} redirects`).toMatch(
		path.startsWith('/messages/selection')
			? /^\/messages/
			: /^\/messages\/thread\/[a-z2-7]{16}(#|$)/
	);
	return statements;
}

/** `count` more threads between `a` and `b`, as bulk SQL; the newest is unread for `a`. */
async function addThreads(a: User, b: User, count: number) {
	await db.execute(sql`
		with t as (
			insert into threads (id, subject, participant_names, last_sender, last_excerpt, last_sent_at)
			select translate(left(md5(random()::text), 16), '0189', 'wxyz'), 'Bulk ' || g,
				array[${a.username}, ${b.username}], ${b.username}, 'Hello', now()
			from generate_series(1, ${count}) g returning id
		), m as (
			insert into messages (thread_id, sender_id, content) select id, ${b.id}, 'Hello' from t
			returning id, thread_id
		)
		insert into participants (thread_id, user_id, last_message_id, read_message_id)
		select thread_id, u, id, case when u = ${b.id} then id else 0 end
		from m, unnest(array[${a.id}, ${b.id}]::int[]) u`);
}

async function addMessages(threadId: string, sender: User, count: number) {
	await db.execute(sql`
		insert into messages (thread_id, sender_id, content)
		select ${threadId}, ${sender.id}, 'Message ' || g from generate_series(1, ${count}) g`);
	await db.execute(sql`
		update participants set last_message_id = (select max(id) from messages where thread_id = ${threadId})
		where thread_id = ${threadId}`);
}

describe('SQL statements per page do not grow with the data', () => {
	it('inbox: 2, the same at 20 and at 2,000 threads; an older page 3', async () => {
		const [a, b] = await makeUsers(db, 2);
		await addThreads(a, b, 20);
		const small = await statementsFor(a, '/messages');
		await addThreads(a, b, 1_980);
		const large = await statementsFor(a, '/messages');
		const { olderInbox } = await getMailbox(db, a.id);
		expect(olderInbox).not.toBeNull();
		const older = await statementsFor(a, `/messages?before=${olderInbox}`);
		// The session check and the layout's mailbox summary, whose inbox page is the first page;
		// an older page is one statement more.
		expect({ small, large, older }).toEqual({ small: 2, large: 2, older: 3 });
	});

	it('search: 4, the same at 20 and at 2,000 threads, with operators, on an older page', async () => {
		const [a, b] = await makeUsers(db, 2);
		await addThreads(a, b, 20);
		const search = (query: string) => statementsFor(a, `/messages/search?${query}`);
		const small = await search('q=hello');
		await addThreads(a, b, 1_980);
		const large = await search('q=hello');
		const older = await search('q=hello&before=9007199254740991');
		const operators = await search(
			`q=hello+from:${b.username}+with:${b.username}+in:inbox+is:unread+after:2020-01-01`
		);
		// Nothing to search for: no search at all.
		const empty = await search('q=');
		// The session, the search's time limit and the search (one transaction), the mailbox.
		expect({ small, large, older, operators, empty }).toEqual({
			small: 4,
			large: 4,
			older: 4,
			operators: 4,
			empty: 2
		});
	});

	it('a notice after Delete or Restore names its thread: one statement more', async () => {
		const [a, b] = await makeUsers(db, 2);
		await addThreads(a, b, 2_000);
		const { inboxThreads } = await getMailbox(db, a.id);
		const [deleted, restored] = inboxThreads.map((thread) => thread.id);
		await deleteThread(db, a.id, deleted);
		const inbox = await statementsFor(a, '/messages', {}, { notice: `deleted:${deleted}` });
		const folder = await statementsFor(
			a,
			'/messages/deleted',
			{},
			{
				notice: `restored:${restored}`
			}
		);
		// A notice of nothing the user is in, or of nothing well-formed, is looked up or not at all.
		const forged = await statementsFor(a, '/messages', {}, { notice: 'deleted:not-a-thread' });
		expect({ inbox, folder, forged }).toEqual({ inbox: 3, folder: 4, forged: 2 });
	});

	it('Unread: 2, as the inbox; Archive and Sent: 3, as Deleted; at 20 and at 2,000 threads', async () => {
		const [a, b] = await makeUsers(db, 2);
		const count = async () => ({
			unread: await statementsFor(a, '/messages/unread'),
			archive: await statementsFor(a, '/messages/archive'),
			sent: await statementsFor(b, '/messages/sent')
		});
		await addThreads(a, b, 20);
		await db.execute(sql`update participants set archived_at = now(), last_sent_message_id = last_message_id
			where user_id = ${a.id} and last_message_id % 2 = 0`);
		await db.execute(sql`update participants set last_sent_message_id = last_message_id
			where user_id = ${b.id}`);
		const small = await count();
		await addThreads(a, b, 1_980);
		await db.execute(sql`update participants set archived_at = now() where user_id = ${a.id}
			and last_message_id % 2 = 0`);
		await db.execute(sql`update participants set last_sent_message_id = last_message_id
			where user_id = ${b.id}`);
		const large = await count();
		const { olderUnread } = await getMailbox(db, a.id);
		expect(olderUnread).not.toBeNull();
		const older = await statementsFor(a, `/messages/unread?before=${olderUnread}`);
		const expected = { unread: 2, archive: 3, sent: 3 };
		expect({ small, large, older }).toEqual({ small: expected, large: expected, older: 3 });
	});

	it('Requests: 3, the same at 20 and at 2,000 requests', async () => {
		const [a, b] = await makeUsers(db, 2);
		const asRequests = () =>
			db.update(participants).set({ requestAt: new Date() }).where(eq(participants.userId, a.id));
		await addThreads(a, b, 20);
		await asRequests();
		const small = await statementsFor(a, '/messages/requests');
		await addThreads(a, b, 1_980);
		await asRequests();
		const large = await statementsFor(a, '/messages/requests');
		expect({ small, large }).toEqual({ small: 3, large: 3 });
	});

	it('thread page: the same at 5 and at 500 messages', async () => {
		const [a, b] = await makeUsers(db, 2);
		await addThreads(a, b, 1);
		const [{ threadId }] = await db.query.participants.findMany({
			where: (p, { eq }) => eq(p.userId, a.id)
		});
		const path = `/messages/thread/${threadId}`;
		await addMessages(threadId, b, 4);
		const small = await statementsFor(a, path, { id: threadId }); // unread: marks it read
		const smallRead = await statementsFor(a, path, { id: threadId });
		await addMessages(threadId, b, 495);
		// 495 unread: the page where reading starts is the first 50 of them, and marks them read.
		const large = await statementsFor(a, path, { id: threadId });
		await markRead(db, a.id, threadId, Number.MAX_SAFE_INTEGER);
		const largeRead = await statementsFor(a, path, { id: threadId });
		// Read: the session, the thread with its messages, the mailbox summary. Marking it read
		// adds the mark and the summary again.
		expect({ small, smallRead, large, largeRead }).toEqual({
			small: 5,
			smallRead: 3,
			large: 5,
			largeRead: 3
		});
	});
});

// The forms' posts carry their one-time token, which each write records in its one statement.
describe('SQL statements per action on chosen threads: the session check and one', () => {
	it('each action, for a page of threads or one; Undo; Mark all read of 2,000 threads', async () => {
		const [a, b] = await makeUsers(db, 2);
		await addThreads(a, b, 2_000);
		const { inboxThreads } = await getMailbox(db, a.id);
		const page = inboxThreads.map((thread) => thread.id);
		const post = (action: string, form: Record<string, string | string[]>) => {
			const body = Object.entries(form).flatMap(([name, values]) =>
				[values].flat().map((value) => [name, value])
			);
			return postStatements(
				a,
				`/messages/selection?/${action}`,
				selectionActions[action] as never,
				Object.fromEntries([]) as never,
				{},
				new URLSearchParams(body)
			);
		};
		const counts: Record<string, number> = {};
		for (const action of ['archive', 'unarchive', 'mute', 'unmute', 'read', 'unread', 'delete']) {
			counts[action] = await post(action, { thread: page, back: 'inbox' });
		}
		counts.one = await post('archive', { thread: page[0], back: 'thread' });
		counts.undo = await post('undo', {
			action: 'archive',
			undo: JSON.stringify([[page[0], null, null]]),
			back: 'inbox'
		});
		counts.allread = await post('allread', {
			back: 'inbox',
			seen: String(Number.MAX_SAFE_INTEGER)
		});
		expect(counts).toEqual({
			archive: 2,
			unarchive: 2,
			mute: 2,
			unmute: 2,
			read: 2,
			unread: 2,
			delete: 2,
			one: 2,
			undo: 2,
			allread: 2
		});
		expect((await getMailbox(db, a.id)).unreadCount).toBe(0);
	});
});

describe('SQL statements per form post, with the session check and the limit counter', () => {
	it('a reply is 3 statements; a new message 4, to 1 recipient and to 20', async () => {
		const [sender, ...others] = await makeUsers(db, 21);
		const compose = (to: typeof others) =>
			postStatements(sender, '/messages/create', composeActions.default, {
				to: to.map((user) => user.username).join(' '),
				subject: 'Hello',
				message: 'Hi all',
				token: newFormToken(sender.id)
			});
		// The session, the recipients' names, the limit counters (one upsert), the thread.
		const toOne = await compose(others.slice(0, 1));
		const toTwenty = await compose(others);
		const { inboxThreads } = await getMailbox(db, others[7].id);
		const threadId = inboxThreads[0].id;
		// The session, the limit counter, the reply.
		const replying = await postStatements(
			others[7],
			`/messages/thread/${threadId}`,
			threadActions.default,
			{ content: 'Hi back', token: newFormToken(others[7].id) },
			{ id: threadId }
		);
		expect({ toOne, toTwenty, replying }).toEqual({ toOne: 4, toTwenty: 4, replying: 3 });
		expect((await getMailbox(db, sender.id)).inboxThreads[0]).toMatchObject({
			id: threadId,
			excerpt: 'Hi back'
		});
	});
});

describe('a refused new message costs no statement more than the recipients’ look-up', () => {
	it('a block, who may message me and a waiting request: 2 statements; a request sent: 4', async () => {
		const [sender, blocker, closed, open] = await makeUsers(db, 4);
		await blockUser(db, blocker.id, sender.username);
		await setDmPolicy(db, closed.id, DmPolicy.nobody);
		await setDmPolicy(db, open.id, DmPolicy.requests);
		const token = generateSessionToken();
		await createSession(db, token, sender.id);
		const post = async (to: string) => {
			const [result, statements] = await countStatements(async () => {
				const { user, session } = await validateSessionToken(db, token);
				const url = new URL('/messages/create', 'http://x');
				const body = new URLSearchParams({ to, subject: 'Hi', message: 'Hello', token: '' });
				const request = new Request(url, { method: 'POST', body });
				const event = { locals: { user, session }, url, params: {}, request, setHeaders() {} };
				return Promise.resolve(composeActions.default(event as never)).catch((thrown: unknown) => {
					if (isRedirect(thrown)) return thrown.status;
					throw thrown;
				});
			});
			return [(result as { status?: number }).status ?? result, statements];
		};
		// The session and the look-up; refused before the limit counter.
		expect(await post(blocker.username)).toEqual([400, 2]);
		expect(await post(closed.username)).toEqual([400, 2]);
		expect(await post(open.username)).toEqual([303, 4]);
		expect(await post(open.username)).toEqual([400, 2]);
	});
});

describe('SQL statements per write do not grow with the recipients', () => {
	it('a new thread is one statement for 1 recipient and for 20; a reply is one for 21 members', async () => {
		const [sender, ...others] = await makeUsers(db, 21);
		const start = (to: User[]) =>
			countStatements(() =>
				startThread(db, {
					from: sender.id,
					to: to.map((user) => user.id),
					subject: 'Hello',
					content: 'Hi all',
					token: newFormToken(sender.id)
				})
			);
		const [, toOne] = await start(others.slice(0, 1));
		const [{ thread }, toTwenty] = await start(others);
		const [sent, replying] = await countStatements(() =>
			reply(db, {
				from: others[7].id,
				threadId: thread.id,
				content: 'Hi back',
				token: newFormToken(others[7].id)
			})
		);

		expect([toOne, toTwenty, replying]).toEqual([1, 1, 1]);
		// And all of it was written: a mailbox row for each of the 21, the reply in all of them.
		expect(sent?.thread.participantIds).toHaveLength(21);
		const moved = await db.$count(
			participants,
			and(eq(participants.threadId, thread.id), eq(participants.lastMessageId, sent!.message.id))
		);
		expect(moved).toBe(21);
	});
});

describe('SQL statements of group threads do not grow with the members', () => {
	it('adding is 2 (the names, the change) for 1 person and for 20; leave, rename, Undo 1', async () => {
		const [a, b, ...others] = await makeUsers(db, 23);
		const counts = async (members: User[]) => {
			const { thread } = await startThread(db, {
				from: a.id,
				to: members.map((user) => user.id),
				subject: 'Hello',
				content: 'Hi'
			});
			const [, addOne] = await countStatements(() =>
				addPeople(db, { by: a, threadId: thread.id, to: b.username, shareHistory: false })
			);
			const [, rename] = await countStatements(() => renameThread(db, a.id, thread.id, 'New'));
			const [, leave] = await countStatements(() => leaveThread(db, b.id, thread.id));
			const [, rejoin] = await countStatements(() => rejoinThread(db, b.id, thread.id));
			return { addOne, rename, leave, rejoin };
		};
		const small = await counts(others.slice(0, 1));
		const large = await counts(others.slice(0, 20));
		const { thread } = await startThread(db, {
			from: a.id,
			to: [b.id],
			subject: 'Hi',
			content: 'Hi'
		});
		const [added, addTwenty] = await countStatements(() =>
			addPeople(db, {
				by: a,
				threadId: thread.id,
				to: others
					.slice(0, 20)
					.map((user) => user.username)
					.join(' '),
				shareHistory: true
			})
		);
		expect(added).toEqual({ added: expect.any(Array) });
		const each = { addOne: 2, rename: 1, leave: 1, rejoin: 1 };
		expect({ small, large, addTwenty }).toEqual({ small: each, large: each, addTwenty: 2 });
		// The last one out: the thread removed, one statement more.
		await leaveThread(db, a.id, thread.id);
		const rest = others.slice(0, 20);
		for (const user of rest.slice(1)) await leaveThread(db, user.id, thread.id);
		const [, lastOut] = await countStatements(() =>
			leaveThread(db, b.id, thread.id).then(() => leaveThread(db, rest[0].id, thread.id))
		);
		expect(lastOut).toBe(3);
	});

	it('the Add people and rename forms: 4 and 2 statements with the session check', async () => {
		const [a, b, c] = await makeUsers(db, 3);
		const { thread } = await startThread(db, {
			from: a.id,
			to: [b.id],
			subject: 'Hi',
			content: 'Hi'
		});
		const path = `/messages/thread/${thread.id}`;
		const params = { id: thread.id };
		const adding = await postStatements(
			a,
			`${path}/add`,
			addActions.default,
			{ to: c.username },
			params
		);
		const renaming = await postStatements(
			a,
			`${path}/rename`,
			renameActions.default,
			{ subject: 'New' },
			params
		);
		// Adding: the session, its rate limits (as a new thread), the names, the change.
		expect({ adding, renaming }).toEqual({ adding: 4, renaming: 2 });
	});
});
