import type { APIRequestContext } from '@playwright/test';
import { PASSWORD, appOrigin, isBehindProxy } from './helpers';
import { expectNoProblems, test } from './hostile/fixtures';
import { errorPage, inBatches, post, type ApiUser } from './hostile/http';
import { ACTION_NAMES, shapeGroups, type Shape } from './hostile/requests';
import { everyPath } from './hostile/routes';

// Requests a client can shape, sent to every route signed in and signed out: each gets an answer
// of the app's design or a 4xx that says why, never a 5xx; every answer carries the security
// headers (README, "Abuse limits"); a HEAD is answered as its GET. The server must still answer
// afterwards: one such request used to end its process.

test.describe.configure({ timeout: 180_000 });

interface Answer {
	status: number;
	headers: Record<string, string>;
	body: string;
}

async function send(request: APIRequestContext, path: string, shape: Shape): Promise<Answer> {
	const fetch = () =>
		request.fetch(`${appOrigin()}${path}${shape.suffix ?? ''}`, {
			method: shape.method,
			data: shape.body,
			headers: {
				origin: appOrigin(),
				...(shape.contentType === undefined ? {} : { 'content-type': shape.contentType }),
				...shape.headers
			},
			maxRedirects: 0,
			failOnStatusCode: false
		});
	// A kept-alive connection the server closed after 5 s idle, just as it was used again: a
	// race of the client's, not an answer (a server that died would refuse the next one too).
	const response = await fetch().catch((error: Error) => {
		if (!error.message.includes('ECONNRESET')) throw error;
		return fetch();
	});
	return { status: response.status(), headers: response.headers(), body: await response.text() };
}

/** A browser context signed in as `user` with a session of its own (logging out ends it). */
async function newSession(http: { anonymous(): Promise<APIRequestContext> }, user: ApiUser) {
	const request = await http.anonymous();
	const sent = await post(request, '/login', [
		['username', user.name],
		['password', PASSWORD]
	]);
	if (sent.status !== 303) throw new Error(`could not log ${user.name} in: ${sent.status}`);
	return request;
}

/**
 * SvelteKit answers these before the app's code runs, so without its headers (README says so):
 * the redirect that drops a trailing slash, and its route-resolution requests.
 */
const beforeTheApp = (url: string, answer: Answer) =>
	answer.headers['x-sveltekit-normalize'] === '1' ||
	url.includes('/__route.js') ||
	// On the PostgreSQL project nginx is in front, and refuses some (a NUL in the path) itself.
	(isBehindProxy() && answer.status === 400 && /<center>nginx/.test(answer.body));

/** What is wrong with an answer's security headers, in words. */
function headerProblems(what: string, answer: Answer, signedIn: boolean): string[] {
	const { headers } = answer;
	const csp = headers['content-security-policy'] ?? '';
	const wanted: [string, boolean][] = [
		["CSP with frame-ancestors 'none'", csp.includes("frame-ancestors 'none'")],
		["CSP with object-src 'none' or default-src 'none'", /(object|default)-src 'none'/.test(csp)],
		['CSP without unsafe-inline scripts', !/script-src[^;]*unsafe-inline/.test(csp)],
		['X-Content-Type-Options: nosniff', headers['x-content-type-options'] === 'nosniff'],
		['Referrer-Policy: same-origin', headers['referrer-policy'] === 'same-origin'],
		['X-Frame-Options: DENY', headers['x-frame-options'] === 'DENY'],
		[
			'Cache-Control: private, no-store',
			!signedIn || headers['cache-control'] === 'private, no-store'
		]
	];
	return wanted.filter(([, held]) => !held).map(([header]) => `${what}: no ${header}`);
}

/** The answer's problems: a 5xx, a 4xx that does not say why, a security header missing. */
function problemsOf(what: string, path: string, shape: Shape, answer: Answer, signedIn: boolean) {
	const shown = errorPage(answer.body)?.message || answer.body.slice(0, 160);
	if (answer.status >= 500) return [`${what}: answered ${answer.status}: ${shown}`];
	const url = `${path}${shape.suffix ?? ''}`;
	const problems: string[] = [];
	// The data of a page no route has is an empty 404: only SvelteKit's client asks, for its status.
	const silent = shape.method === 'HEAD' || url.includes('/__data.json');
	if (answer.status >= 400 && !silent && !answer.body.trim()) {
		problems.push(`${what}: answered ${answer.status} without saying why`);
	}
	if (!beforeTheApp(url, answer)) problems.push(...headerProblems(what, answer, signedIn));
	return problems;
}

for (const [group, shapes] of Object.entries(shapeGroups)) {
	for (const signedIn of [false, true]) {
		test(`${group} to every route, ${signedIn ? 'signed in' : 'signed out'}: no 5xx, each 4xx says why, the security headers on every answer`, async ({
			http
		}) => {
			const [alice, bob] = await Promise.all([http.user('shape'), http.user('shape')]);
			const paths = await everyPath(alice, bob);
			const anonymous = await http.anonymous();
			const cases = paths.flatMap((path) => shapes.map((shape) => ({ path, shape })));

			const problems = (
				await inBatches(cases, async ({ path, shape }) => {
					// A post that logs out would end the session the other cases use.
					const request = !signedIn
						? anonymous
						: path === '/logout'
							? await newSession(http, alice)
							: alice.request;
					const answer = await send(request, path, shape);
					return problemsOf(`${shape.name} to ${path}`, path, shape, answer, signedIn);
				})
			).flat();
			const alive = await send(anonymous, '/status', { name: 'status', method: 'GET' });
			if (alive.status !== 200) problems.push(`the server no longer answers: ${alive.status}`);
			expectNoProblems(problems, cases.length);
		});
	}
}

test('an action name SvelteKit reserves, or one every object has, is answered as an unknown one', async ({
	http
}) => {
	const [alice, bob] = await Promise.all([http.user('action'), http.user('action')]);
	const paths = await everyPath(alice, bob);
	const anonymous = await http.anonymous();
	const odd = ACTION_NAMES.filter((name) => name !== 'nope' && name !== 'restore');
	const cases = [false, true].flatMap((signedIn) =>
		paths.flatMap((path) => [false, true].map((enhanced) => ({ signedIn, path, enhanced })))
	);
	const problems = (
		await inBatches(cases, async ({ signedIn, path, enhanced }) => {
			const request = signedIn ? alice.request : anonymous;
			const shape = (name: string): Shape => ({
				name,
				method: 'POST',
				suffix: `?/${name}`,
				body: 'a=1',
				contentType: 'application/x-www-form-urlencoded',
				headers: enhanced ? { accept: 'application/json', 'x-sveltekit-action': 'true' } : {}
			});
			const what = (name: string) =>
				`${signedIn ? 'signed in' : 'signed out'}, ${enhanced ? 'enhanced ' : ''}POST ${path}?/${name}`;
			// Sent on to log in, the way back names the action: not what is compared.
			const seen = (answer: Answer) => [
				answer.status,
				answer.headers['location']?.replace(/%3F.*/, ''),
				errorPage(answer.body) ?? answer.body.replace(/%3F[^"]*/, '')
			];
			const wanted = seen(await send(request, path, shape('nope')));
			return Promise.all(
				odd.map(async (name) => {
					const got = seen(await send(request, path, shape(name)));
					return JSON.stringify(got) === JSON.stringify(wanted)
						? []
						: [`${what(name)}: ${JSON.stringify(got)}, as ?/nope: ${JSON.stringify(wanted)}`];
				})
			);
		})
	).flat(2);
	expectNoProblems(problems, cases.length * odd.length);
});

/** The headers a HEAD must share with its GET; the CSP's nonce differs on every page. */
const SAME_HEADERS = [
	'location',
	'cache-control',
	'content-type',
	'content-security-policy',
	'x-content-type-options',
	'referrer-policy',
	'x-frame-options',
	'vary',
	'allow',
	'retry-after'
];
const sameFor = (answer: Answer) =>
	Object.fromEntries(
		SAME_HEADERS.map((name) => [name, answer.headers[name]?.replace(/'nonce-[^']*'/, "'nonce'")])
	);

test('HEAD is answered as GET is, on every route, signed in and signed out', async ({ http }) => {
	const [alice, bob] = await Promise.all([http.user('head'), http.user('head')]);
	const paths = await everyPath(alice, bob);
	const anonymous = await http.anonymous();
	const suffixes = ['', '?before=1', '/__data.json', '/%ff'];
	const cases = [false, true].flatMap((signedIn) =>
		paths.flatMap((path) => suffixes.map((suffix) => ({ signedIn, path: `${path}${suffix}` })))
	);
	const problems = (
		await inBatches(cases, async ({ signedIn, path }) => {
			const request = signedIn ? alice.request : anonymous;
			const get = await send(request, path, { name: 'GET', method: 'GET' });
			const head = await send(request, path, { name: 'HEAD', method: 'HEAD' });
			const what = `${signedIn ? 'signed in' : 'signed out'}, ${path}`;
			const problems: string[] = [];
			if (head.status !== get.status) {
				problems.push(`${what}: HEAD answered ${head.status}, GET ${get.status}`);
			}
			for (const [name, value] of Object.entries(sameFor(head))) {
				if (value !== sameFor(get)[name]) {
					problems.push(`${what}: HEAD's ${name} was ${value}, GET's ${sameFor(get)[name]}`);
				}
			}
			return problems;
		})
	).flat();
	expectNoProblems(problems, cases.length);
});
