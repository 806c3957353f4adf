import type { Locator, Page } from '@playwright/test';
import {
	expect,
	hydrated,
	isJavaScriptProject,
	PASSWORD,
	test,
	uniqueName,
	visit
} from './helpers';

/** Presses Tab until `target` has focus: proof that the keyboard reaches it, in page order. */
async function tabTo(page: Page, target: Locator) {
	for (let presses = 0; presses < 40; presses++) {
		if (await target.evaluate((element) => element === document.activeElement)) return;
		await page.keyboard.press('Tab');
	}
	throw new Error(`Tab never reached ${target}`);
}

async function typeInto(page: Page, field: Locator, text: string) {
	await tabTo(page, field);
	await page.keyboard.type(text);
}

test('sign in, compose, reply and delete with the keyboard alone', async ({ page, newUser }) => {
	test.setTimeout(60_000);
	const bob = await newUser('bob');
	const alice = await newUser('alice');
	const ready = async () => {
		if (isJavaScriptProject()) await hydrated(page);
	};

	await page.goto('/login');
	await ready();
	await typeInto(page, page.getByLabel('Username'), alice.name);
	await typeInto(page, page.getByLabel('Password'), PASSWORD);
	await page.keyboard.press('Enter');
	await expect(page).toHaveURL(/\/messages$/);

	await ready();
	await tabTo(page, page.getByRole('link', { name: 'New message' }));
	await page.keyboard.press('Enter');
	await expect(page).toHaveURL(/\/messages\/create$/);
	await ready();
	const subject = uniqueName('keyboard');
	await typeInto(page, page.getByLabel('To'), bob.name);
	await typeInto(page, page.getByLabel('Subject'), subject);
	await typeInto(page, page.getByLabel('Message'), 'Typed, not clicked.');
	await tabTo(page, page.getByRole('button', { name: 'Send', exact: true }));
	await page.keyboard.press('Enter');
	await expect(page.getByRole('heading', { name: subject })).toBeVisible();

	await ready();
	await typeInto(page, page.getByLabel('Reply'), 'And a reply.');
	await tabTo(page, page.getByRole('button', { name: 'Send reply' }));
	await page.keyboard.press('Enter');
	const reply = page.locator('[data-message]').last();
	await expect(reply).toContainText('And a reply.');
	if (isJavaScriptProject()) {
		// The enhanced form keeps the keyboard user where the new message is.
		await expect(reply).toBeFocused();
	}

	await ready();
	await tabTo(page, page.getByRole('button', { name: 'Delete', exact: true }));
	// The thread page's Delete posts straight to the delete route, as SPEC §3 says.
	await page.keyboard.press('Enter');
	await expect(page).toHaveURL(/\/messages$/);
	await expect(page.locator('main [data-thread]')).toHaveCount(0);
	await expect(page.locator('main').getByRole('status')).toContainText(subject);

	// And undone, from the notice that says so.
	await ready();
	await tabTo(page, page.getByRole('button', { name: 'Undo' }));
	await page.keyboard.press('Enter');
	await expect(page.locator('main [data-thread]')).toHaveCount(1);
	await expect(page.locator('main [data-thread]')).toContainText(subject);
});

test('the first Tab stop on a page skips the header to its content', async ({ page, newUser }) => {
	const alice = await newUser('alice');
	await page.context().addCookies(await alice.context.cookies());
	await visit(page, '/messages');

	await page.keyboard.press('Tab');
	const skip = page.getByRole('link', { name: 'Skip to content' });
	await expect(skip).toBeFocused();
	await expect(skip).toBeInViewport();
	await page.keyboard.press('Enter');
	await expect(page.locator('main')).toBeFocused();
	// The next stop is in the page itself, not the header.
	await page.keyboard.press('Tab');
	expect(await page.evaluate(() => document.activeElement?.closest('main') !== null)).toBe(true);
});
