import { expect, test } from './helpers';
import { castOf, closeCast, tour } from './tour';

// The app's own pages and scripts keep within its Content-Security-Policy: on every page and in
// every state, signed out and in, with JavaScript and without, the browser reports no violation,
// neither as a `securitypolicyviolation` event nor in its console.

test('no page breaks the Content-Security-Policy, in any state', async ({ browser }) => {
	test.setTimeout(180_000);
	const cast = await castOf(browser);
	const context = await browser.newContext();
	const page = await context.newPage();
	const violations: string[] = [];
	let at = '';
	await page.exposeFunction('reportViolation', (text: string) => violations.push(`${at}: ${text}`));
	await page.addInitScript(() =>
		document.addEventListener('securitypolicyviolation', (event) =>
			(window as unknown as { reportViolation(text: string): void }).reportViolation(
				`${event.violatedDirective} blocked ${event.blockedURI} in ${event.sourceFile}:${event.lineNumber}`
			)
		)
	);
	page.on('console', (message) => {
		if (/Content.Security.Policy/i.test(message.text()))
			violations.push(`${at}: ${message.text()}`);
	});
	await tour(page, cast, async (stop, reach) => {
		at = stop;
		await reach();
	});
	// A report made as the last page loaded reaches the test a moment later.
	await page.waitForLoadState('networkidle');
	await Promise.all([context.close(), closeCast(cast)]);
	expect(violations).toEqual([]);
});
