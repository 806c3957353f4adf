import { fail, redirect } from '@sveltejs/kit';
import { setError, superValidate } from 'sveltekit-superforms';
import { zod4 } from 'sveltekit-superforms/adapters';
import { signupSchema } from '$lib/schemas';
import { db } from '$lib/server/db';
import { checkLimits, perAddress, tooMany } from '$lib/server/limits';
import { readForm } from '$lib/server/http/form';
import { safeRedirectTarget, sendOnIfSignedIn, startSession } from '$lib/server/session';
import { createUser } from '$lib/server/users';
import { m } from '$lib/paraglide/messages';
import { getLocale } from '$lib/paraglide/runtime';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	sendOnIfSignedIn(event);
	return { form: await superValidate(zod4(signupSchema)) };
};

export const actions: Actions = {
	default: async (event) => {
		const form = await superValidate(await readForm(event.request), zod4(signupSchema));
		const { username, password } = form.data;
		form.data.password = ''; // never sent back
		if (!form.valid) return fail(400, { form });

		const wait = await checkLimits(perAddress('signupPerAddress', event));
		if (wait) return tooMany(event, form, m.limit_signup, wait);

		const user = await createUser(db, username, password, getLocale());
		if (!user) return setError(form, 'username', m.username_taken());

		await startSession(event, user.id);
		redirect(303, safeRedirectTarget(event.url));
	}
};
