import type { Page } from '@playwright/test';
import {
	expect,
	inboxLink,
	isJavaScriptProject,
	listing,
	pageNotice,
	register,
	sendReply,
	startThread,
	test,
	threadRow,
	uniqueName,
	visit
} from './helpers';

// The folders (Unread, Archive, Sent), the actions on one thread and on a listing's selection,
// and their Undo, with and without JavaScript.

const main = (page: Page) => page.locator('main');
const button = (page: Page, name: string) => main(page).getByRole('button', { name, exact: true });
const ids = async (page: Page, path: string) =>
	(await listing(page.context().request, path)).rows.map((row) => row.id);

test('archive from the thread page; a reply brings it back; muted, it stays archived', async ({
	page,
	newUser
}) => {
	const alice = await register(page.context(), 'alice');
	const bob = await newUser('bob');
	const loud = await startThread(bob.request, alice.name, uniqueName('Loud'));
	const quiet = await startThread(bob.request, alice.name, uniqueName('Quiet'));

	await visit(page, `/messages/thread/${loud}`);
	await button(page, 'Archive').click();
	await expect(page).toHaveURL(/\/messages$/);
	await expect(pageNotice(page)).toHaveText('Moved to Archive: 1.');
	await expect(threadRow(page, loud)).toHaveCount(0);
	expect(await ids(page, '/messages/archive')).toEqual([loud]);

	await visit(page, `/messages/thread/${quiet}`);
	await button(page, 'Mute').click();
	await expect(pageNotice(page)).toHaveText('Muted: 1.');
	await expect(button(page, 'Unmute')).toBeVisible();
	await button(page, 'Archive').click();
	await expect(pageNotice(page)).toHaveText('Moved to Archive: 1.');

	await sendReply(bob.request, loud, 'Back you come');
	await sendReply(bob.request, quiet, 'Hush');
	expect(await ids(page, '/messages')).toEqual([loud]);
	expect(await ids(page, '/messages/archive')).toEqual([quiet]);
	// Muted: not counted unread, though it is.
	const archive = await listing(page.context().request, '/messages/archive');
	expect(archive.rows).toEqual([{ id: quiet, unread: true }]);
	expect(archive.unreadCount).toBe(1);

	// Move to inbox, from the thread page, comes back to it.
	await visit(page, `/messages/thread/${quiet}`);
	await button(page, 'Move to inbox').click();
	await expect(page).toHaveURL(new RegExp(`/messages/thread/${quiet}$`));
	expect(await ids(page, '/messages')).toEqual([quiet, loud]);
});

test('Mark unread goes to the inbox, where the thread is unread again; Undo of Mute', async ({
	page,
	newUser
}) => {
	const alice = await register(page.context(), 'alice');
	const bob = await newUser('bob');
	const id = await startThread(bob.request, alice.name);
	await sendReply(bob.request, id, 'Second');
	await visit(page, `/messages/thread/${id}`);
	await expect(inboxLink(page)).toHaveAttribute('data-unread-count', '0');
	await button(page, 'Mark unread').click();
	await expect(page).toHaveURL(/\/messages$/);
	await expect(pageNotice(page)).toHaveText('Marked unread: 1.');
	await expect(threadRow(page, id)).toHaveAttribute('data-unread', 'true');
	await expect(inboxLink(page)).toHaveAttribute('data-unread-count', '1');

	await visit(page, `/messages/thread/${id}`);
	await button(page, 'Mute').click();
	await expect(pageNotice(page)).toHaveText('Muted: 1.');
	await button(page, 'Undo').click();
	await expect(pageNotice(page)).toHaveText('Undone: 1.');
	await expect(button(page, 'Mute')).toBeVisible();
});

test('select threads, archive them, and Undo puts them back', async ({ page, newUser }) => {
	const alice = await register(page.context(), 'alice');
	const bob = await newUser('bob');
	const subjects = [uniqueName('One'), uniqueName('Two'), uniqueName('Three')];
	const threads: string[] = [];
	for (const subject of subjects) threads.push(await startThread(bob.request, alice.name, subject));

	await visit(page, '/messages');
	await main(page).getByRole('checkbox', { name: subjects[0], exact: true }).check();
	await main(page).getByRole('checkbox', { name: subjects[2], exact: true }).check();
	await button(page, 'Archive').click();
	await expect(pageNotice(page)).toHaveText('Moved to Archive: 2.');
	await expect(threadRow(page, threads[1])).toBeVisible();
	await expect(threadRow(page, threads[0])).toHaveCount(0);
	expect(await ids(page, '/messages/archive')).toEqual([threads[2], threads[0]]);

	await button(page, 'Undo').click();
	await expect(pageNotice(page)).toHaveText('Undone: 2.');
	await expect(threadRow(page, threads[0])).toBeVisible();
	expect(await ids(page, '/messages/archive')).toEqual([]);

	// Select all: every thread the page shows; then Delete.
	await main(page).getByRole('checkbox', { name: 'Select all' }).check();
	await button(page, 'Delete').click();
	await expect(pageNotice(page)).toHaveText('Moved to Deleted: 3.');
	expect(await ids(page, '/messages/deleted')).toEqual([...threads].reverse());
});

test('with JavaScript, Select all checks the page and shift-click a range', async ({
	page,
	newUser
}) => {
	test.skip(!isJavaScriptProject(), 'needs JavaScript');
	const alice = await register(page.context(), 'alice');
	const bob = await newUser('bob');
	for (let i = 0; i < 4; i++) await startThread(bob.request, alice.name);
	await visit(page, '/messages');
	const boxes = main(page).locator('input[name="thread"]');
	await main(page).getByRole('checkbox', { name: 'Select all' }).check();
	for (const box of await boxes.all()) await expect(box).toBeChecked();
	await main(page).getByRole('checkbox', { name: 'Select all' }).uncheck();
	await boxes.nth(0).click();
	await boxes.nth(3).click({ modifiers: ['Shift'] });
	for (const box of await boxes.all()) await expect(box).toBeChecked();
	await boxes.nth(1).click();
	await expect(main(page).getByRole('checkbox', { name: 'Select all' })).not.toBeChecked();
	await button(page, 'Mark read').click();
	await expect(pageNotice(page)).toHaveText('Marked read: 3.');
});

test('Mark all read leaves unread what came after the page was shown', async ({
	page,
	newUser
}) => {
	const alice = await register(page.context(), 'alice');
	const bob = await newUser('bob');
	const early = await startThread(bob.request, alice.name);
	const late = await startThread(bob.request, alice.name);
	await visit(page, '/messages');
	await expect(inboxLink(page)).toHaveAttribute('data-unread-count', '2');
	await sendReply(bob.request, early, 'After the page');
	await button(page, 'Mark all read').click();
	await expect(pageNotice(page)).toHaveText('Marked read: 2.');
	const inbox = await listing(page.context().request, '/messages');
	expect(inbox.rows).toEqual([
		{ id: early, unread: true },
		{ id: late, unread: false }
	]);
	expect(inbox.unreadCount).toBe(1);
	expect(await ids(page, '/messages/unread')).toEqual([early]);
});

test('Sent lists what the user wrote, by their own newest message', async ({ page, newUser }) => {
	const alice = await register(page.context(), 'alice');
	const bob = await newUser('bob');
	const mine = await startThread(alice.request, bob.name, uniqueName('Mine'), 'My own words');
	const theirs = await startThread(bob.request, alice.name);
	const newer = await startThread(alice.request, bob.name);
	await sendReply(bob.request, mine, 'Their reply');
	// The inbox goes by anyone's newest message, Sent by the user's own.
	expect(await ids(page, '/messages')).toEqual([mine, newer, theirs]);
	expect(await ids(page, '/messages/sent')).toEqual([newer, mine]);
	await visit(page, '/messages/sent');
	await expect(threadRow(page, mine)).toContainText(/you: My own words/i);
	await expect(threadRow(page, theirs)).toHaveCount(0);
});

test('the header links every folder and marks the current one', async ({ page }) => {
	await register(page.context(), 'alice');
	const folders = {
		Inbox: '/messages',
		Unread: '/messages/unread',
		Archive: '/messages/archive',
		Sent: '/messages/sent',
		Deleted: '/messages/deleted'
	};
	for (const [name, path] of Object.entries(folders)) {
		await page.goto(path);
		await expect(page.locator('main h1')).toHaveText(name);
		const nav = page.locator('header nav');
		await expect(nav.getByRole('link', { name: 'Requests' })).toHaveAttribute(
			'href',
			'/messages/requests'
		);
		const current = nav.locator('[aria-current="page"]');
		await expect(current).toHaveCount(1);
		await expect(current).toHaveAttribute('href', path);
		await expect(current).toContainText(name);
	}
});
