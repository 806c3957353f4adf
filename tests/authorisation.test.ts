import type { APIRequestContext, APIResponse } from '@playwright/test';
import { sameEveryTime, MISSING_THREAD_ID, expect, loginRedirectTo, postForm } from './helpers';
import {
	stateAtStart,
	stateNow,
	test,
	type Role,
	type Scene,
	type State,
	type View
} from './authorisation-scene';

// Every route and form action of SPEC §3 that touches a thread or a mailbox, as each kind of
// user, with every kind of thread id: one test per cell, named `route › actor › id`. Each cell
// checks the status and Location, that a 404 is byte for byte the 404 of a thread that does not
// exist (or, for an id no route accepts, of a page that does not exist), and then, through the
// users' own pages, that the request changed exactly what it should and nothing else.

type Actor = 'anonymous' | 'outsider' | 'deleter' | 'participant';
const actors: Actor[] = ['anonymous', 'outsider', 'deleter', 'participant'];

type Effect = (state: State, actor: Role, captured: string) => void;

interface Outcome {
	status: number;
	/** For a 303, given the id in the request; a pattern's first group is passed to `effect`. */
	location?: (id: string) => string | RegExp;
	/** What the request changes; nothing when absent. */
	effect?: Effect;
	/** A 404: its body must be that of the same request for a thread or page that does not exist. */
	sameAs?: 'no thread' | 'no page';
	/** Text the page must show. */
	says?: string;
	/** A listing page: it must hold the thread exactly when the thread is in this folder. */
	lists?: 'inbox' | 'inbox, unread' | 'deleted' | 'archive';
	/** A search page: it must find the thread's messages exactly when it is in this folder. */
	finds?: 'inbox' | 'deleted';
}

interface Row {
	method: 'GET' | 'POST';
	/** `{id}`: the thread id as the URL carries it; `{bystander}`: a user's name. */
	path: string;
	/** Form fields, with the same placeholders (the id decoded, as the server would read it). */
	form?: Record<string, string>;
	/** What the thread's own participants get when it is their thread; a 404 when absent. */
	participant?: Outcome;
	deleter?: Outcome;
	/** For a row without a thread id: what every signed-in user gets. */
	signedIn?: Outcome;
	/** What anyone else, or any other id, gets, when not a 404: the same as no thread. */
	others?: Outcome;
}

const seeOther = (location: Outcome['location'], effect?: Effect): Outcome => ({
	status: 303,
	location,
	effect
});
const read = (state: State, actor: Role) => {
	state.views.thread[actor] = state.views.thread[actor].startsWith('inbox') ? 'inbox' : 'deleted';
};
const opened: Outcome = { status: 200, effect: read };
const replied = seeOther(
	(id) => new RegExp(`^/messages/thread/${id}#message-(\\d+)$`),
	(state, actor, messageId) => {
		state.messages.thread.push(Number(messageId));
		for (const role of ['participant', 'deleter', 'author'] as const) {
			state.views.thread[role] = role === actor ? 'inbox' : 'inbox, unread';
		}
	}
);
const restored: Effect = (state) => void (state.views.thread.deleter = 'inbox, unread');
const created = seeOther(
	() => /^\/messages\/thread\/([a-z2-7]{16})$/,
	(state, _, threadId) => void (state.bystanderNewest = threadId)
);
// An event is no one's unread news: the actor has read it, the others are as they were.
// Back to the thread: its id captured, as it is now the bystander's newest.
const added = seeOther(
	(id) => new RegExp(`^/messages/thread/(${id})$`),
	(state, actor, threadId) => {
		read(state, actor);
		state.views.thread.bystander = 'inbox, unread';
		state.bystanderNewest = threadId;
	}
);
const left: Effect = (state, actor) => void (state.views.thread[actor] = 'none');
const compose = { to: '{bystander}', subject: 'A new thread', message: 'Hello.' };

const rows: Row[] = [
	{ method: 'GET', path: '/messages', signedIn: { status: 200, lists: 'inbox' } },
	{
		method: 'GET',
		path: '/messages?before=9007199254740991',
		signedIn: { status: 200, lists: 'inbox' }
	},
	{ method: 'GET', path: '/messages/deleted', signedIn: { status: 200, lists: 'deleted' } },
	{ method: 'GET', path: '/messages/search?q=hello', signedIn: { status: 200, finds: 'inbox' } },
	{
		method: 'GET',
		path: '/messages/search?q=hello+in:deleted',
		signedIn: { status: 200, finds: 'deleted' }
	},
	// The inbox has no form actions.
	{
		method: 'POST',
		path: '/messages',
		form: {},
		signedIn: { status: 405, says: 'Nothing can be sent to this page.' }
	},
	{ method: 'GET', path: '/messages/create', signedIn: { status: 200 } },
	{ method: 'GET', path: '/messages/create/{bystander}', signedIn: { status: 200 } },
	{ method: 'GET', path: '/messages/create/nobody-of-that-name', signedIn: { status: 404 } },
	{ method: 'POST', path: '/messages/create', form: compose, signedIn: created },
	{ method: 'POST', path: '/messages/create/{bystander}', form: compose, signedIn: created },
	{ method: 'GET', path: '/messages/thread/{id}', participant: opened, deleter: opened },
	{
		method: 'POST',
		path: '/messages/thread/{id}',
		form: { content: 'Let me in.' },
		participant: replied,
		deleter: replied
	},
	{
		method: 'POST',
		path: '/messages/thread/{id}/restore',
		participant: seeOther((id) => `/messages/thread/${id}`),
		deleter: seeOther((id) => `/messages/thread/${id}`, restored)
	},
	// A named action: the thread page has only its default one, the reply.
	{ method: 'POST', path: '/messages/thread/{id}?/restore' },
	{
		method: 'GET',
		path: '/messages/thread/{id}/delete',
		participant: { status: 200 },
		deleter: { status: 200 }
	},
	{
		method: 'POST',
		path: '/messages/thread/{id}/delete',
		participant: seeOther(
			() => '/messages',
			(state) => void (state.views.thread.participant = 'deleted, unread')
		),
		deleter: seeOther(() => '/messages')
	},
	// Group threads: add people, rename, leave; Undo of a leave no one here made.
	{
		method: 'GET',
		path: '/messages/thread/{id}/add',
		participant: { status: 200 },
		deleter: { status: 200 }
	},
	{
		method: 'POST',
		path: '/messages/thread/{id}/add',
		form: { to: '{bystander}' },
		participant: added,
		deleter: added
	},
	{
		method: 'GET',
		path: '/messages/thread/{id}/rename',
		participant: { status: 200 },
		deleter: { status: 200 }
	},
	{
		method: 'POST',
		path: '/messages/thread/{id}/rename',
		form: { subject: 'Renamed' },
		participant: seeOther((id) => `/messages/thread/${id}`, read),
		deleter: seeOther((id) => `/messages/thread/${id}`, read)
	},
	{
		method: 'POST',
		path: '/messages/thread/{id}/leave',
		participant: seeOther(() => '/messages', left),
		deleter: seeOther(() => '/messages', left)
	},
	{ method: 'POST', path: '/messages/thread/{id}/rejoin' },
	// Who can reach whom: the thread is no request, so Accept and Decline find none; only
	// someone in the thread can be blocked from it, by someone in it.
	{ method: 'GET', path: '/messages/requests', signedIn: { status: 200 } },
	{ method: 'GET', path: '/messages/recipients?q=a', signedIn: { status: 200 } },
	{ method: 'POST', path: '/messages/requests?/accept', form: { thread: '{id}' } },
	{ method: 'POST', path: '/messages/requests?/decline', form: { thread: '{id}' } },
	{ method: 'POST', path: '/messages/thread/{id}/block?/block', form: { username: '{bystander}' } },
	{
		method: 'POST',
		path: '/messages/thread/{id}/block?/unblock',
		form: { username: '{bystander}' },
		participant: seeOther((id) => `/messages/thread/${id}`),
		deleter: seeOther((id) => `/messages/thread/${id}`)
	},
	{
		method: 'POST',
		path: '/messages/deleted?/restore',
		form: { thread: '{id}' },
		participant: seeOther(() => '/messages/deleted'),
		deleter: seeOther(() => '/messages/deleted', restored)
	},
	{ method: 'GET', path: '/messages/unread', signedIn: { status: 200, lists: 'inbox, unread' } },
	{ method: 'GET', path: '/messages/archive', signedIn: { status: 200, lists: 'archive' } },
	{ method: 'GET', path: '/messages/sent', signedIn: { status: 200 } },
	// The actions on chosen threads: an id of no thread of the user's changes nothing, and is
	// answered as one that does not exist (the notice says nothing changed).
	...selectionRows()
];

function selectionRows(): Row[] {
	const back = (path: string) => () => path;
	const to = (view: View) => (state: State, actor: Role) => void (state.views.thread[actor] = view);
	const row = (action: string, participant: Outcome, deleter: Outcome): Row => ({
		method: 'POST',
		path: `/messages/selection?/${action}`,
		form: { thread: '{id}', back: 'archive' },
		participant,
		deleter,
		others: seeOther(back('/messages/archive'))
	});
	const done = (effect?: Effect) => seeOther(back('/messages/archive'), effect);
	return [
		row('archive', done(to('archive, unread')), done(to('archive, unread'))),
		row('unarchive', done(), done()),
		row('delete', done(to('deleted, unread')), done()),
		row('read', done(read), done(read)),
		row('unread', done(), done()),
		row('mute', done(), done()),
		{
			method: 'POST',
			path: '/messages/selection?/undo',
			form: { action: 'delete', undo: '[["{id}",null]]', back: 'deleted' },
			participant: seeOther(back('/messages/deleted')),
			deleter: seeOther(back('/messages/deleted'), restored),
			others: seeOther(back('/messages/deleted'))
		},
		{
			method: 'POST',
			path: '/messages/selection?/allread',
			form: { back: 'inbox', seen: '9007199254740991' },
			signedIn: seeOther(back('/messages'), (state, actor) => {
				if (state.views.thread[actor] === 'inbox, unread') read(state, actor);
			})
		}
	];
}

interface Variant {
	name: string;
	kind: 'thread' | 'no thread' | 'malformed';
	id: (scene: Scene) => string;
}

const variants: Variant[] = [
	{ name: 'the thread', kind: 'thread', id: (s) => s.thread },
	{ name: 'no such thread', kind: 'no thread', id: () => MISSING_THREAD_ID },
	{ name: "other users' thread", kind: 'no thread', id: (s) => s.othersThread },
	...Object.entries({
		'one character short': (id: string) => id.slice(0, -1),
		'one character long': (id: string) => `${id}a`,
		'upper case': (id: string) => id.toUpperCase(),
		'a digit outside base32': (id: string) => `${id.slice(0, -1)}1`,
		'a non-ASCII letter': (id: string) => `${id.slice(0, -1)}%C3%A9`,
		'a percent-encoded slash': (id: string) => `${id}%2Fdelete`,
		'percent-encoded dots': (id: string) => `%2E%2E%2F${id}`,
		'very long': (id: string) => id.repeat(256)
	}).map(([name, malform]): Variant => ({
		name: `malformed: ${name}`,
		kind: 'malformed',
		id: (s) => malform(s.thread)
	}))
];

function expected(row: Row, actor: Actor, variant: Variant, path: string): Outcome {
	if (actor === 'anonymous') {
		const { pathname, search } = new URL(path, 'http://app.invalid');
		return seeOther(() => loginRedirectTo(pathname + search));
	}
	if (row.signedIn) return row.signedIn;
	const own = variant.kind === 'thread' && actor !== 'outsider' ? row[actor] : undefined;
	if (own) return own;
	if (row.others) return row.others;
	// An id in the path that the route's matcher refuses reaches no page at all.
	const noPage = variant.kind === 'malformed' && row.path.includes('{id}');
	return { status: 404, sameAs: noPage ? 'no page' : 'no thread' };
}

/** The request a row makes about thread `id`: the path, and the form of a POST. */
function requestOf(row: Row, id: string, bystander: string) {
	const fill = (text: string, threadId: string) =>
		text.replace('{id}', threadId).replace('{bystander}', bystander);
	// In a form field the id is a value, not part of a URL: decoded, as the server would read it.
	const fields = Object.entries(row.form ?? {}).map(([k, v]) => [
		k,
		fill(v, decodeURIComponent(id))
	]);
	return { path: fill(row.path, id), form: Object.fromEntries(fields) };
}

function send(request: APIRequestContext, row: Row, id: string, bystander: string) {
	const { path, form } = requestOf(row, id, bystander);
	return row.method === 'GET'
		? request.get(path, { maxRedirects: 0 })
		: postForm(request, path, form);
}

const bodyOf = async (response: APIResponse) => sameEveryTime(await response.text());

const mainOf = (html: string) => html.slice(html.indexOf('<main'), html.indexOf('</main>'));
const listed = (html: string, id: string) => mainOf(html).includes(`data-thread="${id}"`);
const found = (html: string, id: string) =>
	new RegExp(`href="/messages/thread/${id}\\?after=\\d+#message-`).test(mainOf(html));

for (const row of rows) {
	const rowVariants = `${row.path}${JSON.stringify(row.form)}`.includes('{id}')
		? variants
		: [{ name: 'no thread id', kind: 'no thread', id: () => '' } satisfies Variant];
	test.describe(`${row.method} ${row.path}`, () => {
		for (const actor of actors) {
			for (const variant of rowVariants) {
				test(`${actor} › ${variant.name}`, async ({ cast, scene }) => {
					const request = actor === 'anonymous' ? cast.anonymous : cast[actor].request;
					const id = variant.id(scene);
					const bystander = cast.bystander.name;
					const outcome = expected(row, actor, variant, requestOf(row, id, bystander).path);

					const response = await send(request, row, id, bystander);
					expect(response.status(), 'status').toBe(outcome.status);
					const location = response.headers()['location'];
					const want = outcome.location?.(id);
					let captured = '';
					if (typeof want === 'string') expect(location, 'Location').toBe(want);
					else if (want) {
						expect(location, 'Location').toMatch(want);
						captured = location.match(want)![1];
					} else expect(location, 'Location').toBeUndefined();

					if (outcome.sameAs) {
						const noneId = outcome.sameAs === 'no thread' ? MISSING_THREAD_ID : 'no-such-page';
						const none = await send(request, row, noneId, bystander);
						expect(none.status(), `the ${outcome.sameAs} response`).toBe(404);
						expect(await bodyOf(response), `the same body as ${outcome.sameAs}`).toBe(
							await bodyOf(none)
						);
					}

					if (outcome.says) expect(await response.text()).toContain(outcome.says);

					const state = stateAtStart(scene);
					if (actor !== 'anonymous') outcome.effect?.(state, actor, captured);
					const folder = outcome.lists ?? outcome.finds;
					if (folder && actor !== 'anonymous') {
						const html = await response.text();
						const shows = outcome.lists ? listed : found;
						for (const thread of ['thread', 'othersThread'] as const) {
							const inFolder = state.views[thread][actor].startsWith(folder);
							expect(shows(html, scene[thread]), `${thread} shown`).toBe(inFolder);
						}
					}
					expect(await stateNow(cast, scene), 'what each user sees afterwards').toEqual(state);
				});
			}
		}
	});
}
