import { expect, test } from '@playwright/test';
import { signUp, uniqueName } from './helpers';

test('sign up, compose, land on the thread', async ({ page, browser }) => {
	const bob = await signUp(await (await browser.newContext()).newPage());
	await signUp(page);
	await page.goto('/messages/create');
	await page.getByLabel('To').fill(bob);
	await page.getByLabel('Subject').fill('Hello ' + uniqueName());
	await page.getByLabel('Message').fill('First message');
	await page.getByRole('button', { name: 'Send', exact: true }).click();
	await expect(page).toHaveURL(/\/messages\/thread\/[a-z2-7]{16}$/);
	await expect(page.locator('[data-message]')).toHaveCount(1);
});
