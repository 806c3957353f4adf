import type { Page, Response } from '@playwright/test';
import {
	expect,
	hydrated,
	isJavaScriptProject,
	postForm,
	register,
	signUp,
	startThread,
	test
} from './helpers';

// 14 hours ahead of UTC: a time there never reads as it does in UTC.
const KIRITIMATI = 'Pacific/Kiritimati';
const LOS_ANGELES = 'America/Los_Angeles';
test.use({ timezoneId: KIRITIMATI });

/** "14:04 GMT+14": the end of an exact time ("Saturday, 5 December 2026 at 14:04 GMT+14"). */
function clockIn(timeZone: string, iso: string): string {
	const parts = new Intl.DateTimeFormat('en-GB', {
		hour: '2-digit',
		minute: '2-digit',
		timeZoneName: 'short',
		timeZone
	}).formatToParts(new Date(iso));
	const part = (type: string) => parts.find((p) => p.type === type)!.value;
	return `${part('hour')}:${part('minute')} ${part('timeZoneName')}`;
}

type Shown = { datetime: string; title: string; text: string }[];

/** The times and day headings of a page's `<main>` as the server sent it. */
function servedTimes(html: string): { times: Shown; days: string[] } {
	const main = html.slice(html.indexOf('<main'), html.indexOf('</main>'));
	const text = (markup: string) =>
		markup
			.replace(/<!--[\s\S]*?-->|<[^>]*>/g, '')
			.replace(/\s+/g, ' ')
			.trim();
	return {
		times: [...main.matchAll(/<time datetime="([^"]*)" title="([^"]*)">([\s\S]*?)<\/time>/g)].map(
			([, datetime, title, inner]) => ({ datetime, title, text: text(inner) })
		),
		days: [...main.matchAll(/<h2 id="day-[^"]*"[^>]*>([^<]*)<\/h2>/g)].map(([, day]) => day)
	};
}

/** The same, as the page shows them now. */
function shownTimes(page: Page): Promise<{ times: Shown; days: string[] }> {
	return page.locator('main').evaluate((main) => ({
		times: [...main.querySelectorAll('time')].map((time) => ({
			datetime: time.getAttribute('datetime')!,
			title: time.title,
			text: time.textContent!.replace(/\s+/g, ' ').trim()
		})),
		days: [...main.querySelectorAll('h2[id^="day-"]')].map((day) => day.textContent!)
	}));
}

/**
 * Opens `path` and checks that its times read in `timeZone`, and that with JavaScript the page
 * shows, once hydrated, exactly the text the server sent: no flash of another time.
 */
async function expectTimesIn(
	page: Page,
	path: string,
	timeZone: string,
	scripted = isJavaScriptProject()
) {
	const response = (await page.goto(path)) as Response;
	const served = servedTimes(await response.text());
	if (scripted) await hydrated(page);
	const shown = await shownTimes(page);
	expect(served.times.length, `${path} shows times`).toBeGreaterThan(0);
	expect(shown, `${path}: the page shows what the server sent`).toEqual(served);
	for (const { datetime, title } of shown.times) {
		expect(title, `${path}: a time in ${timeZone}`).toMatch(
			new RegExp(` at ${clockIn(timeZone, datetime).replace('+', '\\+')}$`)
		);
	}
}

test('times show in the browser’s time zone with JavaScript, from the first page it renders, and are remembered for pages without it', async ({
	page,
	newUser,
	browser
}) => {
	const saves: string[] = [];
	page.on('request', (request) => {
		if (request.method() === 'POST' && request.url().endsWith('/account?/timeZone')) {
			saves.push(request.postData() ?? '');
		}
	});
	// Waited for from the start: the save may come as soon as the first signed-in page hydrates.
	const saved =
		isJavaScriptProject() &&
		page.waitForResponse((response) => response.url().endsWith('/account?/timeZone'));
	// The first visit of this browser: with JavaScript, the sign-up page already learns its zone.
	const alice = await signUp(page);
	const bob = await newUser('bob');
	const id = await startThread(bob.request, alice, 'Across the date line');

	// Without JavaScript nothing is known of the browser: UTC, until a zone is chosen.
	const zone = isJavaScriptProject() ? KIRITIMATI : 'UTC';
	await expectTimesIn(page, '/messages', zone);
	await expectTimesIn(page, `/messages/thread/${id}`, zone);
	if (!saved) {
		expect(saves).toEqual([]);
		return;
	}

	// With it, the zone is saved on the account once, in the background, as no zone was chosen.
	expect((await saved).status()).toBe(200);
	await expectTimesIn(page, '/messages', KIRITIMATI);
	expect(saves).toHaveLength(1);
	expect(saves[0]).toContain(KIRITIMATI);
	const noScript = await browser.newContext({ javaScriptEnabled: false, timezoneId: 'UTC' });
	try {
		const session = (await page.context().cookies()).filter((c) => c.name === 'session');
		await noScript.addCookies(session);
		await expectTimesIn(await noScript.newPage(), `/messages/thread/${id}`, KIRITIMATI, false);
	} finally {
		await noScript.close();
	}
});

test('the account page keeps a time zone, which times follow without JavaScript', async ({
	page,
	newUser
}) => {
	const alice = await register(page.context(), 'alice');
	const bob = await newUser('bob');
	const id = await startThread(bob.request, alice.name, 'Plans');

	const account = page.goto('/account');
	if (isJavaScriptProject()) {
		// This browser's zone, saved as the page opens: none was chosen.
		await page.waitForResponse((response) => response.url().endsWith('/account?/timeZone'));
	}
	await account;
	await page.goto('/account');
	const field = page.getByLabel('Time zone');
	await expect(field).toHaveValue(isJavaScriptProject() ? KIRITIMATI : 'UTC');

	// What is not a zone is refused, next to the field, and nothing changes.
	for (const timeZone of ['Mars/Olympus_Mons', '+05:00', '', 'x'.repeat(500)]) {
		const refused = await postForm(alice.request, '/account?/timeZone', { timeZone });
		expect(refused.status(), timeZone).toBe(400);
		expect(await refused.text()).toContain('Choose a time zone from the list.');
	}

	await field.selectOption(LOS_ANGELES);
	await page.getByRole('button', { name: 'Save' }).click();
	await expect(page).toHaveURL(/\/account\?saved=time-zone$/);
	await expect(page.getByRole('status')).toHaveText('Time zone saved.');
	await expect(field).toHaveValue(LOS_ANGELES);

	// Without JavaScript the chosen zone; with it, still the browser’s own.
	await expectTimesIn(
		page,
		`/messages/thread/${id}`,
		isJavaScriptProject() ? KIRITIMATI : LOS_ANGELES
	);
});
