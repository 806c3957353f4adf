import {
	PASSWORD,
	expect,
	expectNoPageLoad,
	expectSeeOther,
	inboxLink,
	postForm,
	sessionToken,
	sessionWorks,
	submitRejected,
	test,
	uniqueName
} from './helpers';
import type { Page } from '@playwright/test';

async function logIn(page: Page, username: string, password = PASSWORD) {
	await page.getByLabel('Username').fill(username);
	await page.getByLabel('Password').fill(password);
	await page.getByRole('button', { name: 'Log in' }).click();
}

test('logging in, with the username in any case, lands on redirectTo', async ({
	page,
	newUser
}) => {
	const bob = await newUser('Bob');
	await page.goto('/login?redirectTo=%2Fmessages%2Fdeleted');
	await logIn(page, bob.name.toLowerCase());
	await expect(page).toHaveURL(/\/messages\/deleted$/);
	await expect(page.getByRole('heading', { name: 'Deleted' })).toBeVisible();
	await expect(page.locator('header')).toContainText(bob.name);
	await expect(inboxLink(page)).toHaveAttribute('data-unread-count', '0');

	// Signed in already: the login page sends them on.
	await page.goto('/login');
	await expect(page).toHaveURL(/\/messages$/);
});

test('redirectTo never leads off the site', async ({ page, newUser }) => {
	const bob = await newUser('bob');
	for (const target of [
		'//evil.example/messages',
		'http://evil.example/',
		'/\\evil.example',
		'/.//evil.example/messages'
	]) {
		await page.context().clearCookies();
		await page.goto(`/login?redirectTo=${encodeURIComponent(target)}`);
		await logIn(page, bob.name);
		await expect(page, target).toHaveURL(/^http:\/\/127\.0\.0\.1:\d+\/messages$/);
		await expect(page.getByRole('button', { name: 'Log out' })).toBeVisible();
	}
});

test('a wrong password and an unknown user get the same generic message, 400', async ({
	page,
	newUser
}) => {
	const bob = await newUser('bob');
	const alert = page.locator('main').getByRole('alert');
	await page.goto('/login');
	for (const [username, password] of [
		[bob.name, 'not the password'],
		[uniqueName('nobody'), PASSWORD]
	]) {
		await page.getByLabel('Username').fill(username);
		await page.getByLabel('Password').fill(password);
		await submitRejected(page, page.getByRole('button', { name: 'Log in' }));
		await expect(alert).toHaveText('Incorrect username or password.');
		await expect(page.getByLabel('Username')).toHaveValue(username);
		await expect(page.getByLabel('Password')).toHaveValue('');
		await expectNoPageLoad(page);
	}
	await page.goto('/messages');
	await expect(page).toHaveURL(/\/login\?redirectTo=\/messages$/);
});

test('someone signed in who posts a wrong password or a bad sign-up gets the 400, still signed in', async ({
	newUser
}) => {
	const alice = await newUser('alice');
	const before = await sessionToken(alice.context);

	const wrong = await postForm(alice.request, '/login', {
		username: alice.name,
		password: 'not the password'
	});
	expect(wrong.status()).toBe(400);
	expect(await wrong.text()).toContain('Incorrect username or password.');
	const bad = await postForm(alice.request, '/signup', { username: 'ab', password: PASSWORD });
	expect(bad.status()).toBe(400);

	expect(await sessionToken(alice.context)).toBe(before);
	expect(await sessionWorks(before)).toBe(true);
	// The pages themselves still send someone signed in on.
	expectSeeOther(await alice.request.get('/login', { maxRedirects: 0 }), '/messages');
});
