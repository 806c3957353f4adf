import { test as base, type APIRequestContext } from '@playwright/test';
import {
	PASSWORD,
	expectSeeOther,
	listing,
	postForm,
	startThread,
	threadMessageIds,
	uniqueName,
	type Listing
} from './helpers';

/**
 * Everyone in the authorisation matrix. The author starts `thread` with the participant and the
 * deleter, who deletes it, and `othersThread` with the bystander; the outsider is in neither.
 */
export const roles = ['participant', 'deleter', 'author', 'bystander', 'outsider'] as const;
export type Role = (typeof roles)[number];

export interface Member {
	name: string;
	request: APIRequestContext;
}

export type Cast = Record<Role, Member> & { anonymous: APIRequestContext };

/** The two threads of one test, fresh for each, and their messages when it began. */
export interface Scene {
	thread: string;
	othersThread: string;
	messages: { thread: number[]; othersThread: number[] };
}

/** Where a user finds a thread: which folder, and whether it is unread. */
export type View =
	| 'inbox'
	| 'inbox, unread'
	| 'archive'
	| 'archive, unread'
	| 'deleted'
	| 'deleted, unread'
	| 'none';

/** All that the matrix's requests could change, as the users themselves see it. */
export interface State {
	views: { thread: Record<Role, View>; othersThread: Record<Role, View> };
	/** Message ids, oldest first. */
	messages: { thread: number[]; othersThread: number[] };
	/** The newest thread in the bystander's inbox: where a new thread to them shows. */
	bystanderNewest: string | undefined;
}

export function stateAtStart(scene: Scene): State {
	return {
		views: {
			thread: {
				participant: 'inbox, unread',
				deleter: 'deleted, unread',
				author: 'inbox',
				bystander: 'none',
				outsider: 'none'
			},
			othersThread: {
				participant: 'none',
				deleter: 'none',
				author: 'inbox',
				bystander: 'inbox, unread',
				outsider: 'none'
			}
		},
		messages: structuredClone(scene.messages),
		bystanderNewest: scene.othersThread
	};
}

function viewOf(id: string, inbox: Listing, deleted: Listing, archive: Listing): View {
	const found = (
		[
			['inbox', inbox],
			['deleted', deleted],
			['archive', archive]
		] as const
	).flatMap(([folder, listing]) =>
		listing.rows.filter((row) => row.id === id).map((row) => ({ folder, row }))
	);
	if (found.length > 1) throw new Error(`thread ${id} is listed in two folders`);
	if (!found.length) return 'none';
	const [{ folder, row }] = found;
	return `${folder}${row.unread ? ', unread' : ''}` as View;
}

/** The state now, read through each user's own pages. */
export async function stateNow(cast: Cast, scene: Scene): Promise<State> {
	const folders = await Promise.all(
		roles.map((role) =>
			Promise.all([
				listing(cast[role].request),
				listing(cast[role].request, '/messages/deleted'),
				listing(cast[role].request, '/messages/archive')
			])
		)
	);
	const views = (id: string) =>
		Object.fromEntries(
			roles.map((role, i) => [role, viewOf(id, ...folders[i])])
		) as State['views']['thread'];
	// Read last: the author is in both threads, and opening one marks it read for them.
	const [thread, othersThread] = await Promise.all([
		threadMessageIds(cast.author.request, scene.thread),
		threadMessageIds(cast.author.request, scene.othersThread)
	]);
	return {
		views: { thread: views(scene.thread), othersThread: views(scene.othersThread) },
		messages: { thread, othersThread },
		bystanderNewest: folders[roles.indexOf('bystander')][0].rows[0]?.id
	};
}

export const test = base.extend<{ scene: Scene }, { cast: Cast }>({
	// Signing up costs an argon2 hash: the users last for the worker, the threads for one test.
	cast: [
		async ({ playwright }, use, workerInfo) => {
			const baseURL = workerInfo.project.use.baseURL;
			if (!baseURL) throw new Error('the project has no baseURL');
			const contexts: APIRequestContext[] = [];
			const signedUp = async (role: Role): Promise<Member> => {
				const request = await playwright.request.newContext({ baseURL });
				contexts.push(request);
				const name = uniqueName(role);
				const form = { username: name, password: PASSWORD };
				expectSeeOther(await postForm(request, '/signup', form, baseURL), '/messages');
				return { name, request };
			};
			const members = await Promise.all(roles.map(signedUp));
			const anonymous = await playwright.request.newContext({ baseURL });
			contexts.push(anonymous);
			await use({
				...(Object.fromEntries(roles.map((role, i) => [role, members[i]])) as Record<Role, Member>),
				anonymous
			});
			await Promise.all(contexts.map((context) => context.dispose()));
		},
		{ scope: 'worker' }
	],
	scene: async ({ cast }, use) => {
		const { author, participant, deleter, bystander } = cast;
		const thread = await startThread(author.request, [participant.name, deleter.name]);
		const deleted = await postForm(deleter.request, `/messages/thread/${thread}/delete`, {});
		expectSeeOther(deleted, '/messages');
		const othersThread = await startThread(author.request, bystander.name);
		// The author sent both, so reading them changes nothing.
		const messages = {
			thread: await threadMessageIds(author.request, thread),
			othersThread: await threadMessageIds(author.request, othersThread)
		};
		await use({ thread, othersThread, messages });
	}
});
