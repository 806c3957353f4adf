import {
	expect,
	expectSeeOther,
	inboxLink,
	listing,
	postForm,
	register,
	sendReply,
	startThread,
	test,
	threadRow,
	uniqueName
} from './helpers';

test('Delete on the thread page moves it to Deleted, for this user only', async ({
	page,
	newUser
}) => {
	const alice = await register(page.context(), 'alice');
	const bob = await newUser('bob');
	const id = await startThread(bob.request, alice.name);

	await page.goto(`/messages/thread/${id}`);
	await page.locator('main').getByRole('button', { name: 'Delete', exact: true }).click();
	await expect(page).toHaveURL(/\/messages$/);
	await expect(threadRow(page, id)).toHaveCount(0);

	await page.locator('header').getByRole('link', { name: 'Deleted' }).click();
	await expect(page).toHaveURL(/\/messages\/deleted$/);
	await expect(threadRow(page, id)).toHaveCount(1);
	await expect(threadRow(page, id).getByRole('button', { name: 'Restore' })).toBeVisible();
	// Which thread a Restore button restores is its description, for screen readers.
	const subject = (await threadRow(page, id).getByRole('link').textContent())!.trim();
	await expect(
		threadRow(page, id).getByRole('button', { name: 'Restore' })
	).toHaveAccessibleDescription(subject);

	// Viewing a deleted thread says so, and leaves it deleted.
	await threadRow(page, id).getByRole('link').click();
	await expect(page.locator('main')).toContainText('This thread is in your Deleted folder.');
	expect((await listing(alice.request)).rows).toEqual([]);
	expect((await listing(alice.request, '/messages/deleted')).rows).toEqual([{ id, unread: false }]);

	// Bob keeps his copy.
	expect((await listing(bob.request)).rows).toEqual([{ id, unread: false }]);
	expect((await listing(bob.request, '/messages/deleted')).rows).toEqual([]);

	// Restore on the thread page stays on the thread.
	await page.locator('main').getByRole('button', { name: 'Restore' }).click();
	await expect(page).toHaveURL(new RegExp(`/messages/thread/${id}$`));
	await expect(page.locator('main')).not.toContainText('This thread is in your Deleted folder.');
	expect((await listing(alice.request)).rows).toEqual([{ id, unread: false }]);
});

test('the confirmation page deletes; Restore brings the thread back as it was', async ({
	page,
	newUser
}) => {
	const alice = await register(page.context(), 'alice');
	const bob = await newUser('bob');
	const subject = uniqueName('Doomed');
	const id = await startThread(bob.request, alice.name, subject);
	const other = await startThread(bob.request, alice.name);

	await page.goto(`/messages/thread/${id}/delete`);
	await expect(page.getByRole('heading', { level: 1 })).toContainText(subject);
	// Asking is not deleting, nor reading.
	expect((await listing(alice.request)).rows).toEqual([
		{ id: other, unread: true },
		{ id, unread: true }
	]);

	await page.getByRole('button', { name: 'Delete thread' }).click();
	await expect(page).toHaveURL(/\/messages$/);
	await expect(page.locator('main [data-thread]')).toHaveCount(1);
	await expect(threadRow(page, other)).toBeVisible();
	// Only inbox threads count as unread.
	await expect(inboxLink(page)).toHaveAttribute('data-unread-count', '1');

	await page.goto('/messages/deleted');
	await expect(page.locator('main [data-thread]')).toHaveCount(1);
	await expect(threadRow(page, id)).toHaveAttribute('data-unread', 'true');
	await threadRow(page, id).getByRole('button', { name: 'Restore' }).click();
	await expect(page).toHaveURL(/\/messages\/deleted$/);
	await expect(page.locator('main [data-thread]')).toHaveCount(0);
	await expect(inboxLink(page)).toHaveAttribute('data-unread-count', '2');

	await page.goto('/messages');
	await expect(page.locator('main [data-thread]')).toHaveCount(2);
	await expect(threadRow(page, id)).toHaveAttribute('data-unread', 'true');
	await expect(inboxLink(page)).toHaveAttribute('data-unread-count', '2');
	expect((await listing(bob.request)).rows).toHaveLength(2);
});

test('a reply by someone else brings a deleted thread back to the inbox, unread', async ({
	newUser
}) => {
	const [alice, bob] = await Promise.all([newUser('alice'), newUser('bob')]);
	const id = await startThread(alice.request, bob.name);
	expectSeeOther(await postForm(alice.request, `/messages/thread/${id}/delete`, {}), '/messages');
	expect((await listing(alice.request)).rows).toEqual([]);
	expect((await listing(alice.request, '/messages/deleted')).rows).toEqual([{ id, unread: false }]);

	await sendReply(bob.request, id, 'Are you ignoring me?');

	const inbox = await listing(alice.request);
	expect(inbox.rows).toEqual([{ id, unread: true }]);
	expect(inbox.unreadCount).toBe(1);
	expect(inbox.html).toContain('Are you ignoring me?');
	expect((await listing(alice.request, '/messages/deleted')).rows).toEqual([]);
});

test('a reply that came while the thread was on screen is not deleted unseen', async ({
	page,
	newUser
}) => {
	const alice = await register(page.context(), 'alice');
	const bob = await newUser('bob');
	const id = await startThread(bob.request, alice.name);
	await page.goto(`/messages/thread/${id}`);
	await sendReply(bob.request, id, 'Wait, one more thing');

	// Delete from the page that did not show the reply: the thread stays, with the reply unread.
	await page.locator('main').getByRole('button', { name: 'Delete', exact: true }).click();
	await expect(page).toHaveURL(/\/messages$/);
	await expect(threadRow(page, id)).toHaveAttribute('data-unread', 'true');
	expect((await listing(alice.request, '/messages/deleted')).rows).toEqual([]);

	// Once the reply has been shown, Delete deletes, from the thread page or its confirmation page.
	await threadRow(page, id).getByRole('link').click();
	await expect(page.locator('[data-message]')).toHaveCount(2);
	await page.locator('main').getByRole('button', { name: 'Delete', exact: true }).click();
	await expect(page).toHaveURL(/\/messages$/);
	await expect(threadRow(page, id)).toHaveCount(0);
	expect((await listing(alice.request, '/messages/deleted')).rows).toEqual([{ id, unread: false }]);

	await postForm(alice.request, `/messages/thread/${id}/restore`, {});
	await page.goto(`/messages/thread/${id}/delete`);
	await sendReply(bob.request, id, 'And another');
	await page.getByRole('button', { name: 'Delete thread' }).click();
	await expect(page).toHaveURL(/\/messages$/);
	await expect(threadRow(page, id)).toHaveAttribute('data-unread', 'true');
});
