import {
	expect,
	inboxLink,
	isJavaScriptProject,
	listing,
	register,
	startThread,
	test,
	threadRow,
	uniqueName,
	visit
} from './helpers';

test('opening a thread marks it read for the reader only, on the very page served', async ({
	page,
	newUser
}) => {
	const bob = await register(page.context(), 'bob');
	const [alice, carol] = await Promise.all([newUser('alice'), newUser('carol')]);
	const older = await startThread(alice.request, [bob.name, carol.name]);
	const newer = await startThread(alice.request, [bob.name, carol.name], uniqueName('newer'));

	await page.goto('/messages');
	await expect(page.locator('main [data-thread]')).toHaveCount(2);
	await expect(threadRow(page, older)).toHaveAttribute('data-unread', 'true');
	await expect(threadRow(page, newer)).toHaveAttribute('data-unread', 'true');
	await expect(inboxLink(page)).toHaveAttribute('data-unread-count', '2');

	await threadRow(page, newer).getByRole('link').click();
	await expect(page).toHaveURL(new RegExp(`/messages/thread/${newer}$`));
	await expect(page.getByRole('heading', { level: 1 })).toContainText('newer');
	// The page that shows the thread already counts it as read.
	await expect(inboxLink(page)).toHaveAttribute('data-unread-count', '1');

	await inboxLink(page).click();
	await expect(page).toHaveURL(/\/messages$/);
	await expect(threadRow(page, newer)).toHaveAttribute('data-unread', 'false');
	await expect(threadRow(page, older)).toHaveAttribute('data-unread', 'true');
	await expect(inboxLink(page)).toHaveAttribute('data-unread-count', '1');

	// The HTML of the thread page itself, served to a plain request, has no stale badge.
	const html = await (await bob.request.get(`/messages/thread/${older}`)).text();
	expect(html).toMatch(/\sdata-unread-count="0"/);
	await page.reload();
	await expect(threadRow(page, older)).toHaveAttribute('data-unread', 'false');
	await expect(inboxLink(page)).toHaveAttribute('data-unread-count', '0');
	await expect(inboxLink(page)).not.toContainText('0');

	// Everybody else's read state is theirs: carol has read nothing, alice sent both.
	const carolInbox = await listing(carol.request);
	expect(carolInbox.rows).toEqual([
		{ id: newer, unread: true },
		{ id: older, unread: true }
	]);
	expect(carolInbox.unreadCount).toBe(2);
	expect((await listing(alice.request)).rows.map((row) => row.unread)).toEqual([false, false]);
});

test('pointing at a thread in a listing does not mark it read: only opening it does', async ({
	page,
	newUser
}) => {
	const bob = await register(page.context(), 'bob');
	const alice = await newUser('alice');
	const id = await startThread(alice.request, bob.name);
	await visit(page, '/messages');
	const threadData: string[] = [];
	page.on('request', (request) => {
		if (request.url().includes(`/messages/thread/${id}`)) threadData.push(request.url());
	});

	// With JavaScript, SvelteKit loads a link's data ahead on hover and on mousedown; a thread's
	// load marks it read, so links to threads opt out. Other links still load ahead, which shows
	// the events were seen.
	await threadRow(page, id).getByRole('link').dispatchEvent('mousedown');
	await threadRow(page, id).getByRole('link').hover();
	if (isJavaScriptProject()) {
		const aheadOfClick = page.waitForRequest(/\/messages\/deleted\/__data\.json/);
		await page.getByRole('link', { name: 'Deleted' }).dispatchEvent('mousedown');
		await aheadOfClick;
	}
	await page.waitForLoadState('networkidle');
	expect(threadData).toEqual([]);

	await page.reload();
	await expect(threadRow(page, id)).toHaveAttribute('data-unread', 'true');
	await expect(inboxLink(page)).toHaveAttribute('data-unread-count', '1');
});
