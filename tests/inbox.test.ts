import {
	expect,
	inboxLink,
	listing,
	register,
	sendReply,
	startThread,
	test,
	threadRow,
	type User
} from './helpers';

test('the inbox lists threads by latest activity, newest first', async ({ newUser }) => {
	const [alice, bob] = await Promise.all([newUser('alice'), newUser('bob')]);
	const first = await startThread(alice.request, bob.name);
	const second = await startThread(bob.request, alice.name);
	const third = await startThread(alice.request, bob.name);
	const ids = async (user: User) => (await listing(user.request)).rows.map((row) => row.id);

	// Each sender has their own thread in the inbox at once, read; the other has it unread.
	expect((await listing(alice.request)).rows).toEqual([
		{ id: third, unread: false },
		{ id: second, unread: true },
		{ id: first, unread: false }
	]);
	expect((await listing(bob.request)).rows).toEqual([
		{ id: third, unread: true },
		{ id: second, unread: false },
		{ id: first, unread: true }
	]);

	await sendReply(bob.request, first, 'Bumping the oldest');
	const inbox = await listing(alice.request);
	expect(inbox.rows).toEqual([
		{ id: first, unread: true },
		{ id: third, unread: false },
		{ id: second, unread: true }
	]);
	expect(inbox.html.replace(/<[^>]*>/g, '')).toContain(`${bob.name}: Bumping the oldest`);
	expect(await ids(bob)).toEqual([first, third, second]);
});

test('the inbox pages by 20 with an Older link', async ({ page, newUser }) => {
	const alice = await register(page.context(), 'alice');
	const bob = await newUser('bob');
	const ids: string[] = [];
	for (let i = 1; i <= 23; i++) ids.push(await startThread(bob.request, alice.name, `Thread ${i}`));
	const newestFirst = [...ids].reverse();
	const shownIds = () =>
		page
			.locator('main [data-thread]')
			.evaluateAll((els) => els.map((el) => el.getAttribute('data-thread')));

	await page.goto('/messages');
	expect(await shownIds()).toEqual(newestFirst.slice(0, 20));
	await expect(inboxLink(page)).toHaveAttribute('data-unread-count', '23');
	// SPEC §3's "the header's link to /messages" is one link: the one with the count.
	await expect(page.locator('header a[href="/messages"]')).toHaveCount(1);
	await expect(page.getByRole('link', { name: 'Newest' })).toHaveCount(0);

	await page.getByRole('link', { name: 'Older' }).click();
	await expect(page).toHaveURL(/\/messages\?before=\d+$/);
	await expect(page.locator('main [data-thread]')).toHaveCount(3);
	expect(await shownIds()).toEqual(newestFirst.slice(20));
	await expect(page.getByRole('link', { name: 'Older' })).toHaveCount(0);

	await page.getByRole('link', { name: 'Newest' }).click();
	await expect(page).toHaveURL(/\/messages$/);
	await expect(page.locator('main [data-thread]')).toHaveCount(20);
	await expect(threadRow(page, newestFirst[0])).toContainText('Thread 23');
});
