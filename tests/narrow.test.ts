import type { Locator, Page } from '@playwright/test';
import {
	expect,
	register,
	sendReply,
	startThread,
	test,
	threadRow,
	uniqueName,
	visit
} from './helpers';

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
	// The header's controls side by side, none drawn over another (a squeezed search form once
	// pushed its button over Log out). Those in the folders' row, which scrolls, are left out.
	const noneOverlap = async (where: string) =>
		expect(
			await page.evaluate(() => {
				const controls = [...document.querySelectorAll('header :is(a, button, input)')]
					.filter((element) => !element.closest('.folders') && element.getClientRects().length)
					.filter((element) => !element.classList.contains('visually-hidden'))
					.map((element) => ({
						name: element.textContent?.trim() || element.tagName,
						box: element.getBoundingClientRect()
					}))
					.filter(({ box }) => box.width > 1 && box.height > 1);
				const overlaps = [];
				for (const [i, a] of controls.entries()) {
					for (const b of controls.slice(i + 1)) {
						const apart =
							a.box.right <= b.box.left + 0.5 ||
							b.box.right <= a.box.left + 0.5 ||
							a.box.bottom <= b.box.top + 0.5 ||
							b.box.bottom <= a.box.top + 0.5;
						if (!apart) overlaps.push(`${a.name} / ${b.name}`);
					}
				}
				return overlaps;
			}),
			`${where}: header controls drawn over each other`
		).toEqual([]);

	for (const path of [
		'/messages',
		`/messages/thread/${id}`,
		`/messages/thread/${id}/delete`,
		'/messages/create',
		'/messages/deleted',
		'/messages/unread',
		'/messages/archive',
		'/messages/sent',
		'/account',
		'/account/password'
	]) {
		await page.goto(path);
		await fitsTheScreen(path);
		await noneOverlap(path);
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

test('on a 320 px phone a row opens its thread at the first click, and keyboard focus shows the exact time', async ({
	page,
	newUser
}) => {
	await page.setViewportSize({ width: 320, height: 640 });
	const alice = await register(page.context(), 'alice');
	const bob = await newUser('bob');
	const id = await startThread(bob.request, alice.name, uniqueName('Lunch'));
	await visit(page, '/messages');
	const row = threadRow(page, id);
	const relative = row.locator('time .relative');
	// A press focuses the link; were the exact time to replace the relative one then, the row
	// would reflow under the pointer and the release would land elsewhere: no click, no thread.
	await row.getByRole('link').click();
	await expect(page).toHaveURL(new RegExp(`/messages/thread/${id}$`));

	// From the keyboard, the focused row shows the exact time instead.
	await visit(page, '/messages');
	await expect(relative).toBeVisible();
	for (let tab = 0; tab < 40; tab++) {
		await page.keyboard.press('Tab');
		if (await row.getByRole('link').evaluate((link) => link === document.activeElement)) break;
	}
	await expect(row.getByRole('link')).toBeFocused();
	await expect(relative).toBeHidden();
	await expect(row.locator('time .exact')).toHaveText(/UTC$/);
});

const LOG_OUT = { en: 'Log out', de: 'Abmelden' };

for (const locale of ['en', 'de'] as const) {
	test(`on a 390 px phone the header takes three rows, and a thread title no more lines than it needs (${locale})`, async ({
		browser
	}) => {
		const context = await browser.newContext({ locale, viewport: { width: 390, height: 800 } });
		try {
			const page = await context.newPage();
			// The longest username, of wide letters, and an unread thread for the badge.
			const alice = await register(context, 'M'.repeat(16));
			const bob = await register(await browser.newContext(), 'bob');
			const subject = 'Plans for the summer offsite in Lisbon and Porto';
			const id = await startThread(bob.request, alice.name, subject);
			await bob.context.close();

			for (const path of ['/messages', '/messages/sent', `/messages/thread/${id}`, '/account']) {
				await page.goto(path);
				await expect(page.getByRole('button', { name: LOG_OUT[locale] })).toBeVisible();
				const { rows, wrapped } = await headerRows(page);
				expect(wrapped, `${path}: nothing in the header wraps`).toEqual([]);
				// The name and the account; the folders; the search field, as wide as the screen.
				expect(rows, `${path}: the header's rows`).toBeLessThanOrEqual(3);
			}

			// 48 characters fit in two lines of a phone's width, beside nothing else.
			await page.goto(`/messages/thread/${id}`);
			expect(await linesOf(page.getByRole('heading', { level: 1 })), subject).toBeLessThanOrEqual(
				2
			);
		} finally {
			await context.close();
		}
	});
}

/**
 * The rows the header's parts sit in (a part starts a row when it is below the previous row's
 * bottom), and the parts whose own text wraps onto a second line.
 */
function headerRows(page: Page): Promise<{ rows: number; wrapped: string[] }> {
	return page.locator('header nav').evaluate((nav) => {
		const parts = [...nav.querySelectorAll('a, button')].filter((part) => {
			const box = part.getBoundingClientRect();
			return box.width > 1 && box.height > 1;
		});
		const wrapped = parts
			.filter((part) => {
				const style = getComputedStyle(part);
				if (style.display === 'inline') return part.getClientRects().length > 1;
				const chrome = ['paddingTop', 'paddingBottom', 'borderTopWidth', 'borderBottomWidth']
					.map((side) => parseFloat(style[side as 'paddingTop']))
					.reduce((a, b) => a + b);
				return part.getBoundingClientRect().height > parseFloat(style.lineHeight) * 1.5 + chrome;
			})
			.map((part) => part.textContent!.trim());
		const boxes = parts.map((part) => part.getBoundingClientRect()).sort((a, b) => a.top - b.top);
		let rows = 0;
		let bottom = -Infinity;
		for (const box of boxes) {
			if (box.top < bottom - 1) bottom = Math.max(bottom, box.bottom);
			else [rows, bottom] = [rows + 1, box.bottom];
		}
		return { rows, wrapped };
	});
}

/** How many lines of text an element's box holds. */
function linesOf(element: Locator): Promise<number> {
	return element.evaluate((box) => {
		const lineHeight = parseFloat(getComputedStyle(box).lineHeight);
		return Math.round(box.getBoundingClientRect().height / lineHeight);
	});
}
