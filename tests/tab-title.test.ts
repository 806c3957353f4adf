import type { Page } from '@playwright/test';
import { expect, inboxLink, register, startThread, test, threadRow } from './helpers';

/** The tab's title, and the header's badge it must agree with. */
async function expectTitle(page: Page, unread: number, title: string) {
	await expect(page).toHaveTitle(
		unread > 0 ? `(${unread}) ${title} · Courier` : `${title} · Courier`
	);
	await expect(inboxLink(page)).toHaveAttribute('data-unread-count', String(unread));
}

test('the tab title starts with the number of unread threads, on every page, and follows the badge', async ({
	page,
	newUser
}) => {
	const alice = await register(page.context(), 'alice');
	const bob = await newUser('bob');
	const first = await startThread(bob.request, alice.name, 'First plans');
	const second = await startThread(bob.request, alice.name, 'Second plans');

	await page.goto('/messages');
	await expectTitle(page, 2, 'Inbox');
	for (const [path, title] of [
		['/messages/deleted', 'Deleted'],
		['/messages/create', 'New message'],
		[`/messages/thread/${first}/delete`, 'Delete thread'],
		['/account/password', 'Change password'],
		['/scheme', 'Appearance'],
		['/messages/no/such/page', '404']
	]) {
		await page.goto(path);
		await expectTitle(page, 2, title);
	}

	// Opening a thread reads it (a page load without JavaScript, none with it): one fewer.
	await page.goto('/messages');
	await threadRow(page, first).getByRole('link').click();
	await expectTitle(page, 1, '\u2068First plans\u2069');
	await page.getByRole('link', { name: 'Inbox' }).click();
	await expectTitle(page, 1, 'Inbox');
	await threadRow(page, second).getByRole('link').click();
	await expectTitle(page, 0, '\u2068Second plans\u2069');

	await page.context().clearCookies();
	await page.goto('/login');
	await expect(page).toHaveTitle('Log in · Courier');
});
