import type { Browser, Page } from '@playwright/test';
import {
	expect,
	expectSeeOther,
	hydrated,
	inboxLink,
	isJavaScriptProject,
	PASSWORD,
	postForm,
	test,
	threadRow,
	uniqueName,
	type User
} from './helpers';

// Live updates (issue 13): a message sent through one instance reaches the other's pages without
// navigation. On PostgreSQL the project runs two instances behind nginx, and each user here goes
// through a port of nginx's pinned to one of them; on PGlite both use the one instance.

/** The base URLs of the two instances (the same one twice on PGlite). */
function instances(): [string, string] {
	const pinned = test.info().project.metadata?.instances as [string, string] | undefined;
	const base = test.info().project.use.baseURL!;
	return pinned ?? [base, base];
}

/** A fresh user whose browser goes through `baseURL`. */
async function userAt(browser: Browser, baseURL: string, prefix: string): Promise<User> {
	const context = await browser.newContext({ baseURL });
	const name = uniqueName(prefix);
	const response = await postForm(
		context.request,
		'/signup',
		{ username: name, password: PASSWORD },
		baseURL
	);
	expectSeeOther(response, '/messages');
	return { name, context, request: context.request };
}

/** Starts a thread as `from` (over HTTP, through their instance) and returns its id. */
async function send(from: User, baseURL: string, to: string, subject: string, message = 'Hi') {
	const response = await postForm(
		from.request,
		'/messages/create',
		{ to, subject, message },
		baseURL
	);
	return expectSeeOther(response, /^\/messages\/thread\/[a-z2-7]{16}$/)
		.split('/')
		.at(-1)!;
}

async function reply(from: User, baseURL: string, threadId: string, content: string) {
	const response = await postForm(
		from.request,
		`/messages/thread/${threadId}`,
		{ content },
		baseURL
	);
	expectSeeOther(response, new RegExp(`^/messages/thread/${threadId}#message-\\d+$`));
}

/** Pretends the tab is hidden or shown again, as switching tabs does. */
async function setHidden(page: Page, hidden: boolean) {
	await page.evaluate((hidden) => {
		Object.defineProperty(document, 'visibilityState', {
			configurable: true,
			get: () => (hidden ? 'hidden' : 'visible')
		});
		document.dispatchEvent(new Event('visibilitychange'));
	}, hidden);
}

/** Opens `path` and waits until the page follows its event stream. */
async function openLive(page: Page, path: string) {
	const stream = page.waitForResponse((response) => response.url().endsWith('/messages/events'));
	await page.goto(path);
	await hydrated(page);
	expect((await stream).status()).toBe(200);
}

test.describe('with JavaScript', () => {
	test.skip(() => !isJavaScriptProject(), 'live updates need JavaScript');

	test('a new thread reaches the inbox on the other instance within a second', async ({
		browser
	}) => {
		const [a, b] = instances();
		const alice = await userAt(browser, a, 'alice');
		const bob = await userAt(browser, b, 'bob');
		const page = await bob.context.newPage();
		await openLive(page, '/messages');
		await expect(inboxLink(page)).toHaveAttribute('data-unread-count', '0');
		const navigations: string[] = [];
		page.on('framenavigated', (frame) => navigations.push(frame.url()));

		const subject = uniqueName('live');
		const threadId = await send(alice, a, bob.name, subject);

		await expect(threadRow(page, threadId)).toHaveAttribute('data-unread', 'true', {
			timeout: 1_000
		});
		await expect(inboxLink(page)).toHaveAttribute('data-unread-count', '1');
		await expect(page.locator('[data-live-announcements]')).toHaveText(
			`New message from ${alice.name}: ${subject}`
		);
		expect(navigations, 'no navigation').toEqual([]);
		await Promise.all([alice.context.close(), bob.context.close()]);
	});

	test('an open thread appends a reply where the reader is, keeping their place and what they type', async ({
		browser
	}) => {
		const [a, b] = instances();
		const alice = await userAt(browser, a, 'alice');
		const bob = await userAt(browser, b, 'bob');
		const threadId = await send(alice, a, bob.name, uniqueName('live'), 'First');
		for (let i = 0; i < 12; i++) await reply(alice, a, threadId, `Earlier ${i}\n\n\n\n`);

		const page = await bob.context.newPage();
		await page.setViewportSize({ width: 800, height: 500 });
		await openLive(page, `/messages/thread/${threadId}`);
		await expect(inboxLink(page)).toHaveAttribute('data-unread-count', '0');
		await page.evaluate(() => window.scrollTo(0, 300));
		const box = page.getByLabel('Reply');
		await box.fill('Half-written');
		await box.focus();
		// Where the reader is: what they type into stays where it was on the screen.
		const before = (await box.boundingBox())!.y;

		await reply(alice, a, threadId, 'Fresh news');
		await expect(page.locator('[data-message]').last()).toContainText('Fresh news', {
			timeout: 1_000
		});
		await expect(box).toBeFocused();
		await expect(box).toHaveValue('Half-written');
		// Still where it was: the page keeps the focused field in place while it is made again.
		const after = (await box.boundingBox())!.y;
		expect(Math.abs(after - before)).toBeLessThan(60);
		await expect(box).toBeInViewport();
		// The reader saw it: it is read, and the badge says so.
		await expect(inboxLink(page)).toHaveAttribute('data-unread-count', '0');
		await Promise.all([alice.context.close(), bob.context.close()]);
	});

	test('a hidden tab marks nothing read: it says how many came, and shows them once visible', async ({
		browser
	}) => {
		const [a, b] = instances();
		const alice = await userAt(browser, a, 'alice');
		const bob = await userAt(browser, b, 'bob');
		const threadId = await send(alice, a, bob.name, uniqueName('live'), 'First');
		const page = await bob.context.newPage();
		await openLive(page, `/messages/thread/${threadId}`);
		await setHidden(page, true);

		await reply(alice, a, threadId, 'While away');
		await expect(page.getByRole('status').filter({ hasText: 'New messages: 1' })).toBeVisible();
		// The layout re-loaded (the badge counts the thread unread), the thread did not.
		await expect(inboxLink(page)).toHaveAttribute('data-unread-count', '1');
		await expect(page.locator('[data-message]')).toHaveCount(1);

		await setHidden(page, false);
		await expect(page.locator('[data-message]').last()).toContainText('While away');
		await expect(inboxLink(page)).toHaveAttribute('data-unread-count', '0');
		await expect(page.getByText('New messages: 1')).toHaveCount(0);
		await Promise.all([alice.context.close(), bob.context.close()]);
	});

	test('reading in one tab updates the badge in another', async ({ browser }) => {
		const [a, b] = instances();
		const alice = await userAt(browser, a, 'alice');
		const bob = await userAt(browser, b, 'bob');
		const threadId = await send(alice, a, bob.name, uniqueName('live'));
		const inbox = await bob.context.newPage();
		await openLive(inbox, '/messages');
		await expect(inboxLink(inbox)).toHaveAttribute('data-unread-count', '1');

		// Bob opens the thread elsewhere (another device, on the other instance).
		const elsewhere = await browser.newContext({ baseURL: a });
		await elsewhere.addCookies(await bob.context.cookies(b));
		expect((await elsewhere.request.get(`/messages/thread/${threadId}`)).status()).toBe(200);

		await expect(threadRow(inbox, threadId)).toHaveAttribute('data-unread', 'false');
		await expect(inboxLink(inbox)).toHaveAttribute('data-unread-count', '0');
		await Promise.all([alice.context.close(), bob.context.close(), elsewhere.close()]);
	});
});

test.describe('without JavaScript', () => {
	test.skip(() => isJavaScriptProject(), 'what a page does without JavaScript');

	test('no stream is opened, and a new message shows on the next page load', async ({
		page,
		newUser
	}) => {
		const [alice, bob] = [await newUser('alice'), await newUser('bob')];
		const streams: string[] = [];
		page.on('request', (request) => {
			if (request.url().includes('/messages/events')) streams.push(request.url());
		});
		await page.context().addCookies(await bob.context.cookies());
		await page.goto('/messages');
		const threadId = await send(alice, test.info().project.use.baseURL!, bob.name, 'Hello');
		await page.reload();
		await expect(threadRow(page, threadId)).toHaveAttribute('data-unread', 'true');
		expect(streams).toEqual([]);
	});
});

test('the stream tells a signed-out browser to stop trying (204), and serves only events', async ({
	request,
	newUser
}) => {
	expect((await request.get('/messages/events', { maxRedirects: 0 })).status()).toBe(204);
	const user = await newUser();
	const controller = new AbortController();
	const response = await fetch(`${test.info().project.use.baseURL}/messages/events`, {
		headers: {
			cookie: (await user.context.cookies()).map((c) => `${c.name}=${c.value}`).join('; ')
		},
		signal: controller.signal
	});
	expect(response.status).toBe(200);
	expect(response.headers.get('content-type')).toBe('text/event-stream; charset=utf-8');
	// The session check, and nothing else: the stream costs the database nothing while open.
	expect(response.headers.get('x-sql-statements')).toBe('1');
	// nginx takes the header for itself.
	if (!test.info().project.metadata?.instances) {
		expect(response.headers.get('x-accel-buffering')).toBe('no');
	}
	const reader = response.body!.getReader();
	const { value } = await reader.read();
	expect(new TextDecoder().decode(value)).toContain('event: hello');
	controller.abort();
});

test.describe('with JavaScript, many tabs', () => {
	test.skip(() => !isJavaScriptProject(), 'live updates need JavaScript');

	test('tabs past the browser’s six connections a site load once hidden tabs give theirs back', async ({
		newUser
	}) => {
		test.setTimeout(90_000);
		const user = await newUser();
		const tabs: Page[] = [];
		for (let i = 0; i < 6; i++) {
			const tab = await user.context.newPage();
			await openLive(tab, '/messages');
			tabs.push(tab);
		}
		const seventh = await user.context.newPage();
		const loaded = seventh.goto('/messages', { timeout: 60_000 }).then(() => Date.now());
		await new Promise((resolve) => setTimeout(resolve, 3_000));
		for (const tab of tabs) await setHidden(tab, true);
		const hiddenAt = Date.now();
		expect(await loaded).toBeGreaterThan(hiddenAt);
		await expect(inboxLink(seventh)).toBeVisible();
	});
});

test('with every instance down, nginx tells the stream to come back rather than fail it', async () => {
	const noInstance = test.info().project.metadata?.noInstance as string | undefined;
	test.skip(!noInstance, 'only the PostgreSQL project runs behind nginx');
	const response = await fetch(`${noInstance}/messages/events`);
	expect(response.status).toBe(200);
	expect(response.headers.get('content-type')).toBe('text/event-stream');
	expect(await response.text()).toBe('retry: 5000\n\n');
	// Any other page: nginx's own 502, as before.
	expect((await fetch(`${noInstance}/messages`, { redirect: 'manual' })).status).toBe(502);
});

test('HEAD of the stream answers with its headers and no body', async ({ newUser }) => {
	const user = await newUser();
	const response = await user.request.head('/messages/events');
	expect(response.status()).toBe(200);
	expect(response.headers()['content-type']).toBe('text/event-stream; charset=utf-8');
	expect(await response.body()).toHaveLength(0);
});
