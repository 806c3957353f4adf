import { error, fail, redirect } from '@sveltejs/kit';
import { superValidate } from 'sveltekit-superforms';
import { zod4 } from 'sveltekit-superforms/adapters';
import { blockSchema, threadRefSchema } from '$lib/schemas';
import { blockUser } from '$lib/server/blocks';
import { db } from '$lib/server/db';
import { readForm } from '$lib/server/http/form';
import { listThreads } from '$lib/server/mailbox';
import { requireUser } from '$lib/server/session';
import { acceptRequest, declineRequest } from '$lib/server/threads';
import { olderCursor } from '../cursor';
import { FOLDER } from '$lib/reloads';
import { m } from '$lib/paraglide/messages';
import type { Actions, PageServerLoad } from './$types';

// SPEC §8: the Requests folder, first messages from people the user has not accepted. After a
// Decline the page offers to block its sender (`?declined=<username>`; blocking is by name, so
// the name in the address gives nothing away).
export const load: PageServerLoad = async (event) => {
	const user = requireUser(event);
	event.depends(FOLDER);
	const before = olderCursor(event.url);
	const page = await listThreads(db, user.id, 'requests', before);
	const params = event.url.searchParams;
	return { before, page, declined: params.get('declined'), blocked: params.get('blocked') };
};

/** The thread of a request's Accept or Decline; a malformed id is a thread that does not exist. */
async function threadOf(request: Request) {
	const form = await superValidate(await readForm(request), zod4(threadRefSchema));
	if (!form.valid) error(404, m.thread_not_found());
	return form.data.thread;
}

export const actions: Actions = {
	accept: async (event) => {
		const user = requireUser(event);
		const thread = await threadOf(event.request);
		if (!(await acceptRequest(db, user.id, thread))) error(404, m.thread_not_found());
		redirect(303, `/messages/thread/${thread}`);
	},
	decline: async (event) => {
		const user = requireUser(event);
		const sender = await declineRequest(db, user.id, await threadOf(event.request));
		if (sender === null) error(404, m.thread_not_found());
		redirect(303, `/messages/requests?declined=${encodeURIComponent(sender)}`);
	},
	block: async (event) => {
		const user = requireUser(event);
		const form = await superValidate(await readForm(event.request), zod4(blockSchema));
		if (!form.valid) return fail(400, { form });
		if ((await blockUser(db, user.id, form.data.username)) === null) error(404, m.no_such_user());
		redirect(303, `/messages/requests?blocked=${encodeURIComponent(form.data.username)}`);
	}
};
