import type { Page } from '@playwright/test';
import { expect, expectSeeOther, hydrated, isJavaScriptProject, test } from './helpers';

const LIGHT_BG = 'rgb(246, 247, 251)';
const DARK_BG = 'rgb(18, 20, 27)';

const background = (page: Page) =>
	page.evaluate(() => getComputedStyle(document.body).backgroundColor);

async function pick(page: Page, scheme: 'System' | 'Light' | 'Dark') {
	if (isJavaScriptProject()) await hydrated(page);
	const theme = page.getByRole('group', { name: 'Theme' });
	await theme.getByRole('button', { name: scheme }).click();
	await expect(theme.getByRole('button', { name: scheme })).toHaveAttribute('aria-pressed', 'true');
}

test('the scheme follows the system until the visitor picks one, which sticks', async ({
	page
}) => {
	await page.emulateMedia({ colorScheme: 'dark' });
	await page.goto('/login');
	expect(await background(page)).toBe(DARK_BG);
	await page.emulateMedia({ colorScheme: 'light' });
	expect(await background(page)).toBe(LIGHT_BG);

	await pick(page, 'Dark');
	await expect(page).toHaveURL(/\/login$/);
	expect(await background(page)).toBe(DARK_BG);
	await page.goto('/signup');
	expect(await background(page)).toBe(DARK_BG);
	await expect(page.locator('html')).toHaveAttribute('data-scheme', 'dark');

	await pick(page, 'Light');
	await page.emulateMedia({ colorScheme: 'dark' });
	expect(await background(page)).toBe(LIGHT_BG);

	await pick(page, 'System');
	expect(await background(page)).toBe(DARK_BG);
	await page.reload();
	await expect(page.locator('html')).toHaveAttribute('data-scheme', 'system');
	expect(await background(page)).toBe(DARK_BG);
});

test('the switch keeps the page and its query, and never leaves the site', async ({
	page,
	request
}) => {
	await page.goto('/login?redirectTo=%2Fmessages%2Fdeleted');
	await pick(page, 'Dark');
	await expect(page).toHaveURL(/\/login\?redirectTo=%2Fmessages%2Fdeleted$/);

	const offSite = await request.post('/scheme', {
		form: { scheme: 'dark' },
		headers: {
			Origin: new URL(page.url()).origin,
			Referer: 'https://evil.example/messages',
			Accept: 'text/html'
		},
		maxRedirects: 0
	});
	expectSeeOther(offSite, '/scheme');
});

test('the choice is kept in a cookie that is not Secure over plain http, and so is its deletion', async ({
	request,
	baseURL
}) => {
	const choose = async (scheme: string) => {
		const response = await request.post('/scheme', {
			form: { scheme },
			headers: { Origin: new URL(baseURL!).origin },
			maxRedirects: 0
		});
		expect(response.status()).toBe(303);
		return response.headers()['set-cookie'] ?? '';
	};
	const set = await choose('dark');
	expect(set).toMatch(/^scheme=dark;/);
	expect(set).not.toMatch(/; Secure/i);
	// A browser ignores a Secure deletion sent over http, which would leave the choice stuck.
	const deleted = await choose('system');
	expect(deleted).toMatch(/^scheme=;.*Max-Age=0/i);
	expect(deleted).not.toMatch(/; Secure/i);
});
