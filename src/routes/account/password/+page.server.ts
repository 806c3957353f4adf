import { fail, redirect } from '@sveltejs/kit';
import { setError, superValidate } from 'sveltekit-superforms';
import { zod4 } from 'sveltekit-superforms/adapters';
import { passwordChangeSchema } from '$lib/schemas';
import { changePassword } from '$lib/server/auth';
import { db } from '$lib/server/db';
import { readForm } from '$lib/server/http/form';
import { checkLimits, clearLimits, perAccount, tooMany } from '$lib/server/limits';
import { requireUser, startSession } from '$lib/server/session';
import { m } from '$lib/paraglide/messages';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	requireUser(event);
	return {
		form: await superValidate(zod4(passwordChangeSchema)),
		changed: event.url.searchParams.has('changed')
	};
};

export const actions: Actions = {
	default: async (event) => {
		const user = requireUser(event);
		const form = await superValidate(await readForm(event.request), zod4(passwordChangeSchema));
		const { currentPassword, newPassword } = form.data;
		form.data = { currentPassword: '', newPassword: '' }; // never sent back
		if (!form.valid) return fail(400, { form });

		// Someone at an unlocked screen could guess here too: it counts as a log-in attempt.
		const account = perAccount(user.username);
		const wait = await checkLimits(account);
		if (wait) return tooMany(event, form, m.limit_attempts, wait);

		if (!(await changePassword(db, user.id, currentPassword, newPassword))) {
			return setError(form, 'currentPassword', m.wrong_current_password());
		}
		// As a log-in does, the right password clears the count.
		await clearLimits(account);
		// Every session ended with the change; this browser gets a new one.
		event.locals.session = null;
		await startSession(event, user.id);
		redirect(303, '/account/password?changed');
	}
};
