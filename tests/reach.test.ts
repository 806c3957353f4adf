import {
	appOrigin,
	expect,
	expectFieldError,
	hydrated,
	isJavaScriptProject,
	listing,
	loginRedirectTo,
	postForm,
	register,
	startThread,
	submitRejected,
	test,
	threadRow,
	uniqueName,
	visit
} from './helpers';

// Who can reach whom (issue 15): the To field's look-up, blocking, who may message me, and
// message requests, driven through the names of SPEC §8.

test('the To field suggests names by keyboard: arrows, Enter, Escape', async ({
	page,
	newUser
}) => {
	test.skip(!isJavaScriptProject(), 'the combobox is JavaScript’s; without it a datalist');
	const [carol, dave] = await Promise.all([newUser('carol'), newUser('dave')]);
	const alice = await register(page.context(), 'alice');
	await startThread(carol.request, alice.name);

	await page.goto('/messages/create');
	await hydrated(page);
	const to = page.getByRole('combobox', { name: 'To' });
	await to.fill(`@${carol.name.slice(0, -1)}`);
	const listbox = page.getByRole('listbox');
	await expect(listbox.getByRole('option', { name: carol.name })).toBeVisible();
	await expect(to).toHaveAttribute('aria-expanded', 'true');
	await to.press('ArrowDown');
	const first = listbox.getByRole('option').first();
	await expect(first).toHaveAttribute('aria-selected', 'true');
	await expect(to).toHaveAttribute('aria-activedescendant', (await first.getAttribute('id'))!);
	await to.press('Enter');
	await expect(to).toHaveValue(`${carol.name}, `);
	await expect(listbox).toBeHidden();
	await expect(page).toHaveURL(/\/messages\/create$/);

	// Someone else to suggest (never oneself: on a fresh database no other name starts so).
	await page.keyboard.type(dave.name.slice(0, 4));
	await expect(listbox).toBeVisible();
	await to.press('Escape');
	await expect(listbox).toBeHidden();
	await expect(to).toHaveAttribute('aria-expanded', 'false');
});

test('the look-up gives usernames by prefix as JSON, to signed-in users only', async ({
	page,
	newUser
}) => {
	const bob = await newUser('bob');
	const alice = await register(page.context(), 'alice');
	const found = await alice.request.get(`/messages/recipients?q=${bob.name.toUpperCase()}`);
	expect(found.status()).toBe(200);
	expect(await found.json()).toEqual({ names: [bob.name] });
	// Its own name is never suggested; a wildcard is a character, not a pattern.
	expect(await (await alice.request.get(`/messages/recipients?q=${alice.name}`)).json()).toEqual({
		names: []
	});
	const wild = await alice.request.get('/messages/recipients?q=bob%25');
	expect(await wild.json()).toEqual({ names: [] });
	const anonymous = await fetch(`${appOrigin()}/messages/recipients?q=bob`, { redirect: 'manual' });
	expect(anonymous.status).toBe(303);
	expect(anonymous.headers.get('location')).toBe(loginRedirectTo('/messages/recipients?q=bob'));
});

test('a blocked person is refused at compose, never told why', async ({ page, newUser }) => {
	const bob = await newUser('bob');
	const alice = await register(page.context(), 'alice');
	const threadId = await startThread(bob.request, alice.name);

	// Alice blocks Bob from his name on the thread page.
	await page.goto(`/messages/thread/${threadId}`);
	await page.getByRole('button', { name: 'Block', exact: true }).click();
	await expect(page.getByRole('button', { name: 'Unblock', exact: true })).toBeVisible();

	// Bob can no longer start a thread with her.
	const bobPage = await bob.context.newPage();
	await bobPage.goto('/messages/create');
	await bobPage.getByLabel('To').fill(alice.name);
	await bobPage.getByLabel('Subject').fill(uniqueName('Hi'));
	await bobPage.getByLabel('Message').fill('Hello again');
	await submitRejected(bobPage, bobPage.getByRole('button', { name: 'Send', exact: true }));
	await expectFieldError(
		bobPage.getByLabel('To'),
		`“\u2068${alice.name}\u2069” cannot be messaged.`
	);
	await expect(bobPage.getByText(/block/i)).toHaveCount(0);

	// The account page lists him, and unblocks him.
	await page.goto('/account');
	const blocked = page.getByRole('region', { name: 'Blocked people' });
	await expect(blocked.getByRole('listitem')).toHaveText([new RegExp(`${bob.name}\\s*Unblock`)]);
	await blocked.getByRole('button', { name: 'Unblock' }).click();
	await expect(page.getByRole('status')).toContainText(
		`\u2068${bob.name}\u2069 is no longer blocked.`
	);
	await expect(blocked.getByRole('listitem')).toHaveCount(0);
	expect(await startThread(bob.request, alice.name)).toMatch(/^[a-z2-7]{16}$/);
});

test('who may message me is chosen on the account page and checked at compose', async ({
	page,
	newUser
}) => {
	const stranger = await newUser('stranger');
	const alice = await register(page.context(), 'alice');
	await page.goto('/account');
	const group = page.getByRole('group', { name: 'Who may message me' });
	await expect(group.getByRole('radio', { name: 'Everyone', exact: true })).toBeChecked();
	await group.getByRole('radio', { name: 'Nobody' }).check();
	await page
		.getByRole('region', { name: 'Who may message me' })
		.getByRole('button', { name: 'Set who may message me' })
		.click();
	await expect(page.getByRole('status')).toContainText('Saved who may message you.');
	await expect(group.getByRole('radio', { name: 'Nobody' })).toBeChecked();

	const response = await postForm(stranger.request, '/messages/create', {
		to: alice.name,
		subject: 'Hi',
		message: 'Hello'
	});
	expect(response.status()).toBe(400);
	expect(await response.text()).toContain('cannot be messaged.');
});

test('a stranger’s first message waits in Requests, and Accept moves it to the inbox', async ({
	page,
	newUser
}) => {
	const stranger = await newUser('stranger');
	const alice = await register(page.context(), 'alice');
	await page.goto('/account');
	await page.getByRole('radio', { name: 'Everyone, strangers as requests' }).check();
	await page
		.getByRole('region', { name: 'Who may message me' })
		.getByRole('button', { name: 'Set who may message me' })
		.click();
	await expect(page.getByRole('status')).toContainText('Saved who may message you.');

	const threadId = await startThread(stranger.request, alice.name);
	expect(await listing(alice.request)).toMatchObject({ rows: [], unreadCount: 0 });
	// The sender cannot write again until it is accepted: a reply is refused, nothing written.
	const again = await postForm(stranger.request, `/messages/thread/${threadId}`, {
		content: 'Hello??'
	});
	expect(again.status()).toBe(409);
	const second = await postForm(stranger.request, '/messages/create', {
		to: alice.name,
		subject: 'Hi again',
		message: 'Hello??'
	});
	expect(second.status()).toBe(400);
	expect(await second.text()).toContain('has not been accepted yet');

	await page.goto('/messages/requests');
	await expect(threadRow(page, threadId)).toBeVisible();
	await page.getByRole('button', { name: 'Accept' }).click();
	await expect(page).toHaveURL(new RegExp(`/messages/thread/${threadId}$`));
	expect((await listing(alice.request)).rows.map((row) => row.id)).toEqual([threadId]);
	expect((await listing(alice.request, '/messages/requests')).rows).toEqual([]);
	expect(
		(
			await postForm(stranger.request, `/messages/thread/${threadId}`, { content: 'Thanks!' })
		).status()
	).toBe(303);
});

test('Decline removes a request for good and offers Block', async ({ page, newUser }) => {
	const stranger = await newUser('stranger');
	const alice = await register(page.context(), 'alice');
	await postForm(alice.request, '/account?/dmPolicy', { dmPolicy: 'requests' });
	const threadId = await startThread(stranger.request, alice.name);

	await visit(page, '/messages/requests');
	await threadRow(page, threadId).getByRole('button', { name: 'Decline' }).click();
	await expect(threadRow(page, threadId)).toHaveCount(0);
	await page.getByRole('button', { name: 'Block', exact: true }).click();
	await expect(page.getByRole('status')).toContainText(`\u2068${stranger.name}\u2069 is blocked.`);
	expect((await listing(alice.request, '/messages/requests')).rows).toEqual([]);
	expect((await listing(alice.request)).rows).toEqual([]);
	const refused = await postForm(stranger.request, '/messages/create', {
		to: alice.name,
		subject: 'Hi',
		message: 'Please'
	});
	expect(refused.status()).toBe(400);
});
