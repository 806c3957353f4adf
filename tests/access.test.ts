import type { APIRequestContext } from '@playwright/test';
import {
	sameEveryTime,
	MISSING_THREAD_ID,
	PASSWORD,
	expect,
	expectSeeOther,
	listing,
	loginRedirectTo,
	postForm,
	startThread,
	test,
	threadMessageIds
} from './helpers';

/** Where an anonymous request to `path` is sent: the login page, which comes back to `path`. */
function expectLoginRedirect(
	response: { status(): number; headers(): Record<string, string> },
	path: string
) {
	expect(response.status(), path).toBe(303);
	const location = new URL(response.headers()['location'], 'http://app.invalid');
	expect(location.pathname, path).toBe('/login');
	expect(location.searchParams.get('redirectTo'), path).toBe(path);
	// Written as SPEC §3 writes it, slashes and all (only a query's own `?`, `=`, `&` are escaped).
	expect(response.headers()['location'], path).toBe(loginRedirectTo(path));
	if (!path.includes('?')) expect(loginRedirectTo(path)).toBe(`/login?redirectTo=${path}`);
}

test('anonymous requests to /messages and /account paths are sent to log in, GET and POST', async ({
	request,
	newUser
}) => {
	const [alice, bob] = await Promise.all([newUser('alice'), newUser('bob')]);
	const id = await startThread(alice.request, bob.name);
	for (const path of [
		'/messages',
		'/messages?before=123',
		'/messages/deleted',
		'/messages/create',
		`/messages/create/${bob.name}`,
		`/messages/thread/${id}`,
		`/messages/thread/${id}/delete`,
		`/messages/thread/${MISSING_THREAD_ID}`,
		'/messages/thread/not-a-thread-id',
		'/account'
	]) {
		expectLoginRedirect(await request.get(path, { maxRedirects: 0 }), path);
	}
	for (const [path, form] of [
		['/messages/create', { to: bob.name, subject: 'Anonymous', message: 'Boo' }],
		[`/messages/thread/${id}`, { content: 'Anonymous reply' }],
		[`/messages/thread/${id}/delete`, {}],
		['/messages/deleted?/restore', { thread: id }],
		['/account?/timeZone', { timeZone: 'Asia/Tokyo' }]
	] as const) {
		expectLoginRedirect(await postForm(request, path, form), path);
	}

	// Nothing was written.
	expect(await threadMessageIds(alice.request, id)).toHaveLength(1);
	expect((await listing(bob.request)).rows).toEqual([{ id, unread: true }]);
});

test('after logging in, the user lands on the page they asked for', async ({ page, newUser }) => {
	const [alice, bob] = await Promise.all([newUser('alice'), newUser('bob')]);
	const id = await startThread(alice.request, bob.name, 'Where were we?');

	await page.goto(`/messages/thread/${id}`);
	await expect(page).toHaveURL(new RegExp(`/login\\?redirectTo=/messages/thread/${id}$`));
	await page.getByLabel('Username').fill(bob.name);
	await page.getByLabel('Password').fill(PASSWORD);
	await page.getByRole('button', { name: 'Log in' }).click();
	await expect(page).toHaveURL(new RegExp(`/messages/thread/${id}$`));
	await expect(page.getByRole('heading', { level: 1 })).toHaveText('Where were we?');
});

/** Status and body, with the thread id blanked so two ids can be compared. */
async function outcome(
	request: APIRequestContext,
	id: string,
	method: 'GET' | 'POST',
	path: string
) {
	const url = path.replace('{id}', id);
	const response =
		method === 'GET'
			? await request.get(url, { maxRedirects: 0 })
			: await postForm(request, url, url.endsWith('/reply') ? { content: 'Let me in' } : {});
	const body = (await response.text()).replaceAll(id, '{id}');
	// The CSP nonce is new in every response, and so is the time the mailbox was read.
	return { status: response.status(), body: sameEveryTime(body) };
}

test('a non-participant gets the same 404 as for a missing thread, and writes nothing', async ({
	newUser
}) => {
	const [alice, bob, mallory] = await Promise.all([
		newUser('alice'),
		newUser('bob'),
		newUser('mallory')
	]);
	const id = await startThread(alice.request, bob.name, 'Private');

	for (const [method, path] of [
		['GET', '/messages/thread/{id}'],
		['POST', '/messages/thread/{id}'],
		['GET', '/messages/thread/{id}/delete'],
		['POST', '/messages/thread/{id}/delete']
	] as const) {
		const forbidden = await outcome(mallory.request, id, method, path);
		const missing = await outcome(mallory.request, MISSING_THREAD_ID, method, path);
		expect(forbidden.status, `${method} ${path}`).toBe(404);
		expect(forbidden, `${method} ${path}`).toEqual(missing);
	}
	const restore = await postForm(mallory.request, '/messages/deleted?/restore', { thread: id });
	expect(restore.status()).toBe(404);

	// The participants' view is untouched: no reply, nobody's copy deleted, bob's still unread.
	expect(await threadMessageIds(alice.request, id)).toHaveLength(1);
	expect((await listing(alice.request)).rows).toEqual([{ id, unread: false }]);
	const bobInbox = await listing(bob.request);
	expect(bobInbox.rows).toEqual([{ id, unread: true }]);
	expect(bobInbox.unreadCount).toBe(1);
	expect((await listing(mallory.request)).rows).toEqual([]);
	expect((await listing(mallory.request, '/messages/deleted')).rows).toEqual([]);

	// What the page says.
	const shown = await outcome(mallory.request, id, 'GET', '/messages/thread/{id}');
	expect(shown.body).toMatch(/<h1[^>]*>Not found<\/h1>/);
	expect(shown.body).not.toContain('Private');

	// A 404 thread page still shows the signed-in user's own unread count.
	const bobMissing = await bob.request.get(`/messages/thread/${MISSING_THREAD_ID}`);
	expect(bobMissing.status()).toBe(404);
	expect(await bobMissing.text()).toContain('data-unread-count="1"');
});

test('malformed thread ids are 404', async ({ newUser }) => {
	const [alice, bob] = await Promise.all([newUser('alice'), newUser('bob')]);
	const id = await startThread(alice.request, bob.name);
	for (const bad of [
		id.toUpperCase(),
		id.slice(0, 15),
		`${id}a`,
		`${id.slice(0, 15)}1`,
		`${id.slice(0, 15)}-`,
		'0000000000000000'
	]) {
		expect((await alice.request.get(`/messages/thread/${bad}`)).status(), bad).toBe(404);
		expect((await alice.request.get(`/messages/thread/${bad}/delete`)).status(), bad).toBe(404);
		const replied = await postForm(alice.request, `/messages/thread/${bad}`, {
			content: 'x'
		});
		expect(replied.status(), bad).toBe(404);
		const deleted = await postForm(alice.request, `/messages/thread/${bad}/delete`, {});
		expect(deleted.status(), bad).toBe(404);
	}
	expect(await threadMessageIds(alice.request, id)).toHaveLength(1);
	expect((await listing(alice.request)).rows).toEqual([{ id, unread: false }]);
});

test('/ sends each visitor on, and /status answers without a session', async ({
	request,
	newUser
}) => {
	const alice = await newUser('alice');
	expectSeeOther(await request.get('/', { maxRedirects: 0 }), '/login');
	expectSeeOther(await alice.request.get('/', { maxRedirects: 0 }), '/messages');

	// The load balancer's liveness check: a tiny page, never cached, signed in or not.
	for (const [client, says] of [
		[request, 'OK'],
		[alice.request, 'OK, signed in']
	] as const) {
		const status = await client.get('/status');
		expect(status.status()).toBe(200);
		expect(status.headers()['cache-control']).toMatch(/no-store/);
		expect(await status.text()).toContain(`<p>${says}</p>`);
	}
});

test('the not-found page says so once, and leads back in or to log in', async ({
	page,
	newUser
}) => {
	const main = page.locator('main');
	const shown = await page.goto('/no-such-page');
	expect(shown?.status()).toBe(404);
	await expect(main.getByRole('heading', { name: 'Not found' })).toBeVisible();
	await expect(main.getByText(/not found/i)).toHaveCount(1);
	await expect(main.getByRole('link', { name: 'Log in' })).toHaveAttribute('href', '/login');

	const alice = await newUser('alice');
	await page.context().addCookies(await alice.context.cookies());
	await page.goto('/no-such-page');
	await expect(main.getByRole('link', { name: 'Back to your inbox' })).toHaveAttribute(
		'href',
		'/messages'
	);
	// A thread that is not there says which: its own message, under the same heading.
	await page.goto(`/messages/thread/${MISSING_THREAD_ID}`);
	await expect(main.getByRole('heading', { name: 'Not found' })).toBeVisible();
	await expect(main.getByText('Thread not found', { exact: true })).toBeVisible();
});
