// Users as a browser drives the app: they sign up through the forms and post replies, with the
// Origin header a browser sends; half of them as plain HTML forms (no JavaScript), half as
// enhanced forms (superforms' use:enhance). Every answer is recorded.
export const PASSWORD = 'faults-password';

/** Longer than this is a hang, not an answer: recovery is meant to take seconds. */
const REQUEST_TIMEOUT = 10_000;

/** Pause between one user's requests: the load is bounded, the machine shared. */
const THINK_MS = 5;

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

function formHeaders(base, cookie, enhanced) {
	return {
		origin: base,
		'content-type': 'application/x-www-form-urlencoded',
		...(cookie ? { cookie } : {}),
		...(enhanced
			? { accept: 'application/json', 'x-sveltekit-action': 'true' }
			: { accept: 'text/html' })
	};
}

/** One request, as a record: what was asked, when, and what came back. */
async function send(base, path, init, record) {
	const started = performance.now();
	try {
		const response = await fetch(base + path, {
			redirect: 'manual',
			signal: AbortSignal.timeout(REQUEST_TIMEOUT),
			...init
		});
		const body = await response.text();
		return {
			...record,
			started,
			ended: performance.now(),
			status: response.status,
			location: response.headers.get('location'),
			retryAfter: response.headers.get('retry-after'),
			setCookie: response.headers.get('set-cookie'),
			body
		};
	} catch (error) {
		return {
			...record,
			started,
			ended: performance.now(),
			status: 0,
			error: String(error.cause ?? error)
		};
	}
}

/** Signs up through the form; the user with the session cookie. */
export async function signUp(base, username) {
	const answer = await send(base, '/signup', {
		method: 'POST',
		headers: formHeaders(base, undefined, false),
		body: new URLSearchParams({ username, password: PASSWORD })
	});
	const cookie = answer.setCookie?.match(/session=[^;]+/)?.[0];
	if (answer.status !== 303 || !cookie) throw new Error(`Sign-up of ${username}: ${answer.status}`);
	return { username, cookie };
}

/** Starts a thread from `user` to `others` through the compose form; its id. */
export async function startThread(base, user, others, subject) {
	const answer = await send(base, '/messages/create', {
		method: 'POST',
		headers: formHeaders(base, user.cookie, false),
		body: new URLSearchParams({ to: others.join(' '), subject, message: `${subject}: first` })
	});
	const id = answer.location?.match(/\/messages\/thread\/([a-z2-7]+)/)?.[1];
	if (answer.status !== 303 || !id) throw new Error(`New thread: ${answer.status} ${answer.body}`);
	return id;
}

/** Posts a reply; `acknowledged` when the app answered that it was sent, with the message id. */
export async function reply(base, user, threadId, content, enhanced) {
	const answer = await send(
		base,
		`/messages/thread/${threadId}`,
		{
			method: 'POST',
			headers: formHeaders(base, user.cookie, enhanced),
			body: new URLSearchParams({ content })
		},
		{ kind: 'reply', enhanced, threadId, content }
	);
	// An enhanced form is answered 200 with the redirect in JSON; a plain one with the redirect.
	const location = enhanced ? parseJson(answer.body)?.location : answer.location;
	const messageId = location?.match(/#message-(\d+)$/)?.[1];
	const acknowledged = answer.status === (enhanced ? 200 : 303) && messageId !== undefined;
	return { ...answer, acknowledged, messageId: Number(messageId) };
}

export function parseJson(text) {
	try {
		return JSON.parse(text);
	} catch {
		return undefined;
	}
}

export function get(base, user, path) {
	return send(
		base,
		path,
		{ headers: { cookie: user.cookie, accept: 'text/html' } },
		{ kind: 'get', path }
	);
}

/**
 * Each user posts replies with unique content to one of `threads`, and every other turn loads
 * a page, until `running()` turns false. Odd users post as enhanced forms.
 */
export async function runLoad({ base, users, threads, prefix, running, record }) {
	await Promise.all(
		users.map(async (user, u) => {
			const threadId = threads[u % threads.length];
			for (let n = 0; running(); n++) {
				const content = `${prefix}-u${u}-${n}-${Math.random().toString(36).slice(2, 8)}`;
				const answer = await reply(base, user, threadId, content, u % 2 === 1);
				record(answer);
				// A server that is not there refuses at once: do not spin.
				if (answer.status === 0) await sleep(100);
				if (n % 2 === 1) {
					const path = n % 4 === 1 ? '/messages' : `/messages/thread/${threadId}`;
					record(await get(base, user, path));
				}
				await sleep(THINK_MS);
			}
		})
	);
}
