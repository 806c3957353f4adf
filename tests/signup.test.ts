import {
	PASSWORD,
	appOrigin,
	expect,
	expectRejected,
	expectSeeOther,
	inboxLink,
	postForm,
	signUp,
	test,
	uniqueName
} from './helpers';

test('signing up lands signed in on an empty inbox', async ({ page }) => {
	const name = await signUp(page, uniqueName('Mixed.Case-name'));
	await expect(page.locator('header')).toContainText(name);
	await expect(page.getByRole('button', { name: 'Log out' })).toBeVisible();
	await expect(inboxLink(page)).toHaveAttribute('data-unread-count', '0');
	await expect(page.locator('main')).toContainText('Your inbox is empty.');
	await expect(page.locator('main [data-thread]')).toHaveCount(0);
});

test('sign-up says the rules before anything is typed; log-in does not', async ({ page }) => {
	await page.goto('/signup');
	await expect(page.getByLabel('Username')).toHaveAccessibleDescription(
		'3 to 32 letters, digits, dots, dashes or underscores.'
	);
	await expect(page.getByLabel('Password')).toHaveAccessibleDescription('At least 8 characters.');
	await page.goto('/login');
	await expect(page.getByLabel('Password')).toHaveAccessibleDescription('');
});

test('invalid sign-ups are refused next to the field, kept, and create nothing', async ({
	page,
	newUser,
	request
}) => {
	const taken = await newUser('Taken');
	const freeName = uniqueName('free');
	const cases = [
		[
			'a taken username, in another case',
			taken.name.toUpperCase(),
			'another password',
			'Username',
			'That username is taken.'
		],
		[
			'characters outside letters, digits, _ - .',
			'bad name!',
			PASSWORD,
			'Username',
			/3 to 32 letters/
		],
		['a username under 3 characters', 'ab', PASSWORD, 'Username', /3 to 32 letters/],
		['a username over 32 characters', 'u'.repeat(33), PASSWORD, 'Username', /3 to 32 letters/],
		['a password under 8 characters', freeName, 'seven77', 'Password', 'Use at least 8 characters.']
	] as const;

	await page.goto('/signup');
	for (const [what, username, password, field, error] of cases) {
		await test.step(what, async () => {
			await page.getByLabel('Username').fill(username);
			await page.getByLabel('Password').fill(password);
			await expectRejected(
				page,
				page.getByRole('button', { name: 'Sign up' }),
				page.getByLabel(field),
				error
			);
			await expect(page.getByLabel('Username')).toHaveValue(username);
			await expect(page.getByRole('button', { name: 'Log out' })).toHaveCount(0);
			// No account has this name and password.
			const login = await postForm(request, '/login', { username, password });
			expect(login.status()).toBe(400);
		});
	}

	// The taken account is untouched, and the refused free name is still free.
	const login = await postForm(request, '/login', { username: taken.name, password: PASSWORD });
	expectSeeOther(login, '/messages');
	await page.getByLabel('Username').fill(freeName);
	await page.getByLabel('Password').fill(PASSWORD);
	await page.getByRole('button', { name: 'Sign up' }).click();
	await expect(page).toHaveURL(/\/messages$/);
	await expect(page.locator('header')).toContainText(freeName);
});

test('a form post from a script, which accepts anything, gets the answers a browser gets', async ({
	request
}) => {
	const post = (form: Record<string, string>, accept?: string) =>
		request.post('/signup', {
			form,
			headers: { Origin: appOrigin(), ...(accept ? { Accept: accept } : {}) },
			maxRedirects: 0
		});
	const name = uniqueName('script');

	const refused = await post({ username: name, password: 'short' });
	expect(refused.status()).toBe(400);
	expect(refused.headers()['content-type']).toMatch(/^text\/html/);
	expect(await refused.text()).toContain(`value="${name}"`);

	expectSeeOther(await post({ username: name, password: PASSWORD }, '*/*'), '/messages');

	// A client that asks for JSON by name gets SvelteKit's JSON answer, as enhanced forms do.
	const json = await post({ username: uniqueName('json'), password: PASSWORD }, 'application/json');
	expect(json.status()).toBe(200);
	expect(await json.json()).toMatchObject({ type: 'redirect', status: 303, location: '/messages' });
});
