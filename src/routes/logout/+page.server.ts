import { redirect } from '@sveltejs/kit';
import { invalidateSession } from '$lib/server/auth';
import { db } from '$lib/server/db';
import { deleteSessionCookie } from '$lib/server/session';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = ({ locals }) => {
	if (!locals.user) redirect(303, '/login');
};

export const actions: Actions = {
	default: async (event) => {
		const { session } = event.locals;
		if (session) await invalidateSession(db, session.id);
		deleteSessionCookie(event);
		redirect(303, '/login');
	}
};
