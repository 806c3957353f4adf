import { error, redirect } from '@sveltejs/kit';
import { db } from '$lib/server/db';
import { requireUser } from '$lib/server/session';
import { rejoinThread } from '$lib/server/threads';
import { m } from '$lib/paraglide/messages';
import type { Actions, PageServerLoad } from './$types';

// Undo of Leave thread, from the notice after it: back in, then to the thread.
export const load: PageServerLoad = (event) => {
	requireUser(event);
	redirect(303, `/messages/thread/${event.params.id}`);
};

export const actions: Actions = {
	default: async (event) => {
		const user = requireUser(event);
		if (!(await rejoinThread(db, user.id, event.params.id))) error(404, m.thread_not_found());
		redirect(303, `/messages/thread/${event.params.id}`);
	}
};
