import type { APIRequestContext, APIResponse } from '@playwright/test';
import {
	THREAD_PATH,
	appOrigin,
	expect,
	expectSeeOther,
	listing,
	postForm,
	sendReply,
	startThread,
	test,
	uniqueName,
	type User
} from './helpers';

// The server runs with SQL_COUNT=1, so every response says how many SQL statements it ran. The
// figures asserted are the README's (Performance) and docs/BENCHMARKS.md's, which count the
// session check too.
function statementsOf(response: APIResponse): number {
	const header = response.headers()['x-sql-statements'];
	expect(header, 'x-sql-statements header').toMatch(/^\d+$/);
	return Number(header);
}

async function statements(request: APIRequestContext, path: string): Promise<number> {
	const response = await request.get(path, { maxRedirects: 0 });
	expect(response.status(), path).toBe(200);
	return statementsOf(response);
}

function record(what: string, counts: Record<string, number>) {
	const description = Object.entries(counts)
		.map(([size, n]) => `${size}: ${n}`)
		.join(', ');
	test.info().annotations.push({ type: 'SQL statements', description: `${what}: ${description}` });
}

/** Threads between the two, alternately started by each, so some are unread for `a`. */
async function addThreads(a: User, b: User, count: number) {
	for (let i = 0; i < count; i++) {
		await (i % 2 ? startThread(a.request, b.name) : startThread(b.request, a.name));
	}
}

test.describe('SQL statements per request do not grow with the data', () => {
	test('GET /messages/search: 3 threads and 30 threads, and an older page', async ({ newUser }) => {
		const [alice, bob] = await Promise.all([newUser('alice'), newUser('bob')]);
		await addThreads(alice, bob, 3);
		const search = `/messages/search?q=hello+from:${bob.name}`;
		const small = await statements(alice.request, search);
		await addThreads(alice, bob, 27);
		const response = await alice.request.get(`/messages/search?q=hello`);
		const large = statementsOf(response);
		const olderPage = (await response.text()).match(/href="\?q=hello&amp;(before=\d+)"/);
		expect(olderPage, 'Older results link').not.toBeNull();
		const older = await statements(alice.request, `/messages/search?q=hello&${olderPage![1]}`);

		record('GET /messages/search', {
			'3 threads': small,
			'30 threads': large,
			'older page': older
		});
		// The session, the search's time limit and the search itself, the layout's mailbox.
		expect({ small, large, older }).toEqual({ small: 4, large: 4, older: 4 });
	});

	test('GET /messages: 3 threads and 60 threads', async ({ newUser }) => {
		const [alice, bob] = await Promise.all([newUser('alice'), newUser('bob')]);
		await addThreads(alice, bob, 3);
		const small = await statements(alice.request, '/messages');
		expect((await listing(alice.request)).rows).toHaveLength(3);

		await addThreads(alice, bob, 57);
		const large = await statements(alice.request, '/messages');
		const inbox = await listing(alice.request);
		expect(inbox.rows).toHaveLength(20);
		expect(inbox.unreadCount).toBe(2 + 29);
		const olderPage = inbox.html.match(/href="(\?before=\d+)"/);
		expect(olderPage, 'Older link').not.toBeNull();
		const older = await statements(alice.request, `/messages${olderPage![1]}`);

		record('GET /messages', { '3 threads': small, '60 threads': large, 'older page': older });
		// The session check and the layout's mailbox summary (whose inbox page is the first
		// page); an older page is not in the layout's data: one statement more.
		expect({ small, large, older }).toEqual({ small: 2, large: 2, older: 3 });
	});

	test('GET /messages after a Delete: its notice names the thread, once', async ({ newUser }) => {
		const [alice, bob] = await Promise.all([newUser('alice'), newUser('bob')]);
		await addThreads(alice, bob, 3);
		const id = await startThread(bob.request, alice.name);
		const deleting = await postForm(alice.request, `/messages/thread/${id}/delete`, {});
		expectSeeOther(deleting, '/messages');
		const response = await alice.request.get('/messages');
		expect(await response.text()).toContain('moved to Deleted.');
		const notice = statementsOf(response);
		const after = await statements(alice.request, '/messages');

		record('GET /messages', { 'with a notice': notice, 'the next time': after });
		// The notice's thread, looked up as the user sees it: one statement, and only once.
		expect({ notice, after }).toEqual({ notice: 3, after: 2 });
	});

	test('GET the folders: 3 threads and 60 threads; an action and its notice', async ({
		newUser
	}) => {
		const [alice, bob] = await Promise.all([newUser('alice'), newUser('bob')]);
		const folders = async () => ({
			unread: await statements(alice.request, '/messages/unread'),
			archive: await statements(alice.request, '/messages/archive'),
			sent: await statements(alice.request, '/messages/sent')
		});
		await addThreads(alice, bob, 3);
		const archiving = async () => {
			const { rows } = await listing(alice.request);
			const body = new URLSearchParams([
				['back', 'inbox'],
				...rows.filter((_, i) => i % 2).map((row) => ['thread', row.id])
			]);
			const response = await alice.request.post('/messages/selection?/archive', {
				headers: {
					Origin: appOrigin(),
					Accept: 'text/html',
					'content-type': 'application/x-www-form-urlencoded'
				},
				data: body.toString(),
				maxRedirects: 0
			});
			expectSeeOther(response, '/messages');
			return statementsOf(response);
		};
		const archived = await archiving();
		const small = await folders();
		await addThreads(alice, bob, 57);
		await archiving();
		const notice = await statements(alice.request, '/messages');
		const large = await folders();
		expect((await listing(alice.request, '/messages/archive')).rows.length).toBeGreaterThan(10);

		record('GET folders, 3 threads', small);
		record('GET folders, 60 threads', large);
		record('POST an action on a selection', { archive: archived, 'the notice after': notice });
		// Unread is the layout's unread page: as the inbox. Archive and Sent: their page more, as
		// Deleted. The action is one statement; its notice needs none (it counts, names nothing).
		const expected = { unread: 2, archive: 3, sent: 3 };
		expect({ small, large, archived, notice }).toEqual({
			small: expected,
			large: expected,
			archived: 2,
			notice: 2
		});
	});

	test('GET a thread page: 5 messages and 60 messages', async ({ newUser }) => {
		const [alice, bob] = await Promise.all([newUser('alice'), newUser('bob')]);
		const id = await startThread(alice.request, bob.name);
		const path = `/messages/thread/${id}`;
		// Alternate senders, bob last, so the thread is unread for alice each time.
		const addReplies = async (count: number) => {
			for (let i = count - 1; i >= 0; i--) await sendReply((i % 2 ? alice : bob).request, id);
		};

		// Counted twice each: the first view marks the thread read, the second finds it read.
		await addReplies(4);
		const small = {
			unread: await statements(alice.request, path),
			read: await statements(alice.request, path)
		};
		await addReplies(55);
		const large = {
			unread: await statements(alice.request, path),
			read: await statements(alice.request, path)
		};
		const shown = await (await alice.request.get(path)).text();
		// A page of a thread is its newest 50 messages, however long the thread.
		expect(shown.match(/\sdata-message="/g)).toHaveLength(50);

		record('GET thread, unread', { '5 messages': small.unread, '60 messages': large.unread });
		record('GET thread, read', { '5 messages': small.read, '60 messages': large.read });
		// Read: the session, the thread with its messages, the mailbox summary. Marking it read
		// adds the mark, and the summary again (the layout's may predate the mark).
		expect({ small, large }).toEqual({
			small: { unread: 5, read: 3 },
			large: { unread: 5, read: 3 }
		});
	});
});

// This server runs with the abuse limits off (playwright.config.ts), so a post hits no limit
// counter: each figure is one statement fewer than the README's (a reply 3, a new message 4),
// which src/routes/statement-count.spec.ts asserts with the limits on.
test('POST a reply and a new message: a fixed number of statements', async ({ newUser }) => {
	const [alice, bob, carol, dave] = await Promise.all(
		['alice', 'bob', 'carol', 'dave'].map((name) => newUser(name))
	);
	const compose = async (to: User[]) => {
		const response = await postForm(alice.request, '/messages/create', {
			to: to.map((user) => user.name).join(', '),
			subject: uniqueName('subject'),
			message: 'Hello'
		});
		expectSeeOther(response, THREAD_PATH);
		return { response, statements: statementsOf(response) };
	};
	// The session, the recipients' names, the thread (with its message and every mailbox row).
	const toOne = await compose([bob]);
	const toThree = await compose([bob, carol, dave]);
	const id = expectSeeOther(toThree.response, THREAD_PATH).match(THREAD_PATH)![1];

	// The session, the reply (which takes the thread's row and moves every mailbox on).
	const response = await postForm(carol.request, `/messages/thread/${id}`, { content: 'Hi' });
	expectSeeOther(response, new RegExp(`^/messages/thread/${id}#message-\\d+$`));
	const replying = statementsOf(response);

	record('POST', {
		'new message to 1': toOne.statements,
		'to 3': toThree.statements,
		reply: replying
	});
	expect({ toOne: toOne.statements, toThree: toThree.statements, replying }).toEqual({
		toOne: 3,
		toThree: 3,
		replying: 2
	});
});

test('the account page and its time zone: the zone comes with the session check', async ({
	newUser
}) => {
	const alice = await newUser('alice');
	const page = await statements(alice.request, '/account');
	const save = await postForm(alice.request, '/account?/timeZone', { timeZone: 'Asia/Tokyo' });
	expectSeeOther(save, '/account?saved=time-zone');
	// Pages are shown in the saved zone, read by the session check every request runs anyway.
	const inbox = await statements(alice.request, '/messages');
	expect((await alice.request.get('/account')).ok()).toBe(true);

	const notify = await postForm(alice.request, '/account?/emailNotify', { emailNotify: 'always' });
	expectSeeOther(notify, '/account?saved=email-notify');

	record('the account page', {
		GET: page,
		POST: statementsOf(save),
		'POST email notifications': statementsOf(notify),
		'inbox after': inbox
	});
	// The session check, the layout's mailbox summary and the user's email settings (shown to
	// them alone, so not in the session check every request runs); the session check and the
	// update.
	expect({ page, save: statementsOf(save), notify: statementsOf(notify), inbox }).toEqual({
		page: 3,
		save: 2,
		notify: 2,
		inbox: 2
	});
});
