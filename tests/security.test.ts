import type { Page } from '@playwright/test';
import {
	expect,
	expectSeeOther,
	isJavaScriptProject,
	listing,
	postForm,
	register,
	sendReply,
	startThread,
	test,
	threadMessageIds,
	threadRow,
	shownThreadId,
	THREAD_PAGE
} from './helpers';

const EVIL = 'http://evil.example';

test('a cross-site form POST is refused with 403 and writes nothing', async ({
	request,
	newUser
}) => {
	const [alice, bob] = await Promise.all([newUser('alice'), newUser('bob')]);
	const id = await startThread(alice.request, bob.name);

	const attempts = [
		['/messages/create', { to: bob.name, subject: 'Forged', message: 'Forged' }],
		[`/messages/thread/${id}`, { content: 'Forged reply' }],
		[`/messages/thread/${id}/delete`, {}],
		['/logout', {}]
	] as const;
	for (const [path, form] of attempts) {
		expect((await postForm(bob.request, path, form, EVIL)).status(), path).toBe(403);
	}
	const login = await postForm(request, '/login', { username: bob.name, password: 'x' }, EVIL);
	expect(login.status()).toBe(403);

	// Bob is still signed in, the thread still has one message and is in both inboxes.
	expect(await threadMessageIds(alice.request, id)).toHaveLength(1);
	expect((await listing(bob.request)).rows).toEqual([{ id, unread: true }]);
	expect((await listing(alice.request)).rows).toEqual([{ id, unread: false }]);
	// The same requests from the app's own origin do go through.
	await sendReply(bob.request, id);
	expectSeeOther(await postForm(bob.request, `/messages/thread/${id}/delete`, {}), '/messages');
});

/** With JavaScript, none of the payloads below ran (without it, none could: the markup checks). */
async function expectNoPayloadRan(page: Page) {
	if (!isJavaScriptProject()) return;
	const pwned = await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned);
	expect(pwned, 'a script from a subject or message ran').toBeUndefined();
}

test('markup in subjects and messages is shown as text', async ({ page, newUser }) => {
	await register(page.context(), 'alice');
	const bob = await newUser('bob');
	const subject = '<img src=x onerror="window.__pwned=1">Hi';
	const message = '<script>window.__pwned=2</script><b>bold</b> & <i>more</i>';

	await page.goto('/messages/create');
	await page.getByLabel('To').fill(bob.name);
	await page.getByLabel('Subject').fill(subject);
	await page.getByLabel('Message').fill(message);
	await page.getByRole('button', { name: 'Send', exact: true }).click();
	await expect(page).toHaveURL(THREAD_PAGE);
	const id = shownThreadId(page);
	// The thread page loaded in full, as served: a `<script>` in its HTML would have run by the
	// load event, which also waits for an image to fail (and its onerror to run).
	await page.goto(`/messages/thread/${id}`);
	await expect(page.locator('[data-message]').first()).toContainText(message);
	await expectNoPayloadRan(page);

	await sendReply(bob.request, id, '<iframe src="/"></iframe>');
	await page.reload();

	await expect(page.getByRole('heading', { level: 1 })).toHaveText(subject);
	await expect(page).toHaveTitle(`\u2068${subject}\u2069 · Courier`);
	await expect(page.locator('[data-message]').first()).toContainText(message);
	await expect(page.locator('[data-message]').last()).toContainText('<iframe src="/"></iframe>');
	await expect(page.locator('main').locator('img, script, b, i, iframe')).toHaveCount(0);
	await expectNoPayloadRan(page);

	await page.goto('/messages');
	await expect(threadRow(page, id).getByRole('link')).toHaveText(subject);
	await expect(threadRow(page, id)).toContainText('<iframe src="/"></iframe>');
	await expect(page.locator('main').locator('img, script, iframe')).toHaveCount(0);
	await expectNoPayloadRan(page);
});

test('pages carry a strict Content-Security-Policy and the other protective headers, and nothing on them breaks it', async ({
	page,
	newUser
}) => {
	const violations: string[] = [];
	page.on('console', (message) => {
		if (/Content.Security.Policy/i.test(message.text())) violations.push(message.text());
	});
	const alice = await register(page.context(), 'alice');
	const bob = await newUser('bob');
	const id = await startThread(bob.request, alice.name);

	for (const path of ['/login', '/messages', `/messages/thread/${id}`]) {
		const response = await alice.request.get(path);
		const headers = response.headers();
		const csp = headers['content-security-policy'] ?? '';
		expect(csp, path).toContain("frame-ancestors 'none'");
		expect(csp, path).toContain("object-src 'none'");
		expect(csp, path).toMatch(/script-src 'self'/);
		expect(csp, path).not.toContain('unsafe-inline');
		expect(headers['x-content-type-options'], path).toBe('nosniff');
		expect(headers['referrer-policy'], path).toBe('same-origin');
		expect(headers['x-frame-options'], path).toBe('DENY');
	}

	// Using the pages, enhanced or not, raises no CSP violation.
	await page.goto(`/messages/thread/${id}`);
	await page.getByLabel('Reply').fill('Within the policy');
	await page.getByRole('button', { name: 'Send reply' }).click();
	await expect(page.locator('[data-message]')).toHaveCount(2);
	await page.goto('/messages');
	await expect(threadRow(page, id)).toBeVisible();
	expect(violations).toEqual([]);
});
