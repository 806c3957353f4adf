import { error, fail, redirect } from '@sveltejs/kit';
import { setError, superValidate } from 'sveltekit-superforms';
import { zod4 } from 'sveltekit-superforms/adapters';
import { addPeopleSchema } from '$lib/schemas';
import { db } from '$lib/server/db';
import { checkLimits, tooMany } from '$lib/server/limits';
import { readForm } from '$lib/server/http/form';
import { requireUser } from '$lib/server/session';
import { addPeople, getThread } from '$lib/server/threads';
import { m } from '$lib/paraglide/messages';
import type { Actions, PageServerLoad } from './$types';

// The thread page's Add people form posts here; this page shows it again when it was wrong
// (without JavaScript), with what was typed.
export const load: PageServerLoad = async (event) => {
	const user = requireUser(event);
	const thread = await getThread(db, user.id, event.params.id);
	if (!thread || thread.left) error(404, m.thread_not_found());
	const form = await superValidate(zod4(addPeopleSchema), { id: 'add' });
	return { thread: { id: thread.id, subject: thread.subject }, form };
};

export const actions: Actions = {
	default: async (event) => {
		const user = requireUser(event);
		const form = await superValidate(await readForm(event.request), zod4(addPeopleSchema), {
			id: 'add'
		});
		if (!form.valid) return fail(400, { form });
		// Adding people reaches people as a new thread does, and writes an event: it counts as both.
		const wait = await checkLimits([
			['messagesPerMinute', String(user.id)],
			['threadsPerDay', String(user.id)]
		]);
		if (wait) return tooMany(event, form, m.limit_threads, wait);
		const added = await addPeople(db, {
			by: user,
			threadId: event.params.id,
			to: form.data.to,
			shareHistory: form.data.shareHistory
		});
		if (!added) error(404, m.thread_not_found());
		if (added.error !== undefined) return setError(form, 'to', added.error);
		redirect(303, `/messages/thread/${event.params.id}`);
	}
};
