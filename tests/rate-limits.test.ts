import type {
	APIResponse,
	Browser,
	BrowserContext,
	Locator,
	Page,
	Response
} from '@playwright/test';
import {
	PASSWORD,
	expect,
	expectSeeOther,
	freshWindow,
	isFormPost,
	listing,
	postForm,
	register,
	sendReply,
	startThread,
	test,
	threadMessageIds,
	uniqueName
} from './helpers';

// Runs only against the `limits` server of playwright.config.ts, whose settings are:
// log-ins 3 per account and 5 per address, sign-ups 2 per address, messages 4 per minute,
// threads 2 per day, recipients 2. It takes the client address from X-Forwarded-For.

/** An address no other test uses, so each test has counters of its own. */
const newAddress = () => `10.${[...crypto.getRandomValues(new Uint8Array(3))].join('.')}`;

const contexts: BrowserContext[] = [];
test.afterEach(async () => {
	await Promise.all(contexts.splice(0).map((context) => context.close()));
});

/** A browser context that comes from an address of its own, or from `address`. */
async function fromNewAddress(browser: Browser, address = newAddress()): Promise<BrowserContext> {
	const context = await browser.newContext({ extraHTTPHeaders: { 'x-forwarded-for': address } });
	contexts.push(context);
	return context;
}

/** "Try again in 40 seconds." and the like: how long depends on when the fixed window ends. */
const TRY_AGAIN = String.raw`Try again in \d+ (second|minute|hour)s?\.`;

const MINUTE = 60;
/** The windows of the limits (src/lib/server/limits.ts), in seconds. */
const WINDOW = {
	login: 15 * MINUTE,
	signup: 60 * MINUTE,
	messages: MINUTE,
	threads: 24 * 60 * MINUTE
};

/**
 * A test's counted requests all fall within this many seconds (on a busy machine). Limits count
 * hits in fixed windows, `floor(epoch / seconds)`, on the database's clock (the `limits` server's
 * embedded one: this machine's); a burst that crossed the end of a window would start counting
 * afresh there and let an extra request through. So each burst starts in a window with at least
 * this long left (`freshWindow`).
 */
const BURST_SECONDS = 15;

/**
 * A refusal that says to wait until the window ends: Retry-After is the seconds from when the
 * server counted the request (between `sent` and now) to `windowEnd`, rounded up.
 */
function expectRetryAfter(response: APIResponse | Response, sent: number, windowEnd: number) {
	const received = Date.now();
	expect(received, 'the burst stayed within one window').toBeLessThan(windowEnd);
	const retryAfter = Number(response.headers()['retry-after']);
	expect(retryAfter).toBeGreaterThanOrEqual(Math.max(1, Math.floor((windowEnd - received) / 1000)));
	expect(retryAfter).toBeLessThanOrEqual(Math.ceil((windowEnd - sent) / 1000));
}

/** Sends `request` and expects a 429 with `message`, refused until `windowEnd`. */
async function expectTooMany(
	request: () => Promise<APIResponse>,
	message: RegExp,
	windowEnd: number
) {
	const sent = Date.now();
	const response = await request();
	expect(response.status()).toBe(429);
	expectRetryAfter(response, sent, windowEnd);
	expect(await response.text()).toMatch(message);
}

/** Clicks `submit`, whose form the server refuses with 429 until `windowEnd`. */
async function expectFormTooMany(page: Page, submit: Locator, windowEnd: number) {
	const sent = Date.now();
	const [response] = await Promise.all([page.waitForResponse(isFormPost), submit.click()]);
	expectRetryAfter(response, sent, windowEnd);
	// The page itself is the 429, or an enhanced form gets it as data.
	if (response.headers()['content-type']?.startsWith('application/json')) {
		expect(await response.json()).toMatchObject({ type: 'failure', status: 429 });
	} else expect(response.status()).toBe(429);
}

const logIn = (context: BrowserContext, username: string, password: string) =>
	postForm(context.request, '/login', { username, password });

test('log-ins: 3 per account, then 429 even with the right password', async ({ browser }) => {
	const alice = await register(await fromNewAddress(browser), 'alice');
	const attacker = await fromNewAddress(browser);
	const elsewhere = await fromNewAddress(browser);

	const windowEnd = await freshWindow(WINDOW.login, BURST_SECONDS);
	for (let i = 0; i < 3; i++) {
		expect((await logIn(attacker, alice.name, 'wrong password')).status()).toBe(400);
	}
	await expectTooMany(
		() => logIn(attacker, alice.name, PASSWORD),
		new RegExp(`Too many log-in attempts\\. ${TRY_AGAIN}`),
		windowEnd
	);
	// Another address is refused too: the account itself is protected.
	expect((await logIn(elsewhere, alice.name, PASSWORD)).status()).toBe(429);
	// Other accounts are not.
	const bob = await register(await fromNewAddress(browser), 'bob');
	expect((await logIn(attacker, bob.name, PASSWORD)).status()).toBe(303);
});

test('log-ins: once an account is locked, no look-alike of its name gets in', async ({
	browser
}) => {
	// Its name has the letters the look-alikes replace: i, k, s and an underscore.
	const kristi = await register(await fromNewAddress(browser), 'kristi');
	const attacker = await fromNewAddress(browser);
	const windowEnd = await freshWindow(WINDOW.login, BURST_SECONDS);
	for (let i = 0; i < 3; i++) {
		expect((await logIn(attacker, kristi.name, 'wrong password')).status()).toBe(400);
	}
	const name = kristi.name;
	const fullwidth = name.replace(/[a-z]/g, (c) => String.fromCharCode(c.charCodeAt(0) + 0xfee0));
	// The same name in another case or with white space around it: the same locked account.
	for (const same of [name.toUpperCase(), `\u3000${name}\u2003`]) {
		await expectTooMany(
			() => logIn(attacker, same, PASSWORD),
			/Too many log-in attempts/,
			windowEnd
		);
	}
	// Names that lower-case to it in JavaScript or PostgreSQL, or look like it: no such account.
	// Each from an address of its own, so that only the account's lock could stop them.
	for (const lookAlike of [
		name.replace('i', 'İ'),
		name.replace('i', 'ı'),
		name.replace('k', '\u212a'),
		name.replace('s', 'ſ'),
		fullwidth,
		name.replace('_', '\u00a0'),
		`${name}\u200b`
	]) {
		const client = await fromNewAddress(browser);
		const response = await logIn(client, lookAlike, PASSWORD);
		expect(response.status(), lookAlike).toBe(400);
		expect(await response.text(), lookAlike).toContain('Incorrect username or password.');
		expect((await client.request.get('/messages', { maxRedirects: 0 })).status(), lookAlike).toBe(
			303
		);
	}
});

test('log-ins: a success clears the account’s failures', async ({ browser }) => {
	const alice = await register(await fromNewAddress(browser), 'alice');
	const client = await fromNewAddress(browser);
	const other = await fromNewAddress(browser);
	await freshWindow(WINDOW.login, BURST_SECONDS);
	for (let i = 0; i < 2; i++) {
		expect((await logIn(client, alice.name, 'wrong password')).status()).toBe(400);
	}
	expect((await logIn(client, alice.name, PASSWORD)).status()).toBe(303);
	for (let i = 0; i < 2; i++) {
		expect((await logIn(other, alice.name, 'wrong password')).status()).toBe(400);
	}
	expect((await logIn(other, alice.name, PASSWORD)).status()).toBe(303);
});

test('the password page counts against log-ins too, and the right password clears it', async ({
	browser
}) => {
	const alice = await register(await fromNewAddress(browser), 'alice');
	let password = PASSWORD;
	const change = (currentPassword: string) =>
		postForm(alice.request, '/account/password', {
			currentPassword,
			newPassword: `${password}!`
		});
	const windowEnd = await freshWindow(WINDOW.login, BURST_SECONDS);
	for (let i = 0; i < 2; i++) expect((await change('wrong password')).status()).toBe(400);
	expect((await change(password)).status()).toBe(303);
	password = `${password}!`;
	for (let i = 0; i < 3; i++) expect((await change('wrong password')).status()).toBe(400);
	await expectTooMany(() => change(password), new RegExp(TRY_AGAIN), windowEnd);
});

test('log-ins: 5 per address, whatever the account', async ({ browser }) => {
	const client = await fromNewAddress(browser);
	const windowEnd = await freshWindow(WINDOW.login, BURST_SECONDS);
	for (let i = 0; i < 5; i++) {
		expect((await logIn(client, uniqueName('nobody'), 'wrong password')).status()).toBe(400);
	}
	await expectTooMany(
		() => logIn(client, uniqueName('nobody'), 'wrong password'),
		/Too many log-in attempts/,
		windowEnd
	);
});

test('the log-in page shows the 429 message and keeps the username', async ({ browser }) => {
	const alice = await register(await fromNewAddress(browser), 'alice');
	const page = await (await fromNewAddress(browser)).newPage();
	await page.goto('/login');
	const windowEnd = await freshWindow(WINDOW.login, BURST_SECONDS);
	for (let i = 0; i < 4; i++) {
		await page.getByLabel('Username').fill(alice.name);
		await page.getByLabel('Password').fill('wrong password');
		const submit = page.getByRole('button', { name: 'Log in' });
		if (i < 3) await submit.click();
		else await expectFormTooMany(page, submit, windowEnd);
		await expect(page.getByRole('alert')).toContainText(
			i < 3 ? 'Incorrect username or password.' : 'Too many log-in attempts.'
		);
	}
	await expect(page.getByLabel('Username')).toHaveValue(alice.name);
	await expect(page.getByLabel('Password')).toHaveValue('');
});

test('the machine itself is not limited per address, but its accounts are', async ({ browser }) => {
	const local = await fromNewAddress(browser, '127.0.0.1');
	for (let i = 0; i < 3; i++) {
		const signedUp = await postForm(local.request, '/signup', {
			username: uniqueName('local'),
			password: PASSWORD
		});
		expectSeeOther(signedUp, '/messages');
		await local.clearCookies();
	}
	const alice = await register(await fromNewAddress(browser), 'alice');
	const windowEnd = await freshWindow(WINDOW.login, BURST_SECONDS);
	for (let i = 0; i < 3; i++) {
		expect((await logIn(local, alice.name, 'wrong password')).status()).toBe(400);
	}
	await expectTooMany(() => logIn(local, alice.name, PASSWORD), new RegExp(TRY_AGAIN), windowEnd);
});

test('sign-ups: 2 per address, and a refused one creates nothing', async ({ browser }) => {
	const client = await fromNewAddress(browser);
	const signUp = (username: string) =>
		postForm(client.request, '/signup', { username, password: PASSWORD });
	const windowEnd = await freshWindow(WINDOW.signup, BURST_SECONDS);
	for (let i = 0; i < 2; i++) {
		expect((await signUp(uniqueName('user'))).status()).toBe(303);
		await client.clearCookies();
	}
	const refused = uniqueName('user');
	await expectTooMany(
		() => signUp(refused),
		/Too many accounts made from this address\./,
		windowEnd
	);
	// The name is still free, from another address.
	const other = await fromNewAddress(browser);
	const response = await postForm(other.request, '/signup', {
		username: refused,
		password: PASSWORD
	});
	expect(response.status()).toBe(303);
});

test('sending: 4 messages a minute; the fifth is refused, written nowhere, text kept', async ({
	browser
}) => {
	const [alice, bob] = await Promise.all([
		fromNewAddress(browser).then((context) => register(context, 'alice')),
		fromNewAddress(browser).then((context) => register(context, 'bob'))
	]);
	const page = await alice.context.newPage();
	// Starting the thread counts as the first message of the four.
	const windowEnd = await freshWindow(WINDOW.messages, BURST_SECONDS);
	const threadId = await startThread(alice.request, bob.name);
	for (let i = 0; i < 3; i++) await sendReply(alice.request, threadId, `Reply ${i}`);
	const before = await threadMessageIds(alice.request, threadId);
	expect(before).toHaveLength(4);

	await page.goto(`/messages/thread/${threadId}`);
	await page.getByLabel('Reply').fill('One too many');
	await expectFormTooMany(page, page.getByRole('button', { name: 'Send reply' }), windowEnd);
	await expect(page.getByRole('alert')).toContainText(
		new RegExp(`You are sending messages too fast\\. ${TRY_AGAIN}`)
	);
	await expect(page.getByLabel('Reply')).toHaveValue('One too many');
	expect(await threadMessageIds(alice.request, threadId)).toEqual(before);
	// Bob has his own allowance.
	await sendReply(bob.request, threadId, 'Bob is fine');
});

test('new threads: 2 a day; the third is refused with a message', async ({ browser }) => {
	const [alice, bob] = await Promise.all([
		fromNewAddress(browser).then((context) => register(context, 'alice')),
		fromNewAddress(browser).then((context) => register(context, 'bob'))
	]);
	const page = await alice.context.newPage();
	const windowEnd = await freshWindow(WINDOW.threads, BURST_SECONDS);
	await startThread(alice.request, bob.name);
	await startThread(alice.request, bob.name);

	await page.goto(`/messages/create/${bob.name}`);
	await page.getByLabel('Subject').fill('Third');
	await page.getByLabel('Message').fill('Hello again');
	await expectFormTooMany(page, page.getByRole('button', { name: 'Send', exact: true }), windowEnd);
	await expect(page.getByRole('alert')).toContainText(
		new RegExp(`You have sent too many messages for now\\. ${TRY_AGAIN}`)
	);
	await expect(page.getByLabel('Message')).toHaveValue('Hello again');
	expect((await listing(alice.request)).rows).toHaveLength(2);
});

test('adding people counts as a new thread: after 2 a day, Add is refused with a message', async ({
	browser
}) => {
	const [alice, bob, carol, dave] = await Promise.all(
		['alice', 'bob', 'carol', 'dave'].map((name) =>
			fromNewAddress(browser).then((context) => register(context, name))
		)
	);
	const page = await alice.context.newPage();
	const windowEnd = await freshWindow(WINDOW.threads, BURST_SECONDS);
	const threadId = await startThread(alice.request, bob.name);
	const add = (name: string) =>
		postForm(alice.request, `/messages/thread/${threadId}/add`, { to: name });
	expect((await add(carol.name)).status()).toBe(303);

	await page.goto(`/messages/thread/${threadId}`);
	const form = page.getByRole('form', { name: 'Add people' });
	await form.getByLabel('Add', { exact: true }).fill(dave.name);
	await expectFormTooMany(page, form.getByRole('button', { name: 'Add', exact: true }), windowEnd);
	await expect(page.getByRole('alert')).toContainText(
		new RegExp(`You have sent too many messages for now\\. ${TRY_AGAIN}`)
	);
	await expect(form.getByLabel('Add', { exact: true })).toHaveValue(dave.name);
	expect((await listing(dave.request)).rows).toEqual([]);
	expect((await listing(carol.request)).rows).toHaveLength(1);
});

test('recipients: at most 2 per message here, reported next to the field', async ({ browser }) => {
	const users = await Promise.all(
		['alice', 'bob', 'carol', 'dave'].map(async (name) =>
			register(await fromNewAddress(browser), name)
		)
	);
	const [alice, ...others] = users;
	const response = await postForm(alice.request, '/messages/create', {
		to: others.map((user) => user.name).join(' '),
		subject: 'Too many',
		message: 'Hello all'
	});
	expect(response.status()).toBe(400);
	expect(await response.text()).toContain('At most 2 recipients.');
	await startThread(
		alice.request,
		others.slice(0, 2).map((user) => user.name)
	);
});
