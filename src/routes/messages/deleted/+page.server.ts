import { error, redirect } from '@sveltejs/kit';
import { superValidate } from 'sveltekit-superforms';
import { zod4 } from 'sveltekit-superforms/adapters';
import { threadRefSchema } from '$lib/schemas';
import { db } from '$lib/server/db';
import { readForm } from '$lib/server/http/form';
import { listThreads } from '$lib/server/mailbox';
import { requireUser } from '$lib/server/session';
import { restoreThread } from '$lib/server/threads';
import { olderCursor } from '../cursor';
import { FOLDER } from '$lib/reloads';
import { flashNotice, noticeOf, takeNotice } from '../notice';
import { takeDone } from '../done';
import { m } from '$lib/paraglide/messages';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	const user = requireUser(event);
	event.depends(FOLDER);
	const before = olderCursor(event.url);
	const [page, notice] = await Promise.all([
		listThreads(db, user.id, 'deleted', before),
		noticeOf(user.id, takeNotice(event))
	]);
	return { before, page, notice, done: takeDone(event) };
};

export const actions: Actions = {
	restore: async (event) => {
		const user = requireUser(event);
		const form = await superValidate(await readForm(event.request), zod4(threadRefSchema));
		// The id is a hidden field, so there is nowhere to show a 400 next to it: a malformed id is
		// a thread that does not exist, and gets the same 404 (SPEC §3).
		if (!form.valid || !(await restoreThread(db, user.id, form.data.thread))) {
			error(404, m.thread_not_found());
		}
		flashNotice(event, 'restored', form.data.thread);
		redirect(303, '/messages/deleted');
	}
};
