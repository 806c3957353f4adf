import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { MISSING_THREAD_ID } from '../helpers';
import { startThread } from './fixtures';
import { post, type ApiUser } from './http';

/** Every route of the app, as SvelteKit names it: `/messages/thread/[id=threadId]`. */
export function routeIds(dir = 'src/routes', id = ''): string[] {
	const entries = readdirSync(dir, { withFileTypes: true });
	const own = entries.some((entry) => /^\+(page|server)\./.test(entry.name)) ? [id || '/'] : [];
	return [
		...own,
		...entries
			.filter((entry) => entry.isDirectory())
			.flatMap((entry) => routeIds(join(dir, entry.name), `${id}/${entry.name}`))
	];
}

/**
 * Paths to every route, for `user`: a thread of theirs, one they deleted and one that does not
 * exist, a user to write to and one that does not exist; and paths no route has. A route added
 * to the app must be added here, or this throws.
 */
export async function everyPath(user: ApiUser, other: ApiUser): Promise<string[]> {
	const [thread, deleted] = await Promise.all([startThread(user, other), startThread(other, user)]);
	await post(user.request, `/messages/thread/${deleted}/delete`, []);
	const threads = [thread, deleted, MISSING_THREAD_ID].map((id) => `/messages/thread/${id}`);
	const paths: Record<string, string[]> = {
		'/': ['/'],
		'/status': ['/status'],
		'/login': ['/login'],
		'/signup': ['/signup'],
		'/logout': ['/logout'],
		'/scheme': ['/scheme'],
		'/account': ['/account'],
		'/account/password': ['/account/password'],
		'/messages': ['/messages'],
		'/messages/deleted': ['/messages/deleted'],
		'/messages/unread': ['/messages/unread'],
		'/messages/archive': ['/messages/archive'],
		'/messages/sent': ['/messages/sent'],
		'/messages/requests': ['/messages/requests'],
		'/messages/search': ['/messages/search', '/messages/search?q=hello'],
		'/messages/selection': ['/messages/selection'],
		'/messages/recipients': ['/messages/recipients', '/messages/recipients?q=a'],
		// None: the live event stream never ends, so a request here is never read to its end;
		// tests/live.test.ts asks it what it answers (signed out, signed in, HEAD).
		'/messages/events': [],
		'/messages/create/[[username]]': [
			'/messages/create',
			`/messages/create/${other.name}`,
			'/messages/create/nobody-by-that-name'
		],
		'/messages/thread/[id=threadId]': threads,
		'/messages/thread/[id=threadId]/delete': threads.map((path) => `${path}/delete`),
		'/messages/thread/[id=threadId]/restore': threads.map((path) => `${path}/restore`),
		...Object.fromEntries(
			['add', 'block', 'rename', 'leave', 'rejoin'].map((action) => [
				`/messages/thread/[id=threadId]/${action}`,
				threads.map((path) => `${path}/${action}`)
			])
		),
		// Links from mails: a forged one, and one that is no token at all.
		'/unsubscribe/[token]': [`/unsubscribe/1.all.${'A'.repeat(43)}`, '/unsubscribe/x'],
		'/email/verify/[token]': [`/email/verify/1.99999999999.${'A'.repeat(43)}`, '/email/verify/x']
	};
	const unlisted = routeIds().filter((id) => !Object.hasOwn(paths, id));
	if (unlisted.length) throw new Error(`tests/hostile/routes.ts has no paths for ${unlisted}`);
	return [...Object.values(paths).flat(), '/nope', '/messages/nope', '/messages/thread/x/delete'];
}
