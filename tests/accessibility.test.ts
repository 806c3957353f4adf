import AxeBuilder from '@axe-core/playwright';
import type { Page } from '@playwright/test';
import { MISSING_THREAD_ID, expect, register, sendReply, startThread, test } from './helpers';

// Every page, in both colour schemes, against WCAG 2.2 AA as axe-core checks it.
const WCAG_AA = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];

async function expectNoViolations(page: Page, path: string) {
	for (const colorScheme of ['light', 'dark'] as const) {
		await page.emulateMedia({ colorScheme });
		const response = await page.goto(path);
		expect(response?.status(), path).toBeLessThan(500);
		expect(await violationsOf(page), `${path} in the ${colorScheme} scheme`).toEqual([]);
	}
}

/** The page as it is now, against WCAG 2.2 AA. */
async function violationsOf(page: Page) {
	const { violations } = await new AxeBuilder({ page }).withTags(WCAG_AA).analyze();
	return violations.map((v) => ({
		rule: v.id,
		impact: v.impact,
		nodes: v.nodes.map((node) => node.target.join(' '))
	}));
}

test('signed-out pages have no WCAG 2.2 AA violations', async ({ page }) => {
	test.setTimeout(90_000);
	for (const path of ['/login', '/signup', '/scheme', '/no-such-page']) {
		await expectNoViolations(page, path);
	}
});

test('signed-in pages have no WCAG 2.2 AA violations', async ({ page, newUser }) => {
	test.setTimeout(180_000); // axe takes a second or two a page, and there are many
	const alice = await register(page.context(), 'alice');
	const bob = await newUser('bob');
	await expectNoViolations(page, '/messages');
	await expectNoViolations(page, '/messages/deleted');

	const unread = await startThread(bob.request, alice.name, 'Unread for Alice');
	const read = await startThread(alice.request, bob.name, 'Sent by Alice');
	const gone = await startThread(bob.request, alice.name, 'Deleted by Alice');
	await page.goto(`/messages/thread/${gone}/delete`);
	await page.getByRole('button', { name: 'Delete thread' }).click();
	await expect(page).toHaveURL(/\/messages$/);

	for (const path of [
		'/messages',
		'/messages/deleted',
		'/messages/create',
		`/messages/create/${bob.name}`,
		`/messages/thread/${read}`,
		`/messages/thread/${unread}`,
		`/messages/thread/${read}/delete`,
		`/messages/thread/${MISSING_THREAD_ID}`,
		'/account',
		'/account/password',
		'/logout'
	]) {
		await expectNoViolations(page, path);
	}
});

test('a thread opened at its new messages, and the notice after Delete, have no violations', async ({
	page,
	newUser
}) => {
	test.setTimeout(60_000);
	const alice = await register(page.context(), 'alice');
	const bob = await newUser('bob');
	// Each shown once (opening marks the thread read; a notice is said once): a thread per scheme.
	for (const colorScheme of ['light', 'dark'] as const) {
		await page.emulateMedia({ colorScheme });
		const id = await startThread(alice.request, bob.name, 'Mine, then theirs');
		await sendReply(bob.request, id, 'New to Alice');
		await page.goto(`/messages/thread/${id}`);
		await expect(page.getByRole('heading', { name: 'New messages' })).toBeVisible();
		expect(await violationsOf(page), `the thread, ${colorScheme}`).toEqual([]);
		await page.locator('main').getByRole('button', { name: 'Delete', exact: true }).click();
		await expect(page.getByRole('button', { name: 'Undo' })).toBeVisible();
		expect(await violationsOf(page), `the notice, ${colorScheme}`).toEqual([]);
	}
});

test('pages showing form errors have no WCAG 2.2 AA violations', async ({ page }) => {
	await register(page.context(), 'alice');
	await page.goto('/messages/create');
	await page.getByRole('button', { name: 'Send', exact: true }).click();
	await expect(page.getByText('Enter at least one username.')).toBeVisible();
	for (const colorScheme of ['light', 'dark'] as const) {
		await page.emulateMedia({ colorScheme });
		const { violations } = await new AxeBuilder({ page }).withTags(WCAG_AA).analyze();
		expect(
			violations.map((v) => v.id),
			colorScheme
		).toEqual([]);
	}
});
