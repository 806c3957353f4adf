import { error, fail, redirect } from '@sveltejs/kit';
import { superValidate } from 'sveltekit-superforms';
import { zod4 } from 'sveltekit-superforms/adapters';
import { renameSchema } from '$lib/schemas';
import { db } from '$lib/server/db';
import { readForm } from '$lib/server/http/form';
import { requireUser } from '$lib/server/session';
import { getThread, renameThread } from '$lib/server/threads';
import { m } from '$lib/paraglide/messages';
import type { Actions, PageServerLoad } from './$types';

// The thread page's rename form posts here; this page shows it again when it was wrong (without
// JavaScript), with what was typed.
export const load: PageServerLoad = async (event) => {
	const user = requireUser(event);
	const thread = await getThread(db, user.id, event.params.id);
	if (!thread || thread.left) error(404, m.thread_not_found());
	const form = await superValidate({ subject: thread.subject }, zod4(renameSchema), {
		id: 'rename',
		errors: false
	});
	return { thread: { id: thread.id, subject: thread.subject }, form };
};

export const actions: Actions = {
	default: async (event) => {
		const user = requireUser(event);
		const form = await superValidate(await readForm(event.request), zod4(renameSchema), {
			id: 'rename'
		});
		if (!form.valid) return fail(400, { form });
		if (!(await renameThread(db, user.id, event.params.id, form.data.subject)))
			error(404, m.thread_not_found());
		redirect(303, `/messages/thread/${event.params.id}`);
	}
};
