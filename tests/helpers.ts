import { expect, type Page } from '@playwright/test';

let made = 0;

/** A username no other test (or earlier run against the same PostgreSQL) has used. */
export function uniqueName(prefix = 'user'): string {
	return `${prefix}_${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}${++made}`;
}

export const PASSWORD = 'correct horse battery';

/** Signs up a fresh user through the form and leaves the page on their inbox. */
export async function signUp(page: Page, username = uniqueName()): Promise<string> {
	await page.goto('/signup');
	await page.getByLabel('Username').fill(username);
	await page.getByLabel('Password').fill(PASSWORD);
	await page.getByRole('button', { name: 'Sign up' }).click();
	await expect(page).toHaveURL(/\/messages$/);
	return username;
}
