import type { Locator, Page } from '@playwright/test';
import {
	expect,
	expectSeeOther,
	hydrated,
	isJavaScriptProject,
	listing,
	postForm,
	register,
	startThread,
	test,
	threadMessageIds,
	uniqueName,
	visit
} from './helpers';

// A form sent twice (a re-post after no answer came, a second click) makes one message, and
// both posts land where the first did. Each form carries a one-time token for this.

/**
 * Sends the form with `send`, but the browser never hears the answer: the server gets the post
 * and answers it, and the connection then times out. Then the person tries again: without
 * JavaScript they reload the error page, which posts the form again; with it the form stays on
 * screen, and they press the button again. Gives where the first answer sent the browser.
 */
async function sendTwiceAfterTimeout(page: Page, path: string, send: Locator): Promise<string> {
	let firstAnswer: Promise<string> | undefined;
	await page.route(
		(url) => url.pathname === path,
		async (route) => {
			if (route.request().method() !== 'POST' || firstAnswer) return route.fallback();
			firstAnswer = route.fetch({ maxRedirects: 0 }).then(async (response) => {
				if (!isJavaScriptProject()) return response.headers()['location'];
				return (await response.json()).location;
			});
			await firstAnswer;
			await route.abort('timedout');
		}
	);
	if (isJavaScriptProject()) await hydrated(page);
	await send.click();
	if (isJavaScriptProject()) {
		// The enhanced form stays, with what was typed, and says no answer came.
		await expect(page.getByRole('alert')).toBeVisible();
		await send.click();
	} else {
		await expect.poll(() => page.url()).toMatch(/^chrome-error:/);
		await page.reload();
	}
	return firstAnswer!;
}

test('a reply sent again after no answer came is stored once, and lands on it', async ({
	page,
	newUser
}) => {
	const bob = await register(page.context(), 'bob');
	const alice = await newUser('alice');
	const id = await startThread(alice.request, bob.name, 'Timeouts', 'Are you there?');
	const path = `/messages/thread/${id}`;

	await page.goto(path);
	await page.getByLabel('Reply').fill('Yes, once.');
	const first = await sendTwiceAfterTimeout(
		page,
		path,
		page.getByRole('button', { name: 'Send reply' })
	);

	expect(first).toMatch(new RegExp(`^${path}#message-\\d+$`));
	await expect(page).toHaveURL(first);
	const messages = page.locator('[data-message]');
	await expect(messages).toHaveCount(2);
	await expect(messages.last()).toContainText('Yes, once.');
	expect(await threadMessageIds(alice.request, id)).toHaveLength(2);
});

test('a new message sent again after no answer came starts one thread, and lands on it', async ({
	page,
	newUser
}) => {
	const alice = await register(page.context(), 'alice');
	const bob = await newUser('bob');
	const subject = uniqueName('Once');

	await page.goto('/messages/create');
	await page.getByLabel('To').fill(bob.name);
	await page.getByLabel('Subject').fill(subject);
	await page.getByLabel('Message').fill('Only one thread, please.');
	const first = await sendTwiceAfterTimeout(
		page,
		'/messages/create',
		page.getByRole('button', { name: 'Send', exact: true })
	);

	expect(first).toMatch(/^\/messages\/thread\/[a-z2-7]{16}$/);
	await expect(page).toHaveURL(first);
	await expect(page.getByRole('heading', { level: 1 })).toHaveText(subject);
	const id = first.split('/').at(-1);
	expect((await listing(alice.request)).rows).toEqual([{ id, unread: false }]);
	expect((await listing(bob.request)).rows).toEqual([{ id, unread: true }]);
});

test('the same form posted twice makes one message; a post without a token is its own', async ({
	page,
	newUser
}) => {
	const bob = await register(page.context(), 'bob');
	const alice = await newUser('alice');
	const id = await startThread(alice.request, bob.name);
	const path = `/messages/thread/${id}`;
	await page.goto(path);
	const token = await page.locator('form:has([name=content]) [name=token]').inputValue();
	expect(token).not.toBe('');

	const form = { content: 'Posted twice.', token };
	const first = expectSeeOther(await postForm(bob.request, path, form), /#message-\d+$/);
	expectSeeOther(await postForm(bob.request, path, form), first);
	expect(await threadMessageIds(alice.request, id)).toHaveLength(2);

	// A new page is a new form.
	await page.reload();
	expect(await page.locator('form:has([name=content]) [name=token]').inputValue()).not.toBe(token);
	// Scripts may post without a token, as before: each post is a message.
	await postForm(bob.request, path, { content: 'No token.' });
	await postForm(bob.request, path, { content: 'No token.' });
	expect(await threadMessageIds(alice.request, id)).toHaveLength(4);
});

test('each form shown is a new one: replies sent one after another are all stored', async ({
	page,
	newUser
}) => {
	const bob = await register(page.context(), 'bob');
	const alice = await newUser('alice');
	const id = await startThread(alice.request, bob.name);
	await visit(page, `/messages/thread/${id}`);
	for (const text of ['One.', 'Two.', 'Three.']) {
		await page.getByLabel('Reply').fill(text);
		await page.getByRole('button', { name: 'Send reply' }).click();
		await expect(page.locator('[data-message]').last()).toContainText(text);
	}
	expect(await threadMessageIds(alice.request, id)).toHaveLength(4);
});
