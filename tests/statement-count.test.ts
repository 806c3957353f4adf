import type { APIRequestContext } from '@playwright/test';
import { expect, listing, sendReply, startThread, test, type User } from './helpers';

// The server runs with SQL_COUNT=1, so every response says how many SQL statements it ran.
async function statements(request: APIRequestContext, path: string): Promise<number> {
	const response = await request.get(path, { maxRedirects: 0 });
	expect(response.status(), path).toBe(200);
	const header = response.headers()['x-sql-statements'];
	expect(header, 'x-sql-statements header').toMatch(/^\d+$/);
	return Number(header);
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
		expect(small).toBeGreaterThan(0);
		expect(large).toBe(small);
		// An older page is not in the layout's data: one more statement, and still at most 3.
		expect(older).toBe(small + 1);
		expect(older).toBeLessThanOrEqual(3);
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
		expect(small.read).toBeGreaterThan(0);
		expect(large).toEqual(small);
	});
});
