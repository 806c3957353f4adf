import type { APIRequestContext } from '@playwright/test';
import { unflatten } from 'devalue';
import {
	expect,
	expectSeeOther,
	hydrated,
	inboxLink,
	isJavaScriptProject,
	postForm,
	sendReply,
	startThread,
	test,
	threadRow,
	uniqueName,
	type User
} from './helpers';

// SPEC §4: the root layout gives every page of a signed-in user `inboxThreads`, `unreadThreads`
// (each the newest threads, at most one page) and `unreadCount`. Checked here in the data a client
// gets: `__data.json` (what a client-side navigation fetches) and the data a full page is served
// with (the same, inlined in the HTML for hydration).

/** A listing page holds this many threads (src/lib/server/mailbox.ts). */
const PAGE_SIZE = 20;

interface Summary {
	id: string;
	subject: string;
	others: string[];
	sender: string;
	senderIsUser: boolean;
	excerpt: string;
	sentAt: Date;
	unread: boolean;
}

interface MailboxData {
	inboxThreads: Summary[];
	unreadThreads: Summary[];
	unreadCount: number;
}

/** A page's data, node by node (root layout first), and merged as the page sees it. */
interface PageData {
	layout: MailboxData;
	merged: MailboxData;
}

/** Nodes' data merged as SvelteKit does for `page.data`: a later node's keys win. */
function pageData(nodes: Record<string, unknown>[]): PageData {
	return {
		layout: nodes[0] as unknown as MailboxData,
		merged: Object.assign({}, ...nodes) as MailboxData
	};
}

/** A `__data.json` answer: each node is devalue-encoded (Dates survive as Dates). */
function decodeDataJson(json: string) {
	const body = JSON.parse(json) as {
		type: string;
		nodes: { type: string; data: unknown[] }[];
	};
	expect(body.type).toBe('data');
	for (const node of body.nodes) expect(node.type, 'every node is loaded').toBe('data');
	return pageData(body.nodes.map((node) => unflatten(node.data) as Record<string, unknown>));
}

/**
 * The data a full page was served with: SvelteKit inlines it, as a JavaScript expression
 * (devalue's `uneval`, so `new Date(…)` and the like), in the `kit.start(…, { data: [...] })`
 * call that hydrates the page. It is our own server's output, so the test evaluates it.
 */
function servedData(html: string): PageData {
	const match = html.match(/^\s*data: (\[.*\]),$/m);
	expect(match, 'the data inlined for hydration').not.toBeNull();
	const nodes = new Function(`return ${match![1]};`)() as { type: string; data: object }[];
	for (const node of nodes) expect(node.type).toBe('data');
	return pageData(nodes.map((node) => node.data as Record<string, unknown>));
}

function dataJsonPath(path: string) {
	return `${path.replace(/\/$/, '')}/__data.json`;
}

/** A page's data fetched as a client-side navigation does. */
async function fetchData(request: APIRequestContext, path: string) {
	const response = await request.get(dataJsonPath(path));
	expect(response.status(), `GET ${dataJsonPath(path)}`).toBe(200);
	return decodeDataJson(await response.text());
}

/** What the test knows of a thread, from the viewer's side. */
interface Expected {
	id: string;
	subject: string;
	others: string[];
	sender: string;
	/** The latest message is the viewer's own. */
	byViewer: boolean;
	content: string;
	/** The latest message was sent between these. */
	sentAfter: Date;
	sentBefore: Date;
	unread: boolean;
	deleted: boolean;
}

function expectSummaries(actual: Summary[], expected: Expected[], what: string) {
	expect(
		actual.map((summary) => summary.id),
		`${what}: the threads, newest first`
	).toEqual(expected.map((thread) => thread.id));
	expected.forEach((thread, i) => {
		const summary = actual[i];
		expect(summary, `${what}: ${thread.subject}`).toEqual({
			id: thread.id,
			subject: thread.subject,
			others: [...thread.others].sort(),
			sender: thread.sender,
			senderIsUser: thread.byViewer,
			excerpt: expect.any(String),
			sentAt: expect.any(Date),
			unread: thread.unread,
			lastMessageId: expect.any(Number)
		});
		expect(summary.sentAt.getTime()).toBeGreaterThanOrEqual(thread.sentAfter.getTime());
		expect(summary.sentAt.getTime()).toBeLessThanOrEqual(thread.sentBefore.getTime());
		// A short message is shown whole, on one line.
		const text = thread.content.replace(/\s+/g, ' ').trim();
		if (text.length <= 100) expect(summary.excerpt).toBe(text);
		else {
			// A long message is cut, and says so.
			expect(summary.excerpt.length).toBeLessThan(text.length);
			expect(summary.excerpt).toMatch(/…$/);
			expect(text.startsWith(summary.excerpt.slice(0, -1))).toBe(true);
		}
	});
}

test('every page has the newest page of inbox and of unread threads, and the unread count', async ({
	newUser
}) => {
	test.slow(); // it writes 30-odd threads and messages first
	const [alice, bob, carol] = await Promise.all([
		newUser('alice'),
		newUser('bob'),
		newUser('carol')
	]);
	/** Alice's threads, the one with the latest activity last. */
	const threads: Expected[] = [];
	const byActivity = (thread: Expected) => {
		threads.splice(threads.indexOf(thread), 1);
		threads.push(thread);
	};

	async function start(from: User, to: User[], content: string) {
		const subject = uniqueName('subject');
		const sentAfter = new Date();
		const id = await startThread(
			from.request,
			to.map((user) => user.name),
			subject,
			content
		);
		const thread: Expected = {
			id,
			subject,
			others: [from, ...to].filter((user) => user !== alice).map((user) => user.name),
			sender: from.name,
			byViewer: from === alice,
			content,
			sentAfter,
			sentBefore: new Date(),
			unread: from !== alice,
			deleted: false
		};
		threads.push(thread);
		return thread;
	}
	async function reply(from: User, thread: Expected, content: string) {
		thread.sentAfter = new Date();
		await sendReply(from.request, thread.id, content);
		Object.assign(thread, {
			sentBefore: new Date(),
			sender: from.name,
			byViewer: from === alice,
			content,
			unread: from !== alice
		});
		byActivity(thread);
	}

	// More than a page of each: 25 threads from bob (every fourth with carol too), all unread.
	const fromBob: Expected[] = [];
	for (let i = 0; i < PAGE_SIZE + 5; i++) {
		const to = i % 4 === 0 ? [alice, carol] : [alice];
		const content =
			i === 3
				? `A long one,\n\nover  several lines: ${'and on '.repeat(40)}to the end.`
				: `Hi ${i}`;
		fromBob.push(await start(bob, to, content));
	}
	const mine = await start(alice, [bob, carol], 'From alice, read by her');
	// Carol answers in the oldest thread, which becomes the newest.
	await reply(carol, fromBob[0], 'Carol here');
	// Alice reads one, answers another, deletes a third.
	expect((await alice.request.get(`/messages/thread/${fromBob[5].id}`)).status()).toBe(200);
	fromBob[5].unread = false;
	await reply(alice, fromBob[7], 'Alice answers');
	expectSeeOther(
		await postForm(alice.request, `/messages/thread/${fromBob[9].id}/delete`, {}),
		'/messages'
	);
	fromBob[9].deleted = true;

	const newestFirst = threads.filter((thread) => !thread.deleted).reverse();
	const unread = newestFirst.filter((thread) => thread.unread);
	expect(unread.length, 'more unread threads than a page').toBeGreaterThan(PAGE_SIZE);

	for (const path of ['/messages/create', '/messages/deleted', `/messages/thread/${mine.id}`]) {
		const { layout, merged } = await fetchData(alice.request, path);
		// The root layout's node gives them, and nothing after it changes them: nothing on these
		// pages was unread before (a thread page of an unread thread is the next test's).
		for (const [data, node] of [
			[layout, 'layout'],
			[merged, 'page']
		] as const) {
			const what = `${path} (${node} data)`;
			expectSummaries(data.inboxThreads, newestFirst.slice(0, PAGE_SIZE), `${what} inbox`);
			expectSummaries(data.unreadThreads, unread.slice(0, PAGE_SIZE), `${what} unread`);
			expect(data.unreadCount, `${what} unread count`).toBe(unread.length);
		}
	}
});

/** The summary of `id` in a listing, if there. */
const find = (threads: Summary[], id: string) => threads.find((thread) => thread.id === id);

test('the page that opens a thread already counts it as read', async ({ page, newUser }) => {
	const [alice, bob] = await Promise.all([newUser('alice'), newUser('bob')]);
	const first = await startThread(bob.request, alice.name);
	const second = await startThread(bob.request, alice.name);
	const third = await startThread(bob.request, alice.name);
	await page.context().addCookies(await alice.context.cookies());

	/**
	 * Expects the data a page was given to count `opened` read, and `stillUnread` unread. The thread
	 * page's own load gives a fresh mailbox when it marked the thread read: the root layout's,
	 * loaded alongside, may predate that (its node in the same answer can still show the thread
	 * unread), and the page's keys override it in the page's data. So this asserts the merged data,
	 * which is what the page (and its header) show.
	 */
	function expectRead({ merged }: PageData, opened: string, stillUnread: string[]) {
		expect(find(merged.unreadThreads, opened), 'not among the unread').toBeUndefined();
		expect(merged.unreadThreads.map((thread) => thread.id)).toEqual(stillUnread);
		expect(merged.unreadCount).toBe(stillUnread.length);
		expect(find(merged.inboxThreads, opened)?.unread, 'read in the inbox listing').toBe(false);
	}

	await page.goto('/messages');
	await expect(inboxLink(page)).toHaveAttribute('data-unread-count', '3');
	if (isJavaScriptProject()) await hydrated(page);

	// Opened from the inbox, as a user does: with JavaScript a client-side navigation that
	// fetches `__data.json` (maybe on hover, to preload); without, a full page load.
	const threadPath = `/messages/thread/${second}`;
	// Taken as it passes (a navigation's body is gone from the browser once the page moves on).
	let body = '';
	let served: { status: number; url: string } | undefined;
	await page.route(
		(url) => url.pathname === threadPath || url.pathname === dataJsonPath(threadPath),
		async (route) => {
			const response = await route.fetch();
			body = await response.text();
			served = { status: response.status(), url: response.url() };
			await route.fulfill({ response, body });
		}
	);
	await threadRow(page, second).getByRole('link').click();
	await expect.poll(() => served).toBeDefined();
	const response = served!;
	expect(response.status).toBe(200);
	if (isJavaScriptProject()) {
		expect(new URL(response.url).pathname, 'a client-side navigation').toBe(
			dataJsonPath(threadPath)
		);
		expectRead(decodeDataJson(body), second, [third, first]);
	} else expectRead(servedData(body), second, [third, first]);
	await expect(page).toHaveURL(new RegExp(`${threadPath}$`));
	await expect(inboxLink(page)).toHaveAttribute('data-unread-count', '2');

	// A full load of a thread page, which is what a browser without JavaScript always gets.
	const full = await page.goto(`/messages/thread/${first}`);
	expectRead(servedData(await full!.text()), first, [third]);
	await expect(inboxLink(page)).toHaveAttribute('data-unread-count', '1');

	// And the same page's data fetched as a client does.
	expectRead(await fetchData(alice.request, `/messages/thread/${third}`), third, []);
});
