import type { Route } from '@playwright/test';
import { expect, hydrated, register, startThread, test } from './helpers';

// What the browser does when a form's request fails: the server's side of a database outage
// (the 503, and without JavaScript a 503 page holding the typed text) is the fault run's,
// scripts/faults. An enhanced form stays on screen with the text and says why, then sends it
// once the server answers again.
const UNAVAILABLE =
	'Courier is temporarily unavailable, so this was not sent. Nothing was lost: try again in a few seconds.';

const failures: [string, (route: Route) => Promise<void>, string][] = [
	[
		'a 503 from a database outage',
		(route) =>
			route.fulfill({
				status: 503,
				headers: { 'retry-after': '5' },
				contentType: 'application/json',
				body: JSON.stringify({ type: 'error', error: { message: UNAVAILABLE, unavailable: true } })
			}),
		UNAVAILABLE
	],
	['no answer at all', (route) => route.abort('connectionrefused'), 'Courier could not be reached']
];

for (const [failure, answer, shown] of failures) {
	test(`an enhanced reply form keeps the text on ${failure}`, async ({ page, newUser }) => {
		const bob = await register(page.context(), 'bob');
		const alice = await newUser('alice');
		const id = await startThread(alice.request, bob.name);
		await page.goto(`/messages/thread/${id}`);
		await hydrated(page);

		const replies = `**/messages/thread/${id}`;
		await page.route(replies, answer);
		await page.getByLabel('Reply').fill('Typed during the outage.');
		await page.getByRole('button', { name: 'Send reply' }).click();
		await expect(page.getByRole('alert')).toContainText(shown);
		await expect(page.getByLabel('Reply')).toHaveValue('Typed during the outage.');
		await expect(page).toHaveURL(new RegExp(`/messages/thread/${id}$`));
		await expect(page.locator('[data-message]')).toHaveCount(1);

		await page.unroute(replies);
		await page.getByRole('button', { name: 'Send reply' }).click();
		await expect(page).toHaveURL(/#message-\d+$/);
		await expect(page.locator('[data-message]')).toHaveCount(2);
		await expect(page.locator('[data-message]').last()).toContainText('Typed during the outage.');
	});
}
