import { error, redirect } from '@sveltejs/kit';
import { superValidate } from 'sveltekit-superforms';
import { zod4 } from 'sveltekit-superforms/adapters';
import { blockSchema } from '$lib/schemas';
import { blockUser, unblockUser } from '$lib/server/blocks';
import { db } from '$lib/server/db';
import { readForm } from '$lib/server/http/form';
import { requireUser } from '$lib/server/session';
import { getThread } from '$lib/server/threads';
import { m } from '$lib/paraglide/messages';
import type { Actions, PageServerLoad } from './$types';

// Block and Unblock from a participant's name on the thread page (SPEC §8): only someone in the
// thread, by someone in it, else the thread's 404 (SPEC §3). Back to the thread either way.
export const load: PageServerLoad = (event) => {
	requireUser(event);
	redirect(303, `/messages/thread/${event.params.id}`);
};

async function nameOf(request: Request) {
	const form = await superValidate(await readForm(request), zod4(blockSchema));
	if (!form.valid) error(404, m.thread_not_found());
	return form.data.username;
}

export const actions: Actions = {
	block: async (event) => {
		const user = requireUser(event);
		const name = await nameOf(event.request);
		if ((await blockUser(db, user.id, name, event.params.id)) === null) {
			error(404, m.thread_not_found());
		}
		redirect(303, `/messages/thread/${event.params.id}`);
	},
	unblock: async (event) => {
		const user = requireUser(event);
		const name = await nameOf(event.request);
		// Not blocked is fine (a second click); not in the thread is the thread's 404.
		const unblocked = await unblockUser(db, user.id, name, event.params.id);
		if (!unblocked && !(await getThread(db, user.id, event.params.id))) {
			error(404, m.thread_not_found());
		}
		redirect(303, `/messages/thread/${event.params.id}`);
	}
};
