import type { Locator, Page } from '@playwright/test';
import {
	actAs,
	expect,
	listing,
	sendReply,
	startThread,
	test,
	threadRow,
	type User,
	visit
} from './helpers';

/** A thread from `a` to `b` of `read` messages both have read, then `unread` more from `a`. */
async function thread(a: User, b: User, read: number, unread: number) {
	const id = await startThread(a.request, b.name, undefined, 'Message 1');
	const ids: number[] = [];
	// Alternately b and a, b last, so b has read them all.
	for (let i = read - 1; i > 0; i--) {
		ids.push(await sendReply((i % 2 ? b : a).request, id, `Message ${read - i + 1}`));
	}
	for (let i = 1; i <= unread; i++) {
		ids.push(await sendReply(a.request, id, `Message ${read + i}`));
	}
	return { id, ids };
}

/** Opens the thread as a reader does: from its row in the inbox. */
async function openFromInbox(page: Page, id: string) {
	await visit(page, '/messages');
	await threadRow(page, id).getByRole('link').click();
	await expect(page).toHaveURL(new RegExp(`/messages/thread/${id}$`));
}

const newMessages = (page: Page) => page.getByRole('heading', { name: 'New messages' });

/** The first message after an element in the page: the one a divider stands before. */
function messageAfter(divider: Locator) {
	return divider.evaluate((element) => {
		const after = [...document.querySelectorAll('[data-message]')].find(
			(message) => element.compareDocumentPosition(message) & Node.DOCUMENT_POSITION_FOLLOWING
		);
		return Number(after?.getAttribute('data-message'));
	});
}

test('a long thread opens at the first unread message, after a “New messages” divider', async ({
	page,
	newUser
}) => {
	test.setTimeout(60_000);
	const [alice, bob] = [await newUser('alice'), await newUser('bob')];
	const { id, ids } = await thread(alice, bob, 50, 10);
	const firstUnread = page.locator(`[data-message="${ids.at(-10)}"]`);

	await actAs(page, bob);
	await openFromInbox(page, id);
	await expect(page.locator('[data-message]')).toHaveCount(50);
	await expect(firstUnread).toContainText('Message 51');
	await expect(firstUnread).toBeInViewport();
	// The divider, announced as a heading, comes just before it and nowhere else.
	await expect(newMessages(page)).toHaveCount(1);
	await expect(newMessages(page)).toBeInViewport();
	await expect(newMessages(page)).toBeFocused();
	expect(await messageAfter(newMessages(page))).toBe(ids.at(-10));

	// Read now: the next visit opens at the newest message, with no divider.
	await openFromInbox(page, id);
	await expect(newMessages(page)).toHaveCount(0);
	await expect(page.locator(`[data-message="${ids.at(-1)}"]`)).toBeInViewport();
	await expect(page.locator('[data-message]').first()).not.toBeInViewport();
});

test('a thread whose messages are all read opens at the newest, beside the reply box', async ({
	page,
	newUser
}) => {
	test.setTimeout(60_000);
	const [alice, bob] = [await newUser('alice'), await newUser('bob')];
	const { id, ids } = await thread(alice, bob, 60, 0);

	await actAs(page, bob);
	await openFromInbox(page, id);
	await expect(newMessages(page)).toHaveCount(0);
	await expect(page.locator(`[data-message="${ids.at(-1)}"]`)).toBeInViewport();
	await expect(page.locator(`[data-message="${ids.at(-2)}"]`)).toBeInViewport();

	// The reply box is one link away: the Reply link at the top of the thread.
	await page.evaluate(() => window.scrollTo(0, 0));
	await page.getByRole('link', { name: 'Write a reply', exact: true }).click();
	await expect(page.getByLabel('Reply')).toBeFocused();
	await expect(page.getByLabel('Reply')).toBeInViewport();
	await page.keyboard.type('Typed straight away.');
	await page.getByRole('button', { name: 'Send reply' }).click();
	await expect(page.locator('[data-message]').last()).toContainText('Typed straight away.');
	await expect(page.locator('[data-message]').last()).toBeInViewport();
});

test('more than a page unread: the page shown starts at the first unread, with the way on below', async ({
	page,
	newUser
}) => {
	test.setTimeout(90_000);
	const [alice, bob] = [await newUser('alice'), await newUser('bob')];
	const { id, ids } = await thread(alice, bob, 4, 60);
	const shown = () =>
		page.locator('[data-message] p').evaluateAll((els) => els.map((el) => el.textContent));
	const numbered = (from: number, to: number) =>
		Array.from({ length: to - from + 1 }, (_, i) => `Message ${from + i}`);

	// Opened from outside the app this time (a full page load, with or without JavaScript).
	await actAs(page, bob);
	await page.goto(`/messages/thread/${id}`);
	expect(await shown()).toEqual(numbered(5, 54));
	await expect(newMessages(page)).toBeInViewport();
	expect(await messageAfter(newMessages(page))).toBe(ids[3]);
	await expect(page.locator(`[data-message="${ids[3]}"]`)).toBeInViewport();
	// Read up to what the page showed: the thread is still unread.
	expect((await listing(bob.request)).rows).toEqual([{ id, unread: true }]);

	// The rest is one link on, below the messages, and opens at its first message.
	await page.getByRole('link', { name: 'Newer messages' }).click();
	await expect(page).toHaveURL(new RegExp(`/messages/thread/${id}\\?after=${ids.at(-11)}$`));
	expect(await shown()).toEqual(numbered(55, 64));
	await expect(newMessages(page)).toBeInViewport();
	expect(await messageAfter(newMessages(page))).toBe(ids.at(-10));
	await expect(page.getByRole('link', { name: 'Newer messages' })).toHaveCount(0);
	expect((await listing(bob.request)).rows).toEqual([{ id, unread: false }]);

	// The read ones before are a link back, as on any page.
	await page.getByRole('link', { name: 'Older' }).click();
	await expect(page).toHaveURL(new RegExp(`\\?before=${ids.at(-10)}$`));
	expect(await shown()).toEqual(numbered(5, 54));
	await expect(newMessages(page)).toHaveCount(0);
	await expect(page.locator(`[data-message="${ids.at(-11)}"]`)).toBeInViewport();
	await page.getByRole('link', { name: 'Older' }).click();
	await expect(page).toHaveURL(new RegExp(`\\?before=${ids[3]}$`));
	expect(await shown()).toEqual(numbered(1, 4));
});
