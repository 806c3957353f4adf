import { error, redirect } from '@sveltejs/kit';
import { db } from '$lib/server/db';
import { requireUser } from '$lib/server/session';
import { deleteThread, getThread } from '$lib/server/threads';
import { flashNotice } from '../../../notice';
import { m } from '$lib/paraglide/messages';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	const user = requireUser(event);
	const thread = await getThread(db, user.id, event.params.id);
	if (!thread) error(404, m.thread_not_found());
	return {
		thread: { id: thread.id, subject: thread.subject, lastMessageId: thread.lastMessageId }
	};
};

export const actions: Actions = {
	default: async (event) => {
		const user = requireUser(event);
		// The pages send the newest message they showed; a script need not send anything.
		const form = await event.request.formData().catch(() => null);
		const seen = Number(form?.get('seen'));
		const shown = Number.isSafeInteger(seen) && seen > 0 ? seen : undefined;
		const deleted = await deleteThread(db, user.id, event.params.id, shown);
		if (deleted === null) error(404, m.thread_not_found());
		// The inbox says what happened, and offers Undo.
		flashNotice(event, deleted ? 'deleted' : 'kept', event.params.id);
		redirect(303, '/messages');
	}
};
