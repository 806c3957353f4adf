import { error, redirect } from '@sveltejs/kit';
import { db } from '$lib/server/db';
import { requireUser } from '$lib/server/session';
import { restoreThread } from '$lib/server/threads';
import { flashNotice } from '../../../notice';
import { m } from '$lib/paraglide/messages';
import type { Actions, PageServerLoad } from './$types';

// Restoring from the thread page, or undoing a Delete from the inbox's notice (the Deleted folder
// restores through its own action). There is nothing to show: a GET goes to the thread, which
// offers the Restore button.
export const load: PageServerLoad = (event) => {
	requireUser(event);
	redirect(303, `/messages/thread/${event.params.id}`);
};

export const actions: Actions = {
	default: async (event) => {
		const user = requireUser(event);
		// Back where it was done: the thread page, or the inbox (`back=inbox`), which leaves the
		// thread unread if it was, as it was before the Delete.
		const form = await event.request.formData().catch(() => null);
		if (!(await restoreThread(db, user.id, event.params.id))) error(404, m.thread_not_found());
		flashNotice(event, 'restored', event.params.id);
		redirect(
			303,
			form?.get('back') === 'inbox' ? '/messages' : `/messages/thread/${event.params.id}`
		);
	}
};
