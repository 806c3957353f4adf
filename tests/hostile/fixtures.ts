import type { APIRequestContext } from '@playwright/test';
import postgres from 'postgres';
import { THREAD_PATH, appOrigin, expect, isBehindProxy, test as base } from '../helpers';
import { post, signUpOverHttp, type ApiUser, type Sent } from './http';
import type { Outcome, Verdict } from './rules';

export const test = base.extend<{
	http: {
		user(prefix: string): Promise<ApiUser>;
		/** A request context with no cookies of its own. */
		anonymous(): Promise<APIRequestContext>;
	};
}>({
	http: async ({ playwright }, use) => {
		const contexts: APIRequestContext[] = [];
		await use({
			user: async (prefix) => {
				const user = await signUpOverHttp(playwright, prefix);
				contexts.push(user.request);
				return user;
			},
			anonymous: async () => {
				const context = await playwright.request.newContext({ baseURL: appOrigin() });
				contexts.push(context);
				return context;
			}
		});
		await Promise.all(contexts.map((context) => context.dispose()));
	}
});

export function expectNoProblems(problems: string[], cases: number) {
	test.info().annotations.push({ type: 'cases', description: String(cases) });
	expect(problems, `${problems.length} problems over ${cases} cases`).toEqual([]);
}

/** On the PostgreSQL project, runs `check` against the app's database itself. */
export async function onPostgres(check: (sql: postgres.Sql) => Promise<void>) {
	const url = process.env.TEST_DATABASE_URL;
	if (!url || !test.info().project.name.startsWith('postgres')) return;
	const sql = postgres(url, { max: 1, onnotice: () => {} });
	try {
		await check(sql);
	} finally {
		await sql.end();
	}
}

export const threadIdOf = (sent: Sent) => sent.location?.match(THREAD_PATH)?.[1];

/** Markup that would run if a page let it through unescaped. */
export const isScript = (text: string) => /<[a-z/!]/i.test(text) && /__xss|alert\(/.test(text);

/** Records how `actual` differs from `expected`: for lists, the first place they part. */
export function differ(problems: string[], what: string, actual: unknown, expected: unknown) {
	if (JSON.stringify(actual) === JSON.stringify(expected)) return;
	const clip = (value: unknown) => (JSON.stringify(value) ?? 'undefined').slice(0, 240);
	if (Array.isArray(actual) && Array.isArray(expected)) {
		const at = actual.findIndex((item, i) => JSON.stringify(item) !== JSON.stringify(expected[i]));
		const i = at === -1 ? Math.min(actual.length, expected.length) : at;
		problems.push(
			`${what}: ${actual.length} items, expected ${expected.length}; from #${i} got ${clip(actual.slice(i, i + 3))}, expected ${clip(expected.slice(i, i + 3))}`
		);
	} else {
		problems.push(`${what}: got ${clip(actual)}, expected ${clip(expected)}`);
	}
}

/** Starts a thread over HTTP and returns its id. */
export async function startThread(from: ApiUser, to: ApiUser, subject = 'Hostile input') {
	const sent = await post(from.request, '/messages/create', [
		['to', to.name],
		['subject', subject],
		['message', 'The first message.']
	]);
	const id = threadIdOf(sent);
	if (!id) throw new Error(`could not start a thread: ${sent.status}`);
	return id;
}

/** A form's answer: `accepted`, or 400 with the rule's message next to `field`, input kept. */
export function formOutcome(
	verdict: Verdict,
	accepted: Outcome,
	field: string,
	others: string[],
	kept?: string
): Outcome {
	return 'accepted' in verdict
		? accepted
		: { status: 400, field, error: verdict.error, others, kept };
}

/** A redirect that stays on this site: a path, not `//host` (nor `/\host`, which browsers read so). */
export function isOnSite(location: string | undefined) {
	if (!location || !location.startsWith('/') || /^\/[/\\]/.test(location)) return false;
	return new URL(location, appOrigin()).origin === appOrigin();
}

/** Whether these bytes are UTF-8: a path segment that is not cannot be decoded (400). */
export const isUtf8 = (value: string | Uint8Array) => {
	try {
		new TextDecoder('utf-8', { fatal: true }).decode(Buffer.from(value));
		return true;
	} catch {
		return false;
	}
};

/**
 * A route parameter's answer when no thread or user has that name. nginx refuses a path with a
 * NUL byte itself (400, its own page).
 */
export const missing = (value: string | Uint8Array): Outcome =>
	isBehindProxy() && Buffer.from(value).includes(0)
		? { status: 400, byProxy: true }
		: isUtf8(value)
			? { status: 404 }
			: { status: 400, message: 'This address or request could not be read.' };
