import { expect, register, sendReply, startThread, test, threadRow, uniqueName } from './helpers';

// One's own messages, and one's own last word in a listing, are told apart from everyone else's:
// named "you" (a word, not only a colour or a place on the screen), in each language.

for (const { locale, you, You } of [
	{ locale: 'en-GB', you: 'you', You: 'You' },
	{ locale: 'de-DE', you: 'du', You: 'Du' }
]) {
	test(`${locale}: one's own messages and last word read as one's own`, async ({
		browser,
		newUser
	}) => {
		const context = await browser.newContext({ locale });
		const page = await context.newPage();
		const alice = await register(context, 'alice');
		const [bob, carol] = [await newUser('bob'), await newUser('carol')];
		const subject = uniqueName('Plans');
		const id = await startThread(bob.request, [alice.name, carol.name], subject, 'Saturday?');
		await sendReply(alice.request, id, 'Yes.');
		await sendReply(alice.request, id, 'Bring a coat.');

		// The listing: everyone else, then "you"; the newest message is alice's own.
		await page.goto('/messages');
		const row = threadRow(page, id);
		await expect(row).toContainText(`${bob.name}, ${carol.name}, ${you}`);
		await expect(row).toContainText(`${you}: Bring a coat.`);
		await expect(row).not.toContainText(`${alice.name}:`);
		// Bob's listing (in English) names her, and him last.
		// Its text, without the tags that isolate each name's direction.
		const bobs = (await (await bob.request.get('/messages')).text()).replace(/<[^>]*>/g, '');
		expect(bobs).toContain(`${alice.name}: Bring a coat.`);
		expect(bobs).toContain(`${alice.name}, ${carol.name}, you`);

		// The thread: her run of two is one "You", on the other side from bob's message.
		await page.goto(`/messages/thread/${id}`);
		const names = page.locator('[data-message] strong:not(.visually-hidden)');
		await expect(names).toHaveText([bob.name, You]);
		await expect(page.locator('[data-message]').nth(2)).toContainText(You);
		const [others, own] = await Promise.all(
			[0, 1].map((i) => page.locator('[data-message]').nth(i).boundingBox())
		);
		expect(own!.x).toBeGreaterThan(others!.x);
		await expect(page.locator('main header p')).toContainText(`${bob.name}, ${carol.name}, ${you}`);
		await context.close();
	});
}
