import {
	appOrigin,
	expect,
	expectSeeOther,
	register,
	sessionToken,
	sessionWorks,
	test
} from './helpers';

test('the header Log out button ends the session on the server', async ({ page }) => {
	const alice = await register(page.context(), 'alice');
	await page.goto('/messages');
	const token = await sessionToken(page.context());
	expect(await sessionWorks(token)).toBe(true);

	await page.locator('header').getByRole('button', { name: 'Log out' }).click();
	await expect(page).toHaveURL(/\/login$/);
	await expect(page.locator('header')).not.toContainText(alice.name);
	await expect(page.locator('header').getByRole('link', { name: 'Log in' })).toBeVisible();
	await page.goto('/messages');
	await expect(page).toHaveURL(/\/login\?redirectTo=\/messages$/);

	// The old token is dead, not only forgotten by this browser.
	expect(await sessionWorks(token)).toBe(false);
});

test('GET /logout asks first, and its button logs out', async ({ page, request }) => {
	const alice = await register(page.context(), 'alice');
	const token = await sessionToken(page.context());
	await page.goto('/logout');
	await expect(page.getByRole('heading', { name: 'Log out?' })).toBeVisible();
	// Showing the page logged nobody out.
	await expect(page.locator('header')).toContainText(alice.name);
	expect(await sessionWorks(token)).toBe(true);

	await page.locator('main').getByRole('button', { name: 'Log out' }).click();
	await expect(page).toHaveURL(/\/login$/);
	await page.goto('/messages/create');
	await expect(page).toHaveURL(/\/login\?redirectTo=\/messages\/create$/);
	expect(await sessionWorks(token)).toBe(false);

	// Anonymous: nothing to confirm.
	expectSeeOther(await request.get('/logout', { maxRedirects: 0 }), '/login');
});

test('a post with no body at all logs out, from this site only', async ({ newUser }) => {
	const alice = await newUser('alice');
	const token = await sessionToken(alice.context);
	const logOut = (headers: Record<string, string>) =>
		alice.request.post('/logout', { headers, maxRedirects: 0 });

	// No form and so no body type, which SvelteKit's own origin check passes by: checked here.
	for (const headers of [{}, { Origin: 'https://evil.example' }] as Record<string, string>[]) {
		const refused = await logOut(headers);
		expect(refused.status()).toBe(403);
		expect(await refused.text()).toBe('Cross-site POST form submissions are forbidden');
		expect(await sessionWorks(token)).toBe(true);
	}
	expectSeeOther(await logOut({ Origin: appOrigin() }), '/login');
	expect(await sessionWorks(token)).toBe(false);
});
