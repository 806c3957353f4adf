import { error, redirect } from '@sveltejs/kit';
import { db } from '$lib/server/db';
import { requireUser } from '$lib/server/session';
import { restoreThread } from '$lib/server/threads';
import { m } from '$lib/paraglide/messages';
import type { Actions, PageServerLoad } from './$types';

// Restoring from the thread page (the Deleted folder restores through its own action and stays
// there). There is nothing to show: a GET goes to the thread, which offers the Restore button.
export const load: PageServerLoad = (event) => {
	requireUser(event);
	redirect(303, `/messages/thread/${event.params.id}`);
};

export const actions: Actions = {
	default: async (event) => {
		const user = requireUser(event);
		if (!(await restoreThread(db, user.id, event.params.id))) error(404, m.thread_not_found());
		redirect(303, `/messages/thread/${event.params.id}`);
	}
};
