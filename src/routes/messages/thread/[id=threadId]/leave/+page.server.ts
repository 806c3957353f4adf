import { error, redirect } from '@sveltejs/kit';
import { db } from '$lib/server/db';
import { requireUser } from '$lib/server/session';
import { leaveThread } from '$lib/server/threads';
import { flashNotice } from '../../../notice';
import { m } from '$lib/paraglide/messages';
import type { Actions, PageServerLoad } from './$types';

// Nothing to show: a GET goes to the thread, which offers the Leave thread button.
export const load: PageServerLoad = (event) => {
	requireUser(event);
	redirect(303, `/messages/thread/${event.params.id}`);
};

export const actions: Actions = {
	default: async (event) => {
		const user = requireUser(event);
		if (!(await leaveThread(db, user.id, event.params.id))) error(404, m.thread_not_found());
		// The inbox says so, and offers Undo.
		flashNotice(event, 'left', event.params.id);
		redirect(303, '/messages');
	}
};
