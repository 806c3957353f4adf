import type { APIResponse, Browser } from '@playwright/test';
import {
	expect,
	expectSeeOther,
	PASSWORD,
	postForm,
	register,
	sessionToken,
	sessionWorks,
	startThread,
	test,
	type User,
	uniqueName,
	visit
} from './helpers';

/** The same user signed in a second time, in another browser. */
async function secondDevice(user: User, browser: Browser) {
	const context = await browser.newContext();
	const response = await postForm(context.request, '/login', {
		username: user.name,
		password: PASSWORD
	});
	expectSeeOther(response, '/messages');
	return context;
}

test('the session cookie is HttpOnly and SameSite=Lax, and not Secure over plain http', async ({
	browser
}) => {
	const context = await browser.newContext();
	const response = await postForm(context.request, '/signup', {
		username: `cookie_${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`,
		password: PASSWORD
	});
	const setCookie = (response: APIResponse) =>
		response.headersArray().find((h) => /^set-cookie$/i.test(h.name))?.value ?? '';
	const cookie = setCookie(response);
	expect(cookie).toMatch(/^session=[a-z2-7]{32};/);
	expect(cookie).toMatch(/; HttpOnly/i);
	expect(cookie).toMatch(/; SameSite=Lax/i);
	expect(cookie).not.toMatch(/; Secure/i);
	// A page view does not send the cookie again: only a renewal would.
	const page = await context.request.get('/messages');
	expect(page.status()).toBe(200);
	expect(page.headers()['set-cookie']).toBeUndefined();
	// The signed-in page is this user's alone: no cache keeps it for after logging out.
	expect(page.headers()['cache-control']).toBe('private, no-store');
	// Logging out deletes it with the same options: a browser ignores a Secure deletion over http.
	const deleted = setCookie(await postForm(context.request, '/logout', {}));
	expect(deleted).toMatch(/^session=;.*Max-Age=0/i);
	expect(deleted).not.toMatch(/; Secure/i);
	await context.close();
});

for (const way of ['logging in again', 'signing up'] as const) {
	test(`${way} while signed in gives a new token and ends the old one`, async ({ newUser }) => {
		const alice = await newUser('alice');
		const before = await sessionToken(alice.context);

		const username = way === 'signing up' ? uniqueName('newcomer') : alice.name;
		const path = way === 'signing up' ? '/signup' : '/login';
		expectSeeOther(
			await postForm(alice.request, path, { username, password: PASSWORD }),
			'/messages'
		);
		const after = await sessionToken(alice.context);

		expect(after).not.toBe(before);
		expect(await sessionWorks(before)).toBe(false);
		expect(await sessionWorks(after)).toBe(true);
		// The browser is now that account's.
		const header = await (await alice.request.get('/messages')).text();
		expect(header).toContain(`>${username}<`);
	});
}

test('changing the password signs out every other device, keeps this one', async ({
	page,
	browser
}) => {
	const alice = await register(page.context(), 'alice');
	const laptop = await secondDevice(alice, browser);
	const laptopToken = await sessionToken(laptop);
	expect(await sessionWorks(laptopToken)).toBe(true);

	await page.goto('/messages');
	// The header's name leads to the account page, and that to the password form.
	await page.locator('header').getByRole('link', { name: alice.name }).click();
	await expect(page).toHaveURL(/\/account$/);
	await page.getByRole('link', { name: 'Change password' }).click();
	await expect(page).toHaveURL(/\/account\/password$/);
	await page.getByLabel('Current password').fill(PASSWORD);
	await page.getByLabel('New password').fill('a brand new password');
	await page.getByRole('button', { name: 'Change password' }).click();

	await expect(page.getByRole('status')).toContainText('Your password was changed.');
	await expect(page.getByLabel('Current password')).toHaveValue('');
	expect(await sessionWorks(await sessionToken(page.context()))).toBe(true);
	expect(await sessionWorks(laptopToken)).toBe(false);

	const logIn = (password: string) =>
		postForm(laptop.request, '/login', { username: alice.name, password });
	expect((await logIn(PASSWORD)).status()).toBe(400);
	expectSeeOther(await logIn('a brand new password'), '/messages');
	await laptop.close();
});

test('a wrong current password changes nothing and says so next to the field', async ({
	page,
	browser
}) => {
	const alice = await register(page.context(), 'alice');
	const laptop = await secondDevice(alice, browser);

	await page.goto('/account/password');
	await page.getByLabel('Current password').fill('not my password');
	await page.getByLabel('New password').fill('a brand new password');
	await page.getByRole('button', { name: 'Change password' }).click();

	await expect(page.getByText('That is not your current password.')).toBeVisible();
	await expect(page.getByLabel('Current password')).toHaveAttribute('aria-invalid', 'true');
	expect(await sessionWorks(await sessionToken(laptop))).toBe(true);
	const response = await postForm(laptop.request, '/login', {
		username: alice.name,
		password: PASSWORD
	});
	expectSeeOther(response, '/messages');
	await laptop.close();
});

test('the password page needs a signed-in user', async ({ request }) => {
	const response = await request.get('/account/password', { maxRedirects: 0 });
	expectSeeOther(response, '/login?redirectTo=/account/password');
	const post = await postForm(request, '/account/password', {
		currentPassword: PASSWORD,
		newPassword: 'a brand new password'
	});
	expectSeeOther(post, '/login?redirectTo=/account/password');
});

test('a form sent after the session ended goes to log in, and back to the thread', async ({
	page,
	newUser
}) => {
	const bob = await newUser('bob');
	const alice = await register(page.context(), 'alice');
	const id = await startThread(bob.request, alice.name);
	await visit(page, `/messages/thread/${id}`);

	// Logged out elsewhere: this page's form no longer has a session behind it.
	await page.context().clearCookies();
	await page.getByLabel('Reply').fill('Too late');
	await page.getByRole('button', { name: 'Send reply' }).click();

	await expect(page).toHaveURL(/\/login\?redirectTo=/);
	await page.getByLabel('Username').fill(alice.name);
	await page.getByLabel('Password').fill(PASSWORD);
	await page.getByRole('button', { name: 'Log in' }).click();
	await expect(page).toHaveURL(new RegExp(`/messages/thread/${id}`));
	await expect(page.locator('[data-message]')).toHaveCount(1);
});

test('a session token the server does not know is cleared as it sends the browser to log in', async ({
	request
}) => {
	const response = await request.get('/messages', {
		headers: { Cookie: 'session=notarealtoken' },
		maxRedirects: 0
	});
	expectSeeOther(response, '/login?redirectTo=/messages');
	expect(response.headers()['set-cookie']).toMatch(/^session=;.*Max-Age=0/i);
});
