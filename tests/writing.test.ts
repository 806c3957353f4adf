import {
	expect,
	hydrated,
	register,
	shownThreadId,
	startThread,
	test,
	THREAD_PAGE,
	threadMessageIds,
	uniqueName
} from './helpers';

// What only JavaScript can do for someone writing (so run with it alone, see playwright.config.ts):
// send with the keyboard from inside the text.

test('Ctrl+Enter in the reply box sends the reply', async ({ page, newUser }) => {
	const bob = await register(page.context(), 'bob');
	const alice = await newUser('alice');
	const id = await startThread(alice.request, bob.name);
	await page.goto(`/messages/thread/${id}`);
	await hydrated(page);

	await page.getByLabel('Reply').fill('Sent from the keyboard.');
	await page.getByLabel('Reply').press('Control+Enter');
	await expect(page).toHaveURL(new RegExp(`/messages/thread/${id}#message-\\d+$`));
	await expect(page.locator('[data-message]').last()).toContainText('Sent from the keyboard.');
	await expect(page.getByLabel('Reply')).toHaveValue('');
	expect(await threadMessageIds(alice.request, id)).toHaveLength(2);

	// Enter alone is a new line, not a send.
	await page.getByLabel('Reply').press('Enter');
	await page.getByLabel('Reply').press('Shift+Enter');
	await expect(page.getByLabel('Reply')).toHaveValue('\n\n');
	expect(await threadMessageIds(alice.request, id)).toHaveLength(2);
});

test('Cmd+Enter (or Ctrl+Enter) in a new message sends it, from any field', async ({
	page,
	newUser
}) => {
	const alice = await register(page.context(), 'alice');
	const bob = await newUser('bob');
	for (const [field, keys] of [
		['Message', 'Meta+Enter'],
		['Subject', 'Control+Enter']
	] as const) {
		const subject = uniqueName('keys');
		await page.goto('/messages/create');
		await hydrated(page);
		await page.getByLabel('To').fill(bob.name);
		await page.getByLabel('Subject').fill(subject);
		await page.getByLabel('Message').fill('Line one\nline two');
		await page.getByLabel(field).press(keys);
		await expect(page).toHaveURL(THREAD_PAGE);
		await expect(page.getByRole('heading', { level: 1 })).toHaveText(subject);
		expect(await threadMessageIds(alice.request, shownThreadId(page))).toHaveLength(1);
	}
});
