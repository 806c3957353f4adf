import {
	expect,
	test as base,
	type APIRequestContext,
	type APIResponse,
	type BrowserContext,
	type Locator,
	type Page,
	type Response
} from '@playwright/test';

let made = 0;

/**
 * For a test whose steps must fall within one fixed window of `windowSeconds` (counted from the
 * epoch, as a rate limit's window or a UTC day is): when less than `needSeconds` of the current
 * one is left, waits for the next to begin (a wait computed from the clock, never more than
 * `needSeconds`, and added to the test's timeout). The server runs on this machine, so shares its
 * clock. Gives the end of the window the test's steps fall in, in ms since the epoch.
 */
export async function freshWindow(windowSeconds: number, needSeconds: number): Promise<number> {
	const length = windowSeconds * 1000;
	const end = (Math.floor(Date.now() / length) + 1) * length;
	const left = end - Date.now();
	if (left >= needSeconds * 1000) return end;
	test.setTimeout(test.info().timeout + left);
	await new Promise((resolve) => setTimeout(resolve, left + 50));
	return end + length;
}

/** A username no other test (or earlier run against the same PostgreSQL) has used. */
export function uniqueName(prefix = 'user'): string {
	return `${prefix}_${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}${++made}`;
}

export const PASSWORD = 'correct horse battery';

/** A well-formed thread id that no thread has: real ids are 80 random bits. */
export const MISSING_THREAD_ID = 'aaaaaaaaaaaaaaaa';

/** Signs up a fresh user through the form and leaves the page on their inbox. */
export async function signUp(page: Page, username = uniqueName()): Promise<string> {
	await page.goto('/signup');
	await page.getByLabel('Username').fill(username);
	await page.getByLabel('Password').fill(PASSWORD);
	await page.getByRole('button', { name: 'Sign up' }).click();
	await expect(page).toHaveURL(/\/messages$/);
	return username;
}

/** The origin the app is served on: same-origin form posts must carry it (CSRF check). */
export function appOrigin(): string {
	const { baseURL } = test.info().project.use;
	if (!baseURL) throw new Error('the project has no baseURL');
	return baseURL;
}

/**
 * Whether the project reaches the app through nginx (PostgreSQL, two instances), which itself
 * refuses some malformed requests before the app sees them.
 */
export function isBehindProxy(): boolean {
	return test.info().project.metadata?.proxy === 'nginx';
}

export function isJavaScriptProject(): boolean {
	return test.info().project.use.javaScriptEnabled !== false;
}

/** A form POST as a browser without JavaScript sends it; redirects are returned, not followed. */
export function postForm(
	request: APIRequestContext,
	path: string,
	form: Record<string, string>,
	origin = appOrigin()
): Promise<APIResponse> {
	return request.post(path, {
		form,
		headers: { Origin: origin, Accept: 'text/html' },
		maxRedirects: 0
	});
}

/**
 * Where an anonymous request for `path` (with its query) is sent: the login page, with the path
 * to come back to written as SPEC §3 writes it, slashes as they are.
 */
export function loginRedirectTo(path: string): string {
	return `/login?redirectTo=${encodeURIComponent(path).replaceAll('%2F', '/')}`;
}

/**
 * A page's HTML without what differs in every response of it: the CSP nonce, and the time its
 * mailbox summary was read (`mailboxAt`).
 */
export function sameEveryTime(html: string): string {
	return html.replace(/ nonce="[^"]*"/g, ' nonce=""').replace(/mailboxAt:\d+/g, 'mailboxAt:0');
}

/** Asserts a 303 and returns its Location. */
export function expectSeeOther(response: APIResponse, location: string | RegExp): string {
	expect(response.status(), `${response.url()} should redirect`).toBe(303);
	const target = response.headers()['location'];
	if (typeof location === 'string') expect(target).toBe(location);
	else expect(target).toMatch(location);
	return target;
}

/** A signed-in user: a browser context of their own (cookies shared with `request`). */
export interface User {
	name: string;
	context: BrowserContext;
	request: APIRequestContext;
}

/** Signs up a fresh user over HTTP in this context, which is then signed in as them. */
export async function register(context: BrowserContext, prefix = 'user'): Promise<User> {
	const name = uniqueName(prefix);
	const response = await postForm(context.request, '/signup', {
		username: name,
		password: PASSWORD
	});
	expectSeeOther(response, '/messages');
	return { name, context, request: context.request };
}

/** The session token a browser context holds. */
export async function sessionToken(context: BrowserContext): Promise<string> {
	const cookie = (await context.cookies()).find((c) => c.name === 'session');
	expect(cookie, 'session cookie').toBeDefined();
	return cookie!.value;
}

/** Replays a session token without a cookie jar: does the server still accept it? */
export async function sessionWorks(token: string): Promise<boolean> {
	const response = await fetch(`${appOrigin()}/messages`, {
		headers: { Cookie: `session=${token}` },
		redirect: 'manual'
	});
	return response.status === 200;
}

/** Makes `page` act as `user` from its next navigation: cheaper than a page of their own. */
export async function actAs(page: Page, user: User): Promise<void> {
	await page.context().clearCookies();
	await page.context().addCookies(await user.context.cookies());
}

export const test = base.extend<{
	/** Signs up a fresh user in a new browser context (closed after the test). */
	newUser: (prefix?: string) => Promise<User>;
}>({
	newUser: async ({ browser }, use) => {
		const contexts: BrowserContext[] = [];
		await use(async (prefix) => {
			const context = await browser.newContext();
			contexts.push(context);
			return register(context, prefix);
		});
		await Promise.all(contexts.map((context) => context.close()));
	}
});

export { expect };

/** A thread page's path, capturing the id. */
export const THREAD_PATH = /^\/messages\/thread\/([a-z2-7]{16})$/;

/** For `toHaveURL`: a thread page, without an anchor. */
export const THREAD_PAGE = /\/messages\/thread\/[a-z2-7]{16}$/;

/** The id of the thread the page shows. */
export function shownThreadId(page: Page): string {
	const match = new URL(page.url()).pathname.match(THREAD_PATH);
	if (!match) throw new Error(`not a thread page: ${page.url()}`);
	return match[1];
}

/** Starts a thread over HTTP, as the compose form would; returns its id. */
export async function startThread(
	request: APIRequestContext,
	to: string | string[],
	subject = uniqueName('subject'),
	message = 'Hello there.'
): Promise<string> {
	const response = await postForm(request, '/messages/create', {
		to: Array.isArray(to) ? to.join(', ') : to,
		subject,
		message
	});
	return expectSeeOther(response, THREAD_PATH).match(THREAD_PATH)![1];
}

/** Replies over HTTP, as the reply form would; returns the new message's id. */
export async function sendReply(
	request: APIRequestContext,
	threadId: string,
	content = 'A reply.'
): Promise<number> {
	const response = await postForm(request, `/messages/thread/${threadId}`, { content });
	const location = expectSeeOther(
		response,
		new RegExp(`^/messages/thread/${threadId}#message-\\d+$`)
	);
	return Number(location.split('#message-')[1]);
}

export interface Listing {
	/** The threads listed inside `<main>`, in page order. */
	rows: { id: string; unread: boolean }[];
	/** The header's `data-unread-count`. */
	unreadCount: number;
	html: string;
}

/** A folder page (`/messages`, `/messages/deleted`, …) as the server renders it. */
export async function listing(request: APIRequestContext, path = '/messages'): Promise<Listing> {
	const response = await request.get(path, { maxRedirects: 0 });
	expect(response.status(), `GET ${path}`).toBe(200);
	const html = await response.text();
	const main = html.slice(html.indexOf('<main'), html.indexOf('</main>'));
	const rows = [...main.matchAll(/<[a-z]+\b[^>]*\sdata-thread="([^"]*)"[^>]*>/g)].map((tag) => ({
		id: tag[1],
		unread: /\sdata-unread="true"/.test(tag[0])
	}));
	const count = html.match(/\sdata-unread-count="(\d+)"/);
	expect(count, 'header link with data-unread-count').not.toBeNull();
	return { rows, unreadCount: Number(count![1]), html };
}

/** The messages of a thread page, as the server renders it, oldest first. */
export async function threadMessageIds(request: APIRequestContext, threadId: string) {
	const response = await request.get(`/messages/thread/${threadId}`, { maxRedirects: 0 });
	expect(response.status()).toBe(200);
	const html = await response.text();
	return [...html.matchAll(/\sdata-message="(\d+)"/g)].map((m) => Number(m[1]));
}

/** The header's link to the inbox, which carries the unread count. */
export function inboxLink(page: Page): Locator {
	return page.locator('header a[href="/messages"][data-unread-count]');
}

/** A thread's row in the page's own listing. */
export function threadRow(page: Page, threadId: string): Locator {
	return page.locator(`main [data-thread="${threadId}"]`);
}

/**
 * Whether a response answers a form's post, not the time zone that the first signed-in page saves
 * in the background with JavaScript (a POST of its own, which a test could take for its form's).
 */
export const isFormPost = (response: Response): boolean =>
	response.request().method() === 'POST' && !response.url().endsWith('/account?/timeZone');

/**
 * Clicks a submit button whose form the server must reject with 400: without JavaScript the POST
 * itself answers 400; with it the enhanced form gets the failure (status 400) as data, and the
 * error must appear without a full page load, which `expectNoPageLoad` then checks.
 */
export async function submitRejected(page: Page, submit: Locator): Promise<void> {
	const js = isJavaScriptProject();
	if (js) await hydrated(page);
	if (js) await page.evaluate(() => ((window as unknown as { __marker: number }).__marker = 1));
	const [response] = await Promise.all([page.waitForResponse(isFormPost), submit.click()]);
	if (js) expect(await response.json()).toMatchObject({ type: 'failure', status: 400 });
	else expect(response.status()).toBe(400);
}

/**
 * Waits until SvelteKit has hydrated the page, so that forms are enhanced: its router sets
 * `history.scrollRestoration` to 'manual' once started.
 */
export async function hydrated(page: Page): Promise<void> {
	await page.waitForFunction(() => history.scrollRestoration === 'manual');
}

/** With JavaScript, waits until the page is hydrated and so acts as a user's; without, at once. */
export async function ready(page: Page): Promise<void> {
	if (isJavaScriptProject()) await hydrated(page);
}

/** Goes to `path`, ready to be used (see `ready`). */
export async function visit(page: Page, path: string): Promise<void> {
	await page.goto(path);
	await ready(page);
}

/** The notice a page shows after an action (what was done, Undo) or about itself. */
export function pageNotice(page: Page): Locator {
	return page.locator('main').getByRole('status');
}

/** With JavaScript: the page that `submitRejected` marked is still the one shown. */
export async function expectNoPageLoad(page: Page): Promise<void> {
	if (!isJavaScriptProject()) return;
	const marker = await page.evaluate(() => (window as unknown as { __marker?: number }).__marker);
	expect(marker, 'the error came without a full page load').toBe(1);
}

/** The field is marked invalid and described by `error`, shown next to it. */
export async function expectFieldError(field: Locator, error: string | RegExp): Promise<void> {
	await expect(field).toHaveAttribute('aria-invalid', 'true');
	const text = typeof error === 'string' ? new RegExp(escapeRegExp(error)) : error;
	await expect(field).toHaveAccessibleDescription(text);
}

export function escapeRegExp(text: string): string {
	return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Submits, expects a 400 with `error` next to `field`, and (with JavaScript) no page load. */
export async function expectRejected(
	page: Page,
	submit: Locator,
	field: Locator,
	error: string | RegExp
): Promise<void> {
	await submitRejected(page, submit);
	await expectFieldError(field, error);
	await expectNoPageLoad(page);
}
