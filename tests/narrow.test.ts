import { expect, register, sendReply, startThread, test, threadRow, uniqueName } from './helpers';

test('on a 320 px phone no page is wider than the screen, with the longest names and subjects', async ({
	page,
	newUser
}) => {
	await page.setViewportSize({ width: 320, height: 640 });
	// Usernames of 30 to 32 characters of the widest letter, with no space to break at.
	const alice = await register(page.context(), 'm'.repeat(16));
	const bob = await newUser('M'.repeat(16));
	const subject = `${uniqueName('s')}${'x'.repeat(130)}`.slice(0, 150);
	const id = await startThread(bob.request, alice.name, subject);
	await sendReply(bob.request, id, `Also ${'y'.repeat(300)}`);
	// Every element that reaches past the screen's right edge, named for the failure message.
	const fitsTheScreen = async (where: string) =>
		expect(
			await page.evaluate(() => [
				`${document.documentElement.scrollWidth} px wide`,
				// What reaches past the edge: a box, or the text overflowing one. What is inside a
				// box that clips (a name cut short with an ellipsis, a row that scrolls) reaches no
				// further than that box, which is checked itself.
				...[...document.querySelectorAll('body *')]
					.filter((element) => {
						for (let up = element.parentElement!; up !== document.body; up = up.parentElement!) {
							if (getComputedStyle(up).overflowX !== 'visible') return false;
						}
						const box = element.getBoundingClientRect();
						const overflow = getComputedStyle(element).overflowX;
						const reach = overflow === 'visible' ? box.left + element.scrollWidth : box.right;
						return Math.max(box.right, reach) > window.innerWidth + 0.5;
					})
					.map((element) => `${element.tagName} ${element.className}: ${element.textContent}`)
			]),
			`${where} is no wider than the screen`
		).toEqual(['320 px wide']);

	for (const path of [
		'/messages',
		`/messages/thread/${id}`,
		`/messages/thread/${id}/delete`,
		'/messages/create',
		'/messages/deleted',
		'/account',
		'/account/password'
	]) {
		await page.goto(path);
		await fitsTheScreen(path);
	}

	// The exact time replaces the relative one on the message a reply lands on, and on a focused row.
	await page.goto(`/messages/thread/${id}`);
	await page.getByLabel('Reply').fill('Short answer.');
	await page.getByRole('button', { name: 'Send reply' }).click();
	await expect(page).toHaveURL(/#message-\d+$/);
	await fitsTheScreen('the message a reply lands on');
	await page.goto('/messages');
	await threadRow(page, id).getByRole('link').focus();
	await fitsTheScreen('the inbox with a row focused');
});
