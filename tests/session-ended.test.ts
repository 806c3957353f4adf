import type { Locator, Page } from '@playwright/test';
import {
	appOrigin,
	expect,
	expectSeeOther,
	hydrated,
	isJavaScriptProject,
	listing,
	loginRedirectTo,
	PASSWORD,
	postForm,
	register,
	startThread,
	test,
	threadMessageIds,
	uniqueName,
	visit
} from './helpers';

// Someone writes a message, their session ends (they log out in another tab), then they press
// Send: they are told why they must log in, and after logging in they are back at the form with
// what they wrote, not sent.

const ENDED = 'Your session had ended, so your message was not sent.';
const NOT_SENT = 'Your session had ended, so this was not sent.';

/** Logs the browser out from a second tab, as a person would. */
async function logOutInAnotherTab(page: Page) {
	const other = await page.context().newPage();
	await other.goto('/messages');
	if (isJavaScriptProject()) await hydrated(other);
	await other.locator('header').getByRole('button', { name: 'Log out' }).click();
	await expect(other).toHaveURL(/\/login$/);
	await other.close();
}

/** Presses Send after the session ended: the log-in page says why, and comes back to `path`. */
async function sendAfterSessionEnded(page: Page, send: Locator, path: string) {
	await logOutInAnotherTab(page);
	await send.click();
	await expect(page).toHaveURL((url) => url.pathname === '/login');
	expect(new URL(page.url()).searchParams.get('redirectTo')).toBe(path);
	await expect(page.getByRole('alert')).toHaveText(
		`${ENDED} Log in again to go back to it: what you wrote is kept.`
	);
}

async function logIn(page: Page, name: string, password = PASSWORD) {
	await page.getByLabel('Username').fill(name);
	await page.getByLabel('Password').fill(password);
	await page.getByRole('button', { name: 'Log in' }).click();
}

test('a reply sent after the session ended is back in its box after logging in, unsent', async ({
	page,
	newUser
}) => {
	const bob = await register(page.context(), 'bob');
	const alice = await newUser('alice');
	const id = await startThread(alice.request, bob.name, 'Still there?');
	const path = `/messages/thread/${id}`;
	await visit(page, path);
	const text = 'Typed before the session ended,\non two lines <b>and</b> “quotes”.';
	await page.getByLabel('Reply').fill(text);

	await sendAfterSessionEnded(page, page.getByRole('button', { name: 'Send reply' }), path);
	// A wrong password on the way loses nothing either.
	await logIn(page, bob.name, 'not the password');
	await expect(page.getByRole('alert')).toHaveText('Incorrect username or password.');
	await logIn(page, bob.name);

	await expect(page).toHaveURL(path);
	await expect(page.getByLabel('Reply')).toHaveValue(text);
	await expect(page.getByRole('alert')).toContainText(NOT_SENT);
	expect(await threadMessageIds(alice.request, id)).toHaveLength(1);

	// Sent now, it is sent once; and it is not offered again.
	if (isJavaScriptProject()) await hydrated(page);
	await page.getByRole('button', { name: 'Send reply' }).click();
	await expect(page).toHaveURL(new RegExp(`${path}#message-\\d+$`));
	await expect(page.locator('[data-message]').last()).toContainText('on two lines <b>and</b>');
	await page.goto(path);
	await expect(page.getByLabel('Reply')).toHaveValue('');
	await expect(page.getByRole('alert')).toHaveCount(0);
	expect(await threadMessageIds(alice.request, id)).toHaveLength(2);
});

test('a new message sent after the session ended is back in the form after logging in, unsent', async ({
	page,
	newUser
}) => {
	const alice = await register(page.context(), 'alice');
	const [bob, carol] = await Promise.all([newUser('bob'), newUser('carol')]);
	const subject = uniqueName('Interrupted');
	const path = `/messages/create/${bob.name}`;
	await visit(page, path);
	await page.getByLabel('To').fill(`${bob.name}, ${carol.name}`);
	await page.getByLabel('Subject').fill(subject);
	await page.getByLabel('Message').fill('The whole plan, typed out.');

	await sendAfterSessionEnded(page, page.getByRole('button', { name: 'Send', exact: true }), path);
	await logIn(page, alice.name);

	await expect(page).toHaveURL(path);
	await expect(page.getByLabel('To')).toHaveValue(`${bob.name}, ${carol.name}`);
	await expect(page.getByLabel('Subject')).toHaveValue(subject);
	await expect(page.getByLabel('Message')).toHaveValue('The whole plan, typed out.');
	await expect(page.getByRole('alert')).toContainText(NOT_SENT);
	expect((await listing(alice.request)).rows).toEqual([]);
	expect((await listing(bob.request)).rows).toEqual([]);
});

test('what someone wrote is not shown to another person who logs in on that browser', async ({
	page,
	newUser
}) => {
	const bob = await register(page.context(), 'bob');
	const alice = await newUser('alice');
	const id = await startThread(alice.request, bob.name, 'Shared computer');
	const path = `/messages/thread/${id}`;
	await visit(page, path);
	await page.getByLabel('Reply').fill('Bob’s unsent words');
	await sendAfterSessionEnded(page, page.getByRole('button', { name: 'Send reply' }), path);

	await logIn(page, alice.name);
	await expect(page).toHaveURL(path);
	if (isJavaScriptProject()) await hydrated(page);
	await expect(page.getByLabel('Reply')).toHaveValue('');
	await expect(page.getByRole('alert')).toHaveCount(0);
	expect(await page.content()).not.toContain('unsent words');
});

test('over HTTP: a form of ours sent signed out goes to log in with its text; anything else, 303', async ({
	request,
	newUser
}) => {
	const bob = await newUser('bob');
	const alice = await newUser('alice');
	const id = await startThread(alice.request, bob.name);
	const path = `/messages/thread/${id}`;
	const page = await bob.request.get(path);
	const token = (await page.text()).match(/name="token" value="([^"]+)"/)![1];
	const form = { content: 'Kept through log-in', token };

	// From the browser of a signed-out person: posted again to the log-in page (307 keeps the
	// body), which carries it and says why.
	const resent = await postForm(request, path, form);
	expect(resent.status()).toBe(307);
	expect(resent.headers()['location']).toBe(loginRedirectTo(path));
	const login = await postForm(request, loginRedirectTo(path), form);
	expect(login.status()).toBe(200);
	const html = await login.text();
	expect(html).toContain(ENDED);
	expect(html).toMatch(/<input type="hidden" name="draft" value="[^"]*Kept through log-in/);
	// An enhanced form gets JSON, and the log-in page it is sent to says why.
	const enhanced = await request.post(path, {
		form,
		headers: { Origin: appOrigin(), Accept: 'application/json', 'x-sveltekit-action': 'true' },
		maxRedirects: 0
	});
	const location = `${loginRedirectTo(path)}&session=ended`;
	expect(await enhanced.json()).toMatchObject({ type: 'redirect', status: 303, location });
	expect(await (await request.get(location)).text()).toContain(ENDED);

	// Without a form of ours (scripts), or from another site: as before.
	expectSeeOther(await postForm(request, path, { content: 'x' }), loginRedirectTo(path));
	expectSeeOther(
		await postForm(request, path, { content: 'x', token: 'my-own-key-123' }),
		loginRedirectTo(path)
	);
	const crossSite = await postForm(request, path, form, 'https://evil.example');
	expect(crossSite.status()).toBe(403);
	expect(await threadMessageIds(alice.request, id)).toHaveLength(1);
});
