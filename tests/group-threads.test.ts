import type { Page } from '@playwright/test';
import {
	expect,
	expectFieldError,
	hydrated,
	isJavaScriptProject,
	listing,
	register,
	sendReply,
	startThread,
	test,
	threadRow,
	uniqueName,
	visit
} from './helpers';

// Group threads (issue 14): add people from now or with the history, leave (with Undo), rename,
// and the timeline events that say so, between the messages, in order.

async function addPeople(page: Page, names: string, shareHistory = false) {
	const form = page.getByRole('form', { name: 'Add people' });
	await form.getByLabel('Add', { exact: true }).fill(names);
	if (shareHistory) await form.getByLabel('Share earlier messages').check();
	await form.getByRole('button', { name: 'Add', exact: true }).click();
}

/** The thread's timeline as shown: each message by its text, each event by its kind. */
function timeline(page: Page) {
	return page
		.locator('main')
		.locator('[data-message], [data-event]')
		.evaluateAll((nodes) =>
			nodes.map((node) =>
				node.hasAttribute('data-event')
					? `event:${node.getAttribute('data-event')}`
					: (node.querySelector('p')?.textContent ?? '').trim()
			)
		);
}

test('carol added from now sees the event and what follows, not what came before', async ({
	page,
	newUser
}) => {
	const alice = await register(page.context(), 'alice');
	const bob = await newUser('bob');
	const carol = await newUser('carol');
	const id = await startThread(alice.request, bob.name, uniqueName('Plans'), 'Hello bob.');
	await sendReply(bob.request, id, 'Only for alice.');

	await visit(page, `/messages/thread/${id}`);
	await addPeople(page, carol.name);
	await expect(page).toHaveURL(new RegExp(`/messages/thread/${id}$`));
	await expect(page.locator('[data-event="added"]')).toHaveText(
		new RegExp(`You added ${carol.name}`)
	);
	await expect(page.locator('main header p').first()).toContainText(carol.name);

	const carolPage = await carol.context.newPage();
	await visit(carolPage, `/messages/thread/${id}`);
	await expect(carolPage.getByText('Earlier messages are not shared with you.')).toBeVisible();
	await expect(carolPage.locator('[data-event="added"]')).toContainText(`${alice.name} added you`);
	expect(await timeline(carolPage)).toEqual(['event:added']);
	// Nor by asking for the page before it.
	const event = await carolPage.locator('[data-event]').getAttribute('id');
	await carolPage.goto(`/messages/thread/${id}?before=${event!.replace('message-', '')}`);
	await expect(carolPage.locator('[data-message]')).toHaveCount(0);
	await expect(carolPage.getByText('Only for alice.')).toHaveCount(0);
	expect((await listing(carol.request)).rows.map((row) => row.id)).toContain(id);
});

test('carol added with the history sees it all', async ({ page, newUser }) => {
	const alice = await register(page.context(), 'alice');
	const bob = await newUser('bob');
	const carol = await newUser('carol');
	const id = await startThread(alice.request, bob.name, uniqueName('Plans'), 'Hello bob.');
	await sendReply(bob.request, id, 'Hello alice.');

	await visit(page, `/messages/thread/${id}`);
	await addPeople(page, carol.name, true);
	await expect(page.locator('[data-event="added"]')).toBeVisible();

	const carolPage = await carol.context.newPage();
	await visit(carolPage, `/messages/thread/${id}`);
	expect(await timeline(carolPage)).toEqual(['Hello bob.', 'Hello alice.', 'event:added']);
	await expect(carolPage.getByText('Earlier messages are not shared with you.')).toHaveCount(0);
});

test('adding someone already in is refused next to the field, and adds no one', async ({
	page,
	newUser
}) => {
	const alice = await register(page.context(), 'alice');
	const bob = await newUser('bob');
	const carol = await newUser('carol');
	const id = await startThread(alice.request, bob.name);
	await visit(page, `/messages/thread/${id}`);
	await addPeople(page, `${carol.name}, ${bob.name}`);
	const field = page.getByRole('form', { name: 'Add people' }).getByLabel('Add', { exact: true });
	// The name as the sentence quotes it: isolated (bidi), in quotes.
	await expectFieldError(field, new RegExp(`Already in the thread: “\u2068${bob.name}\u2069”`));
	await expect(field).toHaveValue(`${carol.name}, ${bob.name}`);
	expect((await listing(carol.request)).rows).toEqual([]);
});

test('leave: gone from the inbox, a reply does not bring it back, the others see it; Undo', async ({
	page,
	newUser
}) => {
	const bob = await register(page.context(), 'bob');
	const alice = await newUser('alice');
	const subject = uniqueName('Party');
	const id = await startThread(alice.request, bob.name, subject);

	await visit(page, `/messages/thread/${id}`);
	await page.getByRole('button', { name: 'Leave thread' }).click();
	await expect(page).toHaveURL(/\/messages$/);
	await expect(page.locator('main').getByRole('status')).toHaveText(`You left “${subject}”.`);
	await expect(threadRow(page, id)).toHaveCount(0);

	await sendReply(alice.request, id, 'Come back!');
	expect((await listing(bob.request)).rows).toEqual([]);
	const alicePage = await alice.context.newPage();
	await visit(alicePage, `/messages/thread/${id}`);
	expect(await timeline(alicePage)).toEqual(['Hello there.', 'event:left', 'Come back!']);
	await expect(alicePage.locator('[data-event="left"]')).toContainText(`${bob.name} left`);
	await expect(alicePage.locator('main header p').first()).not.toContainText(bob.name);

	// The leaver reads what they had, and cannot write.
	await visit(page, `/messages/thread/${id}`);
	await expect(page.getByText('You left this thread')).toBeVisible();
	await expect(page.getByLabel('Reply')).toHaveCount(0);
	await expect(page.getByText('Come back!')).toHaveCount(0);
	const refused = await bob.request.post(`/messages/thread/${id}`, {
		form: { content: 'Let me in' },
		headers: { Origin: new URL(page.url()).origin },
		maxRedirects: 0
	});
	expect(refused.status()).toBe(404);

	// Undo, from the notice that follows the leave.
	const again = await startThread(alice.request, bob.name, uniqueName('Again'));
	await visit(page, `/messages/thread/${again}`);
	await page.getByRole('button', { name: 'Leave thread' }).click();
	await expect(page).toHaveURL(/\/messages$/);
	if (isJavaScriptProject()) await hydrated(page);
	await page.locator('main').getByRole('button', { name: 'Undo' }).click();
	await expect(page).toHaveURL(new RegExp(`/messages/thread/${again}$`));
	expect(await timeline(page)).toEqual(['Hello there.', 'event:left', 'event:added']);
	await expect(page.getByLabel('Reply')).toBeVisible();
	expect((await listing(bob.request)).rows.map((row) => row.id)).toEqual([again]);
});

test('rename: the new subject, and the events in order between the messages', async ({
	page,
	newUser
}) => {
	const alice = await register(page.context(), 'alice');
	const bob = await newUser('bob');
	const carol = await newUser('carol');
	const id = await startThread(alice.request, bob.name, uniqueName('Old'), 'One.');

	await visit(page, `/messages/thread/${id}`);
	await addPeople(page, carol.name);
	await expect(page.locator('[data-event="added"]')).toBeVisible();
	await sendReply(bob.request, id, 'Two.');
	await visit(page, `/messages/thread/${id}`);
	const field = page.getByLabel('New subject');
	await field.fill('Dinner on Friday');
	await page.getByRole('button', { name: 'Rename' }).click();
	await expect(page.locator('main h1')).toHaveText('Dinner on Friday');
	await expect(page.locator('[data-event="renamed"]')).toContainText(
		'You renamed the thread to “Dinner on Friday”'
	);
	await sendReply(carol.request, id, 'Three.');
	const carolPage = await carol.context.newPage();
	await visit(carolPage, `/messages/thread/${id}`);
	await carolPage.getByRole('button', { name: 'Leave thread' }).click();
	await expect(carolPage).toHaveURL(/\/messages$/);

	await visit(page, `/messages/thread/${id}`);
	expect(await timeline(page)).toEqual([
		'One.',
		'event:added',
		'Two.',
		'event:renamed',
		'Three.',
		'event:left'
	]);
	// The names follow, and the listing's subject.
	await expect(page.locator('main header p').first()).not.toContainText(carol.name);
	await page.goto('/messages');
	await expect(threadRow(page, id)).toContainText('Dinner on Friday');
	expect((await listing(carol.request)).rows).toEqual([]);

	// A subject breaks the rules of compose: said next to the field, nothing renamed.
	await visit(page, `/messages/thread/${id}`);
	await page.getByLabel('New subject').fill(' ');
	await page.getByRole('button', { name: 'Rename' }).click();
	await expectFieldError(page.getByLabel('New subject'), /subject/i);
	await visit(page, `/messages/thread/${id}`);
	await expect(page.locator('main h1')).toHaveText('Dinner on Friday');
});
