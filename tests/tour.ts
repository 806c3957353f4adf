import type { Browser, BrowserContext, Page } from '@playwright/test';
import {
	actAs,
	hydrated,
	isFormPost,
	isJavaScriptProject,
	MISSING_THREAD_ID,
	PASSWORD,
	postForm,
	register,
	sendReply,
	startThread,
	type User,
	uniqueName,
	visit
} from './helpers';

/**
 * Every page of the app and every state a person can bring it to (form errors, not found, a
 * path that cannot be decoded, empty folders…), signed out and signed in, for tests that check
 * something of every page: its words, its Content-Security-Policy. Forms are found by their
 * fields' names, so the tour runs in any language.
 */

/** The people of the tour and what they wrote: user text, which any page may show. */
export interface Cast {
	alice: User;
	bob: User;
	/** Has nothing: an empty inbox and Deleted folder; one message request from bob. */
	carol: User;
	thread: string;
	deleted: string;
	/** Archived and muted by alice. */
	archived: string;
	/** Group threads: bob left and came back, alice renamed it; one she left; one she joined. */
	group: string;
	left: string;
	addedTo: string;
	/** A word in most of their messages: a search finds more than a page of them. */
	tag: string;
	/** Every piece of text a user typed that a page may show. */
	userText: string[];
}

/** Makes the cast over HTTP: bob writes to alice, who has one thread deleted and 21 in all. */
export async function castOf(browser: Browser): Promise<Cast> {
	const contexts = await Promise.all([0, 1, 2].map(() => browser.newContext()));
	const [alice, bob, carol] = await Promise.all(
		contexts.map((context, i) => register(context, ['alice', 'bob', 'carol'][i]))
	);
	const tag = uniqueName('t');
	const subject = (n: number | string) => `Subject ${tag} ${n}`;
	const thread = await startThread(bob.request, alice.name, subject('bob'), `From bob ${tag}`);
	await sendReply(alice.request, thread, `Reply of alice ${tag}`);
	await sendReply(bob.request, thread, `Reply of bob ${tag}`);
	const deleted = await startThread(alice.request, bob.name, subject('gone'), `Gone ${tag}`);
	await postForm(alice.request, `/messages/thread/${deleted}/delete`, {});
	const archived = await startThread(bob.request, alice.name, subject('kept'), `Kept ${tag}`);
	for (const action of ['archive', 'mute']) {
		await postForm(alice.request, `/messages/selection?/${action}`, { thread: archived });
	}
	// Past one page of the inbox (20), so that it has an Older link.
	for (let n = 0; n < 20; n++) {
		await startThread(alice.request, bob.name, subject(n), `Message ${tag} ${n}`);
	}
	const group = await startThread(alice.request, bob.name, subject('group'), `Group ${tag}`);
	await postForm(bob.request, `/messages/thread/${group}/leave`, {});
	await postForm(bob.request, `/messages/thread/${group}/rejoin`, {});
	await postForm(alice.request, `/messages/thread/${group}/rename`, {
		subject: subject('renamed')
	});
	const left = await startThread(bob.request, alice.name, subject('left'), `Left ${tag}`);
	await postForm(alice.request, `/messages/thread/${left}/leave`, {});
	// Someone alice was added to "from now": a fourth person, who shows no page.
	const daveContext = await browser.newContext();
	const dave = await register(daveContext, 'dave');
	const addedTo = await startThread(dave.request, bob.name, subject('added'), `Before ${tag}`);
	await postForm(dave.request, `/messages/thread/${addedTo}/add`, { to: alice.name });
	await daveContext.close();
	// Carol takes strangers as requests, and bob's first message waits in her Requests.
	await postForm(carol.request, '/account?/dmPolicy', { dmPolicy: 'requests' });
	await startThread(bob.request, carol.name, subject('request'), `Request ${tag}`);
	const userText = [
		alice.name,
		bob.name,
		carol.name,
		dave.name,
		...['bob', 'gone', 'kept', 'group', 'renamed', 'left', 'added', 'request'].map(subject),
		...Array.from({ length: 20 }, (_, n) => n).map(subject),
		`Group ${tag}`,
		`Left ${tag}`,
		`Before ${tag}`,
		`From bob ${tag}`,
		`Reply of alice ${tag}`,
		`Reply of bob ${tag}`,
		`Gone ${tag}`,
		`Kept ${tag}`,
		...Array.from({ length: 20 }, (_, n) => `Message ${tag} ${n}`),
		NOBODY,
		tag,
		NOT_UNDERSTOOD,
		`Request ${tag}`,
		// Not words but names, as the account page's time zone choice lists them.
		'UTC',
		...Intl.supportedValuesOf('timeZone').map((zone) => zone.replaceAll('_', ' '))
	];
	return { alice, bob, carol, thread, deleted, archived, group, left, addedTo, tag, userText };
}

/** A path that cannot be decoded. SvelteKit's client cannot start on it (URIError). */
const MALFORMED = '/%ff';

/** A name no account has, typed into To. */
const NOBODY = 'nobody_at_all';

/** A search operator with a value it does not take. */
const NOT_UNDERSTOOD = 'before:someday';

/** Fills the form that has these fields, sends it, and waits for the page or the errors. */
async function send(page: Page, fields: Record<string, string>) {
	if (isJavaScriptProject()) await hydrated(page);
	const names = Object.keys(fields);
	const form = page.locator('form', { has: page.locator(`[name="${names[0]}"]`) });
	for (const [name, value] of Object.entries(fields)) {
		await form.locator(`[name="${name}"]`).fill(value);
	}
	await Promise.all([page.waitForResponse(isFormPost), form.locator('button').last().click()]);
	await page.locator('[aria-invalid="true"], [role="alert"]').first().waitFor();
}

/** Posts an empty form from the page, as a browser would, to where no browser form points. */
async function postFrom(page: Page, action: string) {
	await Promise.all([
		page.waitForEvent('load'),
		page.evaluate((action) => {
			const form = document.createElement('form');
			form.method = 'POST';
			form.action = action;
			document.body.append(form);
			form.submit();
		}, action)
	]);
}

/** Clicks the button that posts to `action` and waits for the notice of the page it leads to. */
async function actFrom(page: Page, action: string) {
	if (isJavaScriptProject()) await hydrated(page);
	const button = page.locator(
		`main button[formaction$="?/${action}"], main form[action$="?/${action}"] button`
	);
	await Promise.all([page.waitForResponse(isFormPost), button.first().click()]);
	await page.locator('main [role="status"]').waitFor();
}

/** The stops: what each one is called, and how to get there from anywhere. */
function stops(page: Page, cast: Cast): [string, () => Promise<unknown>][] {
	const { thread, deleted, archived } = cast;
	const go = (path: string) => () => page.goto(path);
	const logIn = (fields: Record<string, string>) => async () => {
		await page.goto('/login');
		await send(page, fields);
	};
	return [
		['log in', go('/login')],
		['log in: nothing entered', logIn({ username: '', password: '' })],
		['log in: wrong password', logIn({ username: cast.alice.name, password: 'wrong password' })],
		['sign up', go('/signup')],
		[
			'sign up: bad username, short password',
			async () => {
				await page.goto('/signup');
				await send(page, { username: 'x', password: 'short' });
			}
		],
		[
			'sign up: username taken',
			async () => {
				await page.goto('/signup');
				await send(page, { username: cast.bob.name, password: PASSWORD });
			}
		],
		['appearance, signed out', go('/scheme')],
		['unsubscribe: a link not valid', go(`/unsubscribe/1.all.${'A'.repeat(43)}`)],
		['email address: a link not valid', go(`/email/verify/1.99999999999.${'A'.repeat(43)}`)],
		['not found, signed out', go('/nope')],
		['a path that cannot be decoded, signed out', go(MALFORMED)],
		[
			'a form to an action no page has, signed out',
			async () => {
				await page.goto('/login');
				await postFrom(page, '/login?/nope');
			}
		],
		['signed in: inbox', async () => (await actAs(page, cast.alice), page.goto('/messages'))],
		[
			'inbox, an older page',
			async () => {
				await page.goto('/messages');
				await page.locator('a[rel="next"]').click();
				await page.waitForURL(/before=/);
			}
		],
		['inbox, past its last page', go('/messages?before=1')],
		['Deleted folder', go('/messages/deleted')],
		['Unread folder', go('/messages/unread')],
		['Archive folder', go('/messages/archive')],
		['Sent folder', go('/messages/sent')],
		[
			'a selection muted: its notice and Undo',
			async () => {
				await visit(page, '/messages/sent');
				await page.locator('main input[name="thread"]').first().check();
				await actFrom(page, 'mute');
			}
		],
		['Undo done', () => actFrom(page, 'undo')],
		[
			'nothing changed',
			async () => {
				// Archive with nothing chosen.
				await page.goto('/messages/archive');
				await actFrom(page, 'archive');
			}
		],
		['search, nothing typed', go('/messages/search')],
		['search: results', go(`/messages/search?q=${cast.tag}`)],
		[
			'search: an older page of results',
			async () => {
				await page.goto(`/messages/search?q=${cast.tag}`);
				await page.locator('main a[rel="next"]').click();
				await page.waitForURL(/before=/);
			}
		],
		['search: no results', go(`/messages/search?q=${NOBODY}`)],
		['search: an operator not understood', go(`/messages/search?q=${NOT_UNDERSTOOD}`)],
		['search: too long', go(`/messages/search?q=${'x'.repeat(1_001)}`)],
		['new message', go('/messages/create')],
		[
			'new message: nothing entered',
			async () => {
				await page.goto('/messages/create');
				await send(page, { to: '', subject: '', message: '' });
			}
		],
		[
			'new message: no such user',
			async () => {
				await page.goto('/messages/create');
				await send(page, { to: NOBODY, subject: 'x', message: 'x' });
			}
		],
		[
			'new message: to oneself',
			async () => {
				await page.goto('/messages/create');
				await send(page, { to: cast.alice.name, subject: 'x', message: 'x' });
			}
		],
		['new message to someone', go(`/messages/create/${cast.bob.name}`)],
		['new message to no such user', go(`/messages/create/${NOBODY}`)],
		['thread', go(`/messages/thread/${thread}`)],
		[
			'thread: empty reply',
			async () => {
				await page.goto(`/messages/thread/${thread}`);
				await send(page, { content: '' });
			}
		],
		['thread, before its first message', go(`/messages/thread/${thread}?before=1`)],
		['a deleted thread', go(`/messages/thread/${deleted}`)],
		['an archived, muted thread', go(`/messages/thread/${archived}`)],
		['thread not found', go(`/messages/thread/${MISSING_THREAD_ID}`)],
		['a group thread: renamed, left, back', go(`/messages/thread/${cast.group}`)],
		[
			'add people: already in',
			async () => {
				await page.goto(`/messages/thread/${cast.group}`);
				await send(page, { to: cast.bob.name });
			}
		],
		[
			'rename: no subject',
			async () => {
				await page.goto(`/messages/thread/${cast.group}`);
				await send(page, { subject: ' ' });
			}
		],
		['add people', go(`/messages/thread/${cast.group}/add`)],
		['rename', go(`/messages/thread/${cast.group}/rename`)],
		['a thread one left', go(`/messages/thread/${cast.left}`)],
		['a thread one was added to, from now', go(`/messages/thread/${cast.addedTo}`)],
		['delete a thread', go(`/messages/thread/${thread}/delete`)],
		['log out', go('/logout')],
		['change password', go('/account/password')],
		[
			'change password: new one too short',
			async () => {
				await page.goto('/account/password');
				await send(page, { currentPassword: PASSWORD, newPassword: 'short' });
			}
		],
		[
			'change password: wrong current password',
			async () => {
				await page.goto('/account/password');
				await send(page, { currentPassword: 'wrong password', newPassword: 'a new password' });
			}
		],
		['password changed', go('/account/password?changed')],
		['account', go('/account')],
		[
			'account: email, not an address and no password',
			async () => {
				await page.goto('/account');
				await send(page, { email: 'not an address', currentPassword: '' });
			}
		],
		[
			'account: email, wrong current password',
			async () => {
				await page.goto('/account');
				await send(page, { email: 'someone@example.test', currentPassword: 'wrong password' });
			}
		],
		[
			'account: block no such user',
			async () => {
				await page.goto('/account');
				await send(page, { username: NOBODY });
			}
		],
		['account: someone blocked', go(`/account?saved=blocked&name=${cast.bob.name}`)],
		['empty Requests folder', go('/messages/requests')],
		[
			'Requests folder: declined, offering Block',
			go(`/messages/requests?declined=${cast.bob.name}`)
		],
		['appearance, signed in', go('/scheme')],
		['not found, signed in', go('/nope')],
		['a path that cannot be decoded, signed in', go(MALFORMED)],
		[
			'a form to a page without forms',
			async () => {
				await page.goto('/messages');
				await postFrom(page, '/messages');
			}
		],
		[
			'a form to an action no page has, signed in',
			async () => {
				await page.goto('/messages/deleted');
				await postFrom(page, '/messages/deleted?/nope');
			}
		],
		['empty inbox', async () => (await actAs(page, cast.carol), page.goto('/messages'))],
		['empty Deleted folder', go('/messages/deleted')],
		['empty Unread folder', go('/messages/unread')],
		['empty Archive folder', go('/messages/archive')],
		['empty Sent folder', go('/messages/sent')],
		['Requests folder', go('/messages/requests')],
		['account, strangers as requests', go('/account')]
	];
}

/**
 * Takes `page` to every stop, signed out first (its cookies are replaced): `visit` is called
 * with each stop's name and the way there, which it takes.
 */
export async function tour(
	page: Page,
	cast: Cast,
	visit: (stop: string, reach: () => Promise<void>) => Promise<void>
) {
	await page.context().clearCookies();
	for (const [name, reach] of stops(page, cast)) {
		await visit(name, async () => {
			await reach();
			// With JavaScript, the page is not done until SvelteKit has started on it.
			if (isJavaScriptProject() && !page.url().endsWith(MALFORMED)) await hydrated(page);
		});
	}
}

export async function closeCast(cast: Cast) {
	const contexts: BrowserContext[] = [cast.alice.context, cast.bob.context, cast.carol.context];
	await Promise.all(contexts.map((context) => context.close()));
}
