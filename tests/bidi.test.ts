import type { Page } from '@playwright/test';
import {
	expect,
	expectFieldError,
	postForm,
	register,
	sendReply,
	startThread,
	test
} from './helpers';

// Right-to-left text with the numbers and punctuation that land at the wrong end when it is not
// isolated: Hebrew and Arabic subjects and messages.
const HEBREW_SUBJECT = 'שלום עולם: פגישה ב-10:30, חדר 4!';
const ARABIC_SUBJECT = 'اجتماع يوم 12/5 الساعة 9:00؟';
const ARABIC_MESSAGE = 'مرحبا 42، كيف الحال؟ (اختبار)';
const HEBREW_MESSAGE = 'האם 3 אנשים יגיעו? כן, 100%!';
const RIGHT_TO_LEFT = [HEBREW_SUBJECT, ARABIC_SUBJECT, ARABIC_MESSAGE, HEBREW_MESSAGE];

interface Isolation {
	/** Each user text, how many times the page shows it. */
	shown: Record<string, number>;
	/** Where user text is not isolated, or not laid out right to left when it should be. */
	problems: string[];
}

/**
 * Every text node of the page holding one of `texts`: it must be isolated with its own direction,
 * by its nearest `<bdi>` or `dir="auto"` element holding that text alone, or by Unicode isolates
 * (FSI … PDI) around it inside a plain string. Right-to-left text must be laid out so.
 */
function isolation(page: Page, texts: string[]): Promise<Isolation> {
	return page.evaluate(
		({ texts, rightToLeft }) => {
			const shown: Record<string, number> = Object.fromEntries(texts.map((text) => [text, 0]));
			const problems: string[] = [];
			const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
			for (let node = walker.nextNode(); node; node = walker.nextNode()) {
				const parent = node.parentElement!;
				if (parent.closest('script, style, textarea')) continue;
				for (const text of texts.filter((text) => node.textContent!.includes(text))) {
					shown[text]++;
					if (node.textContent!.includes(`\u2068${text}\u2069`)) continue;
					const isolating = parent.closest('bdi, [dir="auto"]');
					const where = `${parent.tagName.toLowerCase()}.${parent.className}: ${parent.textContent}`;
					if (isolating?.textContent?.trim() !== text) problems.push(`not isolated: ${where}`);
					else if (rightToLeft.includes(text) && !isolating.matches(':dir(rtl)')) {
						problems.push(`not right to left: ${where}`);
					}
				}
			}
			return { shown, problems };
		},
		{ texts, rightToLeft: RIGHT_TO_LEFT }
	);
}

test('subjects, messages, excerpts and names each carry their own direction, on every page', async ({
	page,
	newUser
}) => {
	const alice = await register(page.context(), 'alice');
	const [bob, carol] = [await newUser('bob'), await newUser('carol')];
	const hebrew = await startThread(bob.request, [alice.name, carol.name], HEBREW_SUBJECT, 'Hi');
	await sendReply(carol.request, hebrew, ARABIC_MESSAGE);
	const arabic = await startThread(carol.request, alice.name, ARABIC_SUBJECT, HEBREW_MESSAGE);
	const everyText = [...RIGHT_TO_LEFT, alice.name, bob.name, carol.name];

	const expectIsolated = async (where: string, expected: string[]) => {
		const { shown, problems } = await isolation(page, [...new Set([...everyText, ...expected])]);
		expect(problems, `${where}: user text isolated`).toEqual([]);
		for (const text of expected) expect(shown[text], `${where} shows ${text}`).toBeGreaterThan(0);
	};

	await page.goto('/messages');
	// Rows: the subjects, the excerpts, the senders and the other participants; the header's name.
	await expectIsolated('the inbox', [
		...RIGHT_TO_LEFT.slice(0, 3),
		alice.name,
		bob.name,
		carol.name
	]);
	await expect(page.getByRole('link', { name: HEBREW_SUBJECT })).toBeVisible();

	await page.goto(`/messages/thread/${hebrew}`);
	await expectIsolated('the thread page', [HEBREW_SUBJECT, ARABIC_MESSAGE, bob.name, carol.name]);
	// The other thread is still unread.
	await expect(page).toHaveTitle(`(1) \u2068${HEBREW_SUBJECT}\u2069 · Courier`);

	await page.goto(`/messages/thread/${hebrew}/delete`);
	await expectIsolated('the delete page', [HEBREW_SUBJECT]);
	await expect(page.getByRole('heading', { level: 1 })).toHaveText(`Delete “${HEBREW_SUBJECT}”?`);

	await postForm(page.context().request, `/messages/thread/${arabic}/delete`, {});
	await page.goto('/messages/deleted');
	await expectIsolated('the Deleted folder', [ARABIC_SUBJECT, HEBREW_MESSAGE, carol.name]);

	// A form's message naming what was typed: the names isolated inside the string.
	await page.goto('/messages/create');
	for (const label of ['To', 'Subject', 'Message']) {
		await expect(page.getByLabel(label)).toHaveAttribute('dir', 'auto');
	}
	await page.getByLabel('To').fill('דוד سارة');
	await page.getByLabel('Subject').fill(HEBREW_SUBJECT);
	await page.getByLabel('Message').fill(ARABIC_MESSAGE);
	await page.getByRole('button', { name: 'Send', exact: true }).click();
	await expectFieldError(
		page.getByLabel('To'),
		'No user named “\u2068דוד\u2069”, “\u2068سارة\u2069”.'
	);
	await expectIsolated('the compose form', ['דוד', 'سارة']);
});
