import type { Page } from '@playwright/test';
import {
	actAs,
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
// send with the keyboard from inside the text, and keep a draft in the browser until it is sent.

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

/** The drafts this browser keeps (localStorage keys). */
const storedDrafts = (page: Page) =>
	page.evaluate(() => Object.keys(localStorage).filter((key) => key.startsWith('courier-draft:')));

test('a reply being written survives a reload and a wrong click, until it is sent', async ({
	page,
	newUser
}) => {
	const bob = await register(page.context(), 'bob');
	const alice = await newUser('alice');
	const [id, other] = await Promise.all([
		startThread(alice.request, bob.name, 'Drafts'),
		startThread(alice.request, bob.name, 'Another thread')
	]);
	const reply = page.getByLabel('Reply');
	await page.goto(`/messages/thread/${id}`);
	await hydrated(page);
	await reply.fill('Half a thought,\nand the rest');

	await page.reload();
	await hydrated(page);
	await expect(reply).toHaveValue('Half a thought,\nand the rest');

	// A wrong click: off to another thread (whose reply box is its own) and back.
	await page.getByRole('link', { name: 'Inbox' }).first().click();
	await page.locator(`main a[href="/messages/thread/${other}"]`).click();
	await expect(page.getByRole('heading', { level: 1 })).toHaveText('Another thread');
	await expect(reply).toHaveValue('');
	await page.getByRole('link', { name: 'Inbox' }).first().click();
	await page.locator(`main a[href="/messages/thread/${id}"]`).click();
	await expect(page.getByRole('heading', { level: 1 })).toHaveText('Drafts');
	await expect(reply).toHaveValue('Half a thought,\nand the rest');

	await reply.press('Control+Enter');
	await expect(page.locator('[data-message]').last()).toContainText('and the rest');
	await page.reload();
	await hydrated(page);
	await expect(reply).toHaveValue('');
	expect(await storedDrafts(page)).toEqual([]);
});

test('a new message being written survives a reload and a wrong click, until it is sent', async ({
	page,
	newUser
}) => {
	await register(page.context(), 'alice');
	const bob = await newUser('bob');
	const subject = uniqueName('Draft');
	await page.goto('/messages/create');
	await hydrated(page);
	await page.getByLabel('To').fill(bob.name);
	await page.getByLabel('Subject').fill(subject);
	await page.getByLabel('Message').fill('Not finished');

	await page.reload();
	await hydrated(page);
	await expect(page.getByLabel('To')).toHaveValue(bob.name);
	await expect(page.getByLabel('Subject')).toHaveValue(subject);
	await expect(page.getByLabel('Message')).toHaveValue('Not finished');

	await page.getByRole('link', { name: 'Inbox' }).first().click();
	await expect(page).toHaveURL(/\/messages$/);
	await page.getByRole('link', { name: 'New message' }).click();
	await expect(page.getByLabel('Message')).toHaveValue('Not finished');

	await page.getByLabel('Message').fill('Finished.');
	await page.getByRole('button', { name: 'Send', exact: true }).click();
	await expect(page).toHaveURL(THREAD_PAGE);
	await page.goto('/messages/create');
	await hydrated(page);
	for (const field of ['To', 'Subject', 'Message']) {
		await expect(page.getByLabel(field)).toHaveValue('');
	}
	expect(await storedDrafts(page)).toEqual([]);
});

test('a draft is its writer’s alone, and logging out forgets it', async ({ page, newUser }) => {
	const [alice, bob] = await Promise.all([newUser('alice'), newUser('bob')]);
	const id = await startThread(alice.request, bob.name, 'Shared browser');
	await actAs(page, alice);
	await page.goto(`/messages/thread/${id}`);
	await hydrated(page);
	await page.getByLabel('Reply').fill('For Bob’s eyes only once sent');
	await expect.poll(() => storedDrafts(page)).toHaveLength(1);

	// Bob, in the same browser, in the same thread, sees none of it.
	await actAs(page, bob);
	await page.goto(`/messages/thread/${id}`);
	await hydrated(page);
	await expect(page.getByLabel('Reply')).toHaveValue('');

	await actAs(page, alice);
	await page.goto(`/messages/thread/${id}`);
	await hydrated(page);
	await expect(page.getByLabel('Reply')).toHaveValue('For Bob’s eyes only once sent');
	await page.locator('header').getByRole('button', { name: 'Log out' }).click();
	await expect(page).toHaveURL(/\/login$/);
	expect(await storedDrafts(page)).toEqual([]);
});
