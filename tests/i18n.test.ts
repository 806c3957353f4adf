import { PASSWORD, expect, hydrated, isJavaScriptProject, test, uniqueName } from './helpers';

// The browser's language picks the page's: English (SPEC's labels) by default, German for
// browsers that ask for it, English for languages the app does not have.

test('a German browser gets German pages, forms and errors', async ({ browser }) => {
	const context = await browser.newContext({ locale: 'de-DE' });
	const page = await context.newPage();
	await page.goto('/signup');
	await expect(page.locator('html')).toHaveAttribute('lang', 'de');
	await expect(page.getByRole('heading', { name: 'Registrieren' })).toBeVisible();
	if (isJavaScriptProject()) await hydrated(page);

	await page.getByLabel('Benutzername').fill('x');
	await page.getByLabel('Passwort').fill(PASSWORD);
	await page.getByRole('button', { name: 'Registrieren' }).click();
	await expect(page.getByText('Verwende 3 bis 32 Buchstaben')).toBeVisible();

	await page.getByLabel('Benutzername').fill(uniqueName('hans'));
	await page.getByLabel('Passwort').fill(PASSWORD); // never sent back
	await page.getByRole('button', { name: 'Registrieren' }).click();
	await expect(page.getByRole('heading', { name: 'Posteingang' })).toBeVisible();
	await expect(page.getByText('Dein Posteingang ist leer.')).toBeVisible();

	await page.getByRole('link', { name: 'Neue Nachricht' }).click();
	await expect(page.getByRole('heading', { name: 'Neue Nachricht' })).toBeVisible();
	if (isJavaScriptProject()) await hydrated(page);
	await page.getByRole('button', { name: 'Senden', exact: true }).click();
	await expect(page.getByText('Gib mindestens einen Benutzernamen ein.')).toBeVisible();
	await expect(page.getByText('Gib der Unterhaltung einen Betreff.')).toBeVisible();
	await context.close();
});

test('English is the default, and the fallback for other languages', async ({ browser }) => {
	for (const locale of ['en-GB', 'fr-FR']) {
		const context = await browser.newContext({ locale });
		const page = await context.newPage();
		await page.goto('/login');
		await expect(page.locator('html')).toHaveAttribute('lang', 'en');
		await expect(page.getByRole('heading', { name: 'Log in' })).toBeVisible();
		await expect(page.getByLabel('Username')).toBeVisible();
		await context.close();
	}
});
