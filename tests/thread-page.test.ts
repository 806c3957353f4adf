import { expect, freshWindow, sendReply, startThread, test } from './helpers';

test('messages show web addresses as safe links, and the text exactly as sent', async ({
	page,
	newUser
}) => {
	const [alice, bob] = [await newUser('alice'), await newUser('bob')];
	const content = 'Agenda:\n  see https://example.org/plan?x=1.\nNot a link: javascript:alert(1)';
	const id = await startThread(alice.request, bob.name, 'Links', content);

	await page.context().addCookies(await bob.context.cookies());
	await page.goto(`/messages/thread/${id}`);
	const text = page.locator('[data-message] p');
	expect(await text.textContent()).toBe(content.trim());
	const links = text.getByRole('link');
	await expect(links).toHaveCount(1);
	await expect(links).toHaveText('https://example.org/plan?x=1');
	await expect(links).toHaveAttribute('href', 'https://example.org/plan?x=1');
	await expect(links).toHaveAttribute('rel', /noopener/);
});

const DAY_SECONDS = 24 * 60 * 60;

/** The UTC day of a time: "2026-11-30". */
const dayOf = (time: string | number) => new Date(time).toISOString().slice(0, 10);

/**
 * The heading of the day `sentAt` falls on, for a page made at some time between `from` and `to`:
 * "Today" or "Yesterday" (either, if midnight came in between), else the date.
 */
function dayHeading(sentAt: string, from: number, to: number): RegExp {
	const labels = [...new Set([from, to])].map((now) => {
		const days = (Date.parse(dayOf(now)) - Date.parse(dayOf(sentAt))) / (DAY_SECONDS * 1000);
		if (days === 0) return 'Today';
		if (days === 1) return 'Yesterday';
		return new Intl.DateTimeFormat('en-GB', { dateStyle: 'long', timeZone: 'UTC' }).format(
			new Date(sentAt)
		);
	});
	return labels.length === 1 || labels[0] === labels[1]
		? new RegExp(`^${labels[0]}$`)
		: new RegExp(`^(${labels[0]}|${labels[1]})$`);
}

test('messages are grouped by day, and a sender’s run shows their name once', async ({
	page,
	newUser
}) => {
	const [alice, bob] = [await newUser('alice'), await newUser('bob')];
	// All three on one UTC day: just before midnight, the test starts just after it instead.
	await freshWindow(DAY_SECONDS, 30);
	const id = await startThread(alice.request, bob.name, 'Runs', 'One');
	await sendReply(alice.request, id, 'Two');
	await sendReply(bob.request, id, 'Three');

	await page.context().addCookies(await alice.context.cookies());
	const loading = Date.now();
	await page.goto(`/messages/thread/${id}`);
	const loaded = Date.now();
	const sentAt = await page
		.locator('[data-message] time')
		.evaluateAll((times) => times.map((time) => time.getAttribute('datetime')!));
	expect(sentAt).toHaveLength(3);
	expect(new Set(sentAt.map(dayOf)).size, 'sent on one UTC day').toBe(1);
	// The heading names that day as seen from when the page was made (on the server, or as the
	// browser started it): between `loading` and `loaded`.
	const label = dayHeading(sentAt[0], loading, loaded);
	const today = page.getByRole('region', { name: label });
	await expect(today.locator('[data-message]')).toHaveCount(3);
	// Alice's own messages are hers at a glance: named "You", and set to the other side.
	const shownNames = today.locator('[data-message] strong:not(.visually-hidden)');
	await expect(shownNames).toHaveText(['You', bob.name]);
	// The hidden name is still there for screen readers.
	await expect(today.locator('[data-message]').nth(1)).toContainText('You');
	const [own, other] = await Promise.all(
		[0, 2].map((i) => today.locator('[data-message]').nth(i).boundingBox())
	);
	expect(own!.x, 'her own messages stand in from the left').toBeGreaterThan(other!.x + 16);
	expect(own!.x + own!.width, 'and others’ from the right').toBeGreaterThan(
		other!.x + other!.width + 16
	);
	// Relative times, the exact one on hover.
	const time = today.locator('time').first();
	await expect(time).toContainText('just now');
	await expect(time).toHaveAttribute('title', /^\w+day, \d+ \w+ \d{4} at \d\d:\d\d UTC$/);
});

test('a thread row shows the exact time while it has keyboard focus', async ({ page, newUser }) => {
	const [alice, bob] = [await newUser('alice'), await newUser('bob')];
	const id = await startThread(alice.request, bob.name, 'Timing');
	await page.context().addCookies(await bob.context.cookies());
	await page.goto('/messages');
	const row = page.locator(`main [data-thread="${id}"]`);
	const exact = row.locator('time .exact');
	const width = async () => (await exact.boundingBox())?.width ?? 0;
	expect(await width(), 'hidden but for screen readers').toBeLessThanOrEqual(1);
	await row.getByRole('link').focus();
	await expect.poll(width).toBeGreaterThan(50);
	await expect(exact).toHaveText(/UTC$/);
});

test('a long thread shows its newest 50 messages, with an Older link to the ones before', async ({
	page,
	newUser
}) => {
	const [alice, bob] = [await newUser('alice'), await newUser('bob')];
	const id = await startThread(alice.request, bob.name, 'Long', 'Message 1');
	for (let i = 2; i <= 55; i++) await sendReply(alice.request, id, `Message ${i}`);
	const shown = () =>
		page.locator('[data-message] p').evaluateAll((els) => els.map((el) => el.textContent));
	const numbered = (from: number, to: number) =>
		Array.from({ length: to - from + 1 }, (_, i) => `Message ${from + i}`);

	// Alice has read them all (she sent them), so the thread opens at its newest page.
	await page.context().addCookies(await alice.context.cookies());
	await page.goto(`/messages/thread/${id}`);
	expect(await shown()).toEqual(numbered(6, 55));
	await expect(page.getByRole('link', { name: 'Newest' })).toHaveCount(0);

	await page.getByRole('link', { name: 'Older' }).click();
	await expect(page).toHaveURL(new RegExp(`/messages/thread/${id}\\?before=\\d+$`));
	expect(await shown()).toEqual(numbered(1, 5));
	await expect(page.getByRole('link', { name: 'Older' })).toHaveCount(0);
	await expect(page.getByLabel('Reply')).toBeVisible();

	await page.getByRole('link', { name: 'Newest' }).click();
	await expect(page).toHaveURL(new RegExp(`/messages/thread/${id}$`));
	expect(await shown()).toEqual(numbered(6, 55));
});
