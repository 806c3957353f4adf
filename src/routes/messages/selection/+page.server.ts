import { redirect } from '@sveltejs/kit';
import { db } from '$lib/server/db';
import { readForm } from '$lib/server/http/form';
import { FOLDERS, type Folder } from '$lib/server/mailbox';
import { requireUser } from '$lib/server/session';
import {
	ACTIONS,
	actOnThreads,
	markAllRead,
	undoAction,
	type ActionName
} from '$lib/server/threads';
import { flashDone, packUndo, unpackUndo } from '../done';
import type { Actions, PageServerLoad } from './$types';

// The actions on chosen threads: a listing's selection (its buttons post here with `formaction`),
// or one thread from its page. Each goes back where it came from (`back`) and says what it did.

export const load: PageServerLoad = (event) => {
	requireUser(event);
	redirect(303, '/messages');
};

const folderPath = (folder: Folder) => (folder === 'inbox' ? '/messages' : `/messages/${folder}`);

function folderOf(form: FormData): Folder {
	const back = form.get('back');
	return FOLDERS.includes(back as Folder) ? (back as Folder) : 'inbox';
}

/** Where to go afterwards: the folder, or the one thread's page (never after Mark unread). */
function backTo(form: FormData, action: ActionName | 'allread' | 'undo', threads: string[]) {
	const [thread] = threads;
	const toThread = form.get('back') === 'thread' && threads.length === 1 && action !== 'unread';
	return toThread ? `/messages/thread/${thread}` : folderPath(folderOf(form));
}

/** The chosen threads: every one the page showed when Select all was checked (without JS). */
function chosen(form: FormData): string[] {
	const ids = form.has('all') ? form.getAll('shown') : form.getAll('thread');
	return ids.filter((id): id is string => typeof id === 'string');
}

/** The newest message the page showed, if it said. */
function seenOf(form: FormData): number | undefined {
	const seen = Number(form.get('seen'));
	return Number.isSafeInteger(seen) && seen > 0 ? seen : undefined;
}

function act(action: ActionName): Actions[string] {
	return async (event) => {
		const user = requireUser(event);
		const form = await readForm(event.request);
		const threads = chosen(form);
		const changed = await actOnThreads(db, user.id, action, threads, seenOf(form));
		flashDone(event, action, changed.length, changed.length ? packUndo(action, changed) : null);
		redirect(303, backTo(form, action, threads));
	};
}

export const actions: Actions = {
	...(Object.fromEntries(
		(Object.keys(ACTIONS) as ActionName[]).map((action) => [action, act(action)])
	) as Actions),
	allread: async (event) => {
		const user = requireUser(event);
		const form = await readForm(event.request);
		const folder = folderOf(form);
		const seen = seenOf(form);
		const count = seen === undefined ? 0 : await markAllRead(db, user.id, folder, seen);
		flashDone(event, 'allread', count);
		redirect(303, folderPath(folder));
	},
	undo: async (event) => {
		const user = requireUser(event);
		const form = await readForm(event.request);
		const action = form.get('action') as ActionName;
		const packed = form.get('undo');
		const previous =
			Object.hasOwn(ACTIONS, action) && typeof packed === 'string'
				? unpackUndo(action, packed)
				: null;
		const count = previous ? await undoAction(db, user.id, ACTIONS[action].columns, previous) : 0;
		flashDone(event, 'undone', count);
		const threads = previous?.map((row) => row.thread) ?? [];
		redirect(303, backTo(form, 'undo', threads));
	}
};
