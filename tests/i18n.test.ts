import { PASSWORD, expect, hydrated, isJavaScriptProject, test, uniqueName } from './helpers';
import { strayText } from './catalogue';
import { castOf, closeCast, tour } from './tour';

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

// Every page and state in each language, with SvelteKit's and the libraries' own words: only
// the catalogue's messages and what users typed may show (tests/catalogue.ts says how).
for (const [locale, browserLocale] of [
	['en', 'en-GB'],
	['de', 'de-DE']
] as const) {
	test(`every page and state in ${browserLocale} shows only messages/${locale}.json and user text`, async ({
		browser
	}) => {
		test.setTimeout(180_000);
		const cast = await castOf(browser);
		const context = await browser.newContext({ locale: browserLocale });
		const page = await context.newPage();
		const problems: string[] = [];
		await tour(page, cast, async (stop, reach) => {
			await reach();
			problems.push(...(await strayText(page, locale, cast.userText)).map((p) => `${stop}: ${p}`));
		});
		await Promise.all([context.close(), closeCast(cast)]);
		expect(problems).toEqual([]);
	});
}
