import { expect, register, sendReply, startThread, test, uniqueName, visit } from './helpers';

// Searching from the header of any page: the results page lists the matching messages newest
// first, marks the words, pages with an "Older results" link and links to each message.

test('the header searches; a result leads to its message', async ({ page, newUser }) => {
	const alice = await register(page.context(), 'alice');
	const [bob, carol] = await Promise.all([newUser('bob'), newUser('carol')]);
	const word = uniqueName('w').replaceAll('_', '');
	const subject = uniqueName('Picnic');
	const thread = await startThread(bob.request, alice.name, subject, `Bring the ${word}, please`);
	const reply = await sendReply(alice.request, thread, `The <b>${word}</b> is packed`);
	// Someone else's thread with the word: never found by alice.
	await startThread(carol.request, bob.name, uniqueName('Other'), `My ${word}`);

	await visit(page, '/messages');
	await page.getByLabel('Search', { exact: true }).fill(word);
	await page.getByRole('button', { name: 'Search', exact: true }).click();
	await expect(page).toHaveURL(new RegExp(`/messages/search\\?q=${word}$`));
	await expect(page.getByLabel('Search', { exact: true })).toHaveValue(word);

	const results = page.locator('main [data-result]');
	await expect(results).toHaveCount(2);
	const newest = results.first();
	await expect(newest).toHaveAttribute('data-result', String(reply));
	await expect(newest.locator('mark')).toHaveText(word);
	// Markup in a message is text, in the excerpt too.
	await expect(newest).toContainText(`The <b>${word}</b> is packed`);
	await expect(newest.getByText('You', { exact: true })).toBeVisible();
	await expect(results.nth(1)).toContainText(`From ${bob.name}`);
	await expect(results.nth(1)).toContainText(subject);
	const link = newest.getByRole('link', { name: subject });
	const at = `/messages/thread/${thread}?after=${reply - 1}#message-${reply}`;
	await expect(link).toHaveAttribute('href', at);

	await link.click();
	await expect(page).toHaveURL(new RegExp(`${at.replace('?', '\\?')}$`));
	await expect(page.locator(`#message-${reply}`)).toBeInViewport();
});

test('results page by "Older results"; the thread opens at an early message', async ({
	page,
	newUser
}) => {
	const alice = await register(page.context(), 'alice');
	const bob = await newUser('bob');
	const word = uniqueName('w').replaceAll('_', '');
	const thread = await startThread(bob.request, alice.name, uniqueName('Long'), `${word} 0`);
	// Alice's own replies: she has read them all, so the thread opens at its newest 50.
	const sent = [];
	for (let n = 1; n <= 59; n++) sent.push(await sendReply(alice.request, thread, `${word} ${n}`));

	await page.goto(`/messages/search?q=${word}`);
	const results = page.locator('main [data-result]');
	const older = page.getByRole('link', { name: 'Older results' });
	await expect(results).toHaveCount(20);
	await expect(results.first()).toHaveAttribute('data-result', String(sent[58]));
	await older.click();
	await expect(page).toHaveURL(/before=/);
	await expect(results.first()).toHaveAttribute('data-result', String(sent[38]));
	await expect(results).toHaveCount(20);
	await older.click();
	await expect(results.first()).toHaveAttribute('data-result', String(sent[18]));
	await expect(results).toHaveCount(20);
	await expect(older).toHaveCount(0);
	await expect(page.getByRole('link', { name: 'Newest results' })).toBeVisible();

	// The second message is not on the page the thread opens at (its newest 50): the page that
	// starts with it is shown, at it, with or without JavaScript.
	const early = results.nth(18);
	await expect(early).toHaveAttribute('data-result', String(sent[0]));
	await early.getByRole('link').click();
	await expect(page).toHaveURL(new RegExp(`after=${sent[0] - 1}#message-${sent[0]}$`));
	await expect(page.locator(`#message-${sent[0]}`)).toBeInViewport();
	const shown = page.locator('main [data-message]');
	await expect(shown).toHaveCount(50);
	await expect(shown.first()).toHaveAttribute('id', `message-${sent[0]}`);
	await expect(page.getByRole('link', { name: 'Older', exact: true })).toBeVisible();
});

test('says what it could not do', async ({ page }) => {
	await register(page.context(), 'alice');
	await page.goto('/messages/search');
	await expect(page.getByText('Type words to search your messages for')).toBeVisible();
	await page.goto(`/messages/search?q=${uniqueName('nothing')}`);
	await expect(page.getByText('No messages match your search.')).toBeVisible();
	await page.goto('/messages/search?q=hello+before:someday+in:spam');
	await expect(
		page.getByText('Not understood, so searched as words: before:someday')
	).toBeVisible();
	const response = await page.goto(`/messages/search?q=${'from:x '.repeat(150)}`);
	expect(response?.status()).toBe(200);
	await expect(page.getByRole('alert')).toHaveText(/That search is too long/);
});
