import {
	actAs,
	expect,
	expectRejected,
	hydrated,
	inboxLink,
	isJavaScriptProject,
	listing,
	register,
	startThread,
	test,
	threadRow,
	shownThreadId,
	THREAD_PAGE,
	uniqueName
} from './helpers';

test('a new thread opens for the sender, read, and reaches the recipient unread', async ({
	page,
	newUser
}) => {
	const alice = await register(page.context(), 'alice');
	const bob = await newUser('bob');
	const subject = uniqueName('Lunch');

	await page.goto('/messages/create');
	await page.getByLabel('To').fill(bob.name);
	await page.getByLabel('Subject').fill(subject);
	await page.getByLabel('Message').fill('Noon at the usual place?');
	await page.getByRole('button', { name: 'Send', exact: true }).click();

	await expect(page).toHaveURL(THREAD_PAGE);
	const id = shownThreadId(page);
	await expect(page.getByRole('heading', { level: 1 })).toHaveText(subject);
	await expect(page.locator('[data-message]')).toHaveCount(1);
	await expect(page.locator('[data-message]')).toContainText('Noon at the usual place?');
	// Her own message, named as hers.
	await expect(page.locator('[data-message]')).toContainText('You');

	// The sender sees it in their inbox at once, read.
	await page.goto('/messages');
	await expect(threadRow(page, id)).toHaveAttribute('data-unread', 'false');
	// Everyone in it, the sender last as "you", and whose the newest message is.
	await expect(threadRow(page, id)).toContainText(`${bob.name}, you`);
	await expect(threadRow(page, id)).toContainText('you: Noon at the usual place?');
	await expect(inboxLink(page)).toHaveAttribute('data-unread-count', '0');

	await actAs(page, bob);
	await page.goto('/messages');
	await expect(page.locator('main [data-thread]')).toHaveCount(1);
	await expect(threadRow(page, id)).toHaveAttribute('data-unread', 'true');
	await expect(threadRow(page, id).getByRole('link')).toHaveAttribute(
		'href',
		`/messages/thread/${id}`
	);
	await expect(threadRow(page, id).getByRole('link')).toContainText(subject);
	await expect(threadRow(page, id)).toContainText(`${alice.name}, you`);
	await expect(threadRow(page, id)).toContainText(`${alice.name}: Noon at the usual place?`);
	await expect(inboxLink(page)).toHaveAttribute('data-unread-count', '1');
	await expect(inboxLink(page)).toContainText('1');
});

test('one thread to several users: commas and spaces, duplicates collapse', async ({
	page,
	newUser
}) => {
	await register(page.context(), 'alice');
	const [bob, carol, dave] = await Promise.all([newUser('bob'), newUser('carol'), newUser('dave')]);

	await page.goto('/messages/create');
	// Three people named 53 times: repeats collapse before the 50-recipient limit counts.
	const repeats = Array.from({ length: 50 }, () => bob.name.toUpperCase()).join(' ');
	const to = `${bob.name}, ${carol.name}  ${dave.name},${repeats} ,, ${carol.name}`;
	await page.getByLabel('To').fill(to);
	await page.getByLabel('Subject').fill('Team');
	await page.getByLabel('Message').fill('Hello all');
	await page.getByRole('button', { name: 'Send', exact: true }).click();
	await expect(page).toHaveURL(THREAD_PAGE);
	const id = shownThreadId(page);

	// Each other name offers Block; the sender is "you", last.
	await expect(page.locator('main header p bdi')).toHaveText([bob.name, carol.name, dave.name]);
	await expect(page.locator('main header p')).toHaveText(/^Participants: .*, you$/);
	for (const user of [bob, carol, dave]) {
		const inbox = await listing(user.request);
		expect(inbox.rows, user.name).toEqual([{ id, unread: true }]);
		expect(inbox.unreadCount, user.name).toBe(1);
	}
});

test('/messages/create/<username> fills in To; an unknown username is 404', async ({
	page,
	newUser
}) => {
	const alice = await register(page.context(), 'alice');
	// Nobody can write to themselves, so their own name is not filled in.
	await page.goto(`/messages/create/${alice.name}`);
	await expect(page.getByLabel('To')).toHaveValue('');

	const bob = await newUser('bob');

	await page.goto(`/messages/create/${bob.name.toUpperCase()}`);
	await expect(page.getByLabel('To')).toHaveValue(bob.name);
	await page.getByLabel('Subject').fill('Direct');
	await page.getByLabel('Message').fill('Straight from your profile link');
	await page.getByRole('button', { name: 'Send', exact: true }).click();
	await expect(page).toHaveURL(THREAD_PAGE);
	const id = shownThreadId(page);
	expect((await listing(bob.request)).rows).toEqual([{ id, unread: true }]);

	const missing = await page.goto(`/messages/create/${uniqueName('nobody')}`);
	expect(missing?.status()).toBe(404);
	await expect(page.getByRole('heading', { name: 'Not found' })).toBeVisible();
	await expect(page.getByLabel('To')).toHaveCount(0);
});

test('a name that only looks like a user’s reaches no one', async ({ page, newUser }) => {
	await register(page.context(), 'alice');
	// A name with the letters the look-alikes replace: i, k and s.
	const kristi = await newUser('kristi');
	const lookAlikes = [
		kristi.name.replace('i', 'İ'),
		kristi.name.replace('i', 'ı'),
		kristi.name.replace('k', '\u212a'),
		kristi.name.replace('s', 'ſ')
	];
	for (const lookAlike of lookAlikes) {
		const response = await page.goto(`/messages/create/${encodeURIComponent(lookAlike)}`);
		expect(response?.status(), lookAlike).toBe(404);
	}
	await page.goto('/messages/create');
	await page.getByLabel('To').fill(lookAlikes.join(' '));
	await page.getByLabel('Subject').fill('Hello');
	await page.getByLabel('Message').fill('Is this you?');
	await expectRejected(
		page,
		page.getByRole('button', { name: 'Send', exact: true }),
		page.getByLabel('To'),
		`No user named ${lookAlikes.map((name) => `“\u2068${name}\u2069”`).join(', ')}.`
	);
	expect((await listing(kristi.request)).rows).toEqual([]);
});

test('To suggests the people of your threads as you type, never you', async ({ page, newUser }) => {
	const [bob, carol] = [await newUser('bob'), await newUser('carol')];
	const alice = await register(page.context(), 'alice');
	await startThread(bob.request, [alice.name, carol.name]);

	await page.goto('/messages/create');
	const to = page.getByLabel('To');
	if (!isJavaScriptProject()) {
		// Without JavaScript, the browser's own list of the people of one's threads.
		const listId = await to.getAttribute('list');
		const options = page.locator(`datalist#${listId} option`);
		const values = await options.evaluateAll((os) => os.map((o) => (o as HTMLOptionElement).value));
		expect(values.sort()).toEqual([bob.name, carol.name].sort());
		return;
	}
	// With it, the combobox replaces that list (tests/reach.test.ts drives it by keyboard): it
	// asks for the name being typed, leaving out names already in the field.
	await hydrated(page);
	await expect(to).not.toHaveAttribute('list');
	await to.fill(`${bob.name}, ${carol.name.slice(0, -1)}`);
	await expect(page.getByRole('option')).toHaveText([carol.name]);
	await to.fill(`${carol.name}, ${alice.name}`);
	await expect(page.getByRole('listbox')).toBeHidden();
});
