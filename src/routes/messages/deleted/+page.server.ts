import { error, redirect } from '@sveltejs/kit';
import { superValidate } from 'sveltekit-superforms';
import { zod4 } from 'sveltekit-superforms/adapters';
import { threadRefSchema } from '$lib/schemas';
import { db } from '$lib/server/db';
import { listThreads } from '$lib/server/mailbox';
import { requireUser } from '$lib/server/session';
import { restoreThread } from '$lib/server/threads';
import { olderCursor } from '../cursor';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	const user = requireUser(event);
	const before = olderCursor(event.url);
	return { before, page: await listThreads(db, user.id, 'deleted', before) };
};

export const actions: Actions = {
	restore: async (event) => {
		const user = requireUser(event);
		const form = await superValidate(event.request, zod4(threadRefSchema));
		// A malformed id names no thread: the same 404 as one that does not exist (SPEC §3).
		if (!form.valid || !(await restoreThread(db, user.id, form.data.thread))) {
			error(404, 'Thread not found');
		}
		redirect(303, '/messages/deleted');
	}
};
