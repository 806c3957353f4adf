import type { Page } from '@playwright/test';
import {
	actAs,
	appOrigin,
	expect,
	inboxLink,
	isJavaScriptProject,
	listing,
	pageNotice,
	ready,
	register,
	sendReply,
	startThread,
	test,
	threadRow,
	uniqueName,
	visit
} from './helpers';

test('Delete says what it did and can be undone, which restores the thread as it was', async ({
	page,
	newUser
}) => {
	const alice = await register(page.context(), 'alice');
	const bob = await newUser('bob');
	const subject = uniqueName('Picnic');
	const id = await startThread(bob.request, alice.name, subject);
	const other = await startThread(bob.request, alice.name);

	// Deleted from the thread page: the inbox says so, and offers Undo.
	await visit(page, `/messages/thread/${id}`);
	await page.locator('main').getByRole('button', { name: 'Delete', exact: true }).click();
	await expect(page).toHaveURL(/\/messages$/);
	await expect(pageNotice(page)).toHaveText(`“${subject}” moved to Deleted.`);
	await expect(threadRow(page, id)).toHaveCount(0);

	await ready(page);
	await page.locator('main').getByRole('button', { name: 'Undo' }).click();
	await expect(page).toHaveURL(/\/messages$/);
	await expect(pageNotice(page)).toHaveText(`Restored “${subject}” to your inbox.`);
	await expect(threadRow(page, id)).toHaveAttribute('data-unread', 'false');
	await expect(threadRow(page, other)).toHaveAttribute('data-unread', 'true');
	await expect(inboxLink(page)).toHaveAttribute('data-unread-count', '1');
	expect((await listing(alice.request, '/messages/deleted')).rows).toEqual([]);

	// Said once: a reload, or coming back later, shows the inbox alone.
	await page.reload();
	await expect(threadRow(page, id)).toBeVisible();
	await expect(pageNotice(page)).toHaveCount(0);
});

test('undoing the Delete of an unread thread leaves it unread', async ({ page, newUser }) => {
	const alice = await register(page.context(), 'alice');
	const bob = await newUser('bob');
	const subject = uniqueName('Unseen');
	const id = await startThread(bob.request, alice.name, subject);

	// From the confirmation page, which does not open (nor read) the thread.
	await visit(page, `/messages/thread/${id}/delete`);
	await page.getByRole('button', { name: 'Delete thread' }).click();
	await expect(pageNotice(page)).toHaveText(`“${subject}” moved to Deleted.`);
	await expect(inboxLink(page)).toHaveAttribute('data-unread-count', '0');

	await ready(page);
	await page.locator('main').getByRole('button', { name: 'Undo' }).click();
	await expect(pageNotice(page)).toHaveText(`Restored “${subject}” to your inbox.`);
	await expect(threadRow(page, id)).toHaveAttribute('data-unread', 'true');
	await expect(inboxLink(page)).toHaveAttribute('data-unread-count', '1');
	expect((await listing(alice.request)).rows).toEqual([{ id, unread: true }]);
});

test('a Delete that a new message kept from happening says so, with nothing to undo', async ({
	page,
	newUser
}) => {
	const alice = await register(page.context(), 'alice');
	const bob = await newUser('bob');
	const subject = uniqueName('Busy');
	const id = await startThread(bob.request, alice.name, subject);
	await visit(page, `/messages/thread/${id}`);
	await sendReply(bob.request, id, 'Wait, one more thing');

	await page.locator('main').getByRole('button', { name: 'Delete', exact: true }).click();
	await expect(page).toHaveURL(/\/messages$/);
	await expect(pageNotice(page)).toHaveText(`“${subject}” was not deleted: a new message came in.`);
	await expect(page.locator('main').getByRole('button', { name: 'Undo' })).toHaveCount(0);
	// Still in the inbox. With JavaScript, the open page may have shown the reply live (and so
	// read it) before the click; without, it is unread.
	await expect(threadRow(page, id)).toHaveCount(1);
	if (!isJavaScriptProject()) {
		await expect(threadRow(page, id)).toHaveAttribute('data-unread', 'true');
	}
});

test('Restore says what it did, in the Deleted folder and on the thread page', async ({
	page,
	newUser
}) => {
	const alice = await register(page.context(), 'alice');
	const bob = await newUser('bob');
	const [first, second] = [uniqueName('First'), uniqueName('Second')];
	const ids = [
		await startThread(bob.request, alice.name, first),
		await startThread(bob.request, alice.name, second)
	];
	for (const id of ids) {
		const response = await alice.request.post(`/messages/thread/${id}/delete`, {
			headers: { Origin: appOrigin() },
			maxRedirects: 0
		});
		expect(response.status()).toBe(303);
	}

	// The last Delete's notice is for the next page of the mailbox, whichever it is.
	await page.goto('/messages/deleted');
	await expect(pageNotice(page)).toHaveText(`“${second}” moved to Deleted.`);
	await ready(page);
	await threadRow(page, ids[0]).getByRole('button', { name: 'Restore' }).click();
	await expect(page).toHaveURL(/\/messages\/deleted$/);
	await expect(pageNotice(page)).toHaveText(`Restored “${first}” to your inbox.`);
	await expect(threadRow(page, ids[0])).toHaveCount(0);

	await page.goto(`/messages/thread/${ids[1]}`);
	await expect(pageNotice(page)).toHaveCount(0);
	await ready(page);
	await page.locator('main').getByRole('button', { name: 'Restore' }).click();
	await expect(page).toHaveURL(new RegExp(`/messages/thread/${ids[1]}$`));
	await expect(pageNotice(page)).toHaveText(`Restored “${second}” to your inbox.`);
	await expect(page.locator('main')).not.toContainText('This thread is in your Deleted folder.');
	expect((await listing(alice.request)).rows.map((row) => row.id).toSorted()).toEqual(
		ids.toSorted()
	);
});

test('a notice names only a thread the user is in, and only while it holds', async ({
	page,
	newUser
}) => {
	const [alice, bob, carol] = [
		await newUser('alice'),
		await newUser('bob'),
		await newUser('carol')
	];
	const secret = uniqueName('Secret');
	const theirs = await startThread(bob.request, carol.name, secret);
	const own = await startThread(bob.request, alice.name, uniqueName('Own'));
	await actAs(page, alice);
	const { hostname } = new URL(appOrigin());
	// What a forged or stale cookie could say (the app sets it for /messages).
	for (const value of [
		`deleted:${theirs}`,
		`restored:${theirs}`,
		`deleted:${own}`, // not deleted
		'deleted:not-an-id',
		'anything',
		`deleted:${own}:extra`
	]) {
		await page
			.context()
			.addCookies([{ name: 'notice', value, domain: hostname, path: '/messages' }]);
		const response = await page.goto('/messages');
		expect(response?.status(), value).toBe(200);
		await expect(threadRow(page, own)).toBeVisible();
		await expect(pageNotice(page), value).toHaveCount(0);
		await expect(page.locator('main')).not.toContainText(secret);
		// Read once, whatever it said.
		const left = (await page.context().cookies()).filter((cookie) => cookie.name === 'notice');
		expect(left, value).toEqual([]);
	}
});

test('notices and Undo in German', async ({ browser, newUser }) => {
	const context = await browser.newContext({ locale: 'de-DE' });
	const page = await context.newPage();
	const alice = await register(context, 'alice');
	const bob = await newUser('bob');
	const subject = uniqueName('Ausflug');
	const id = await startThread(bob.request, alice.name, subject);

	await visit(page, `/messages/thread/${id}/delete`);
	await page.getByRole('button', { name: 'Unterhaltung löschen' }).click();
	await expect(pageNotice(page)).toHaveText(`„${subject}“ in „Gelöscht“ verschoben.`);
	await ready(page);
	await page.locator('main').getByRole('button', { name: 'Rückgängig' }).click();
	await expect(pageNotice(page)).toHaveText(
		`„${subject}“ wiederhergestellt: wieder im Posteingang.`
	);
	await expect(threadRow(page, id)).toHaveAttribute('data-unread', 'true');
	await context.close();
});
