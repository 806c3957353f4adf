import { fail, redirect } from '@sveltejs/kit';
import { message, superValidate } from 'sveltekit-superforms';
import { zod4 } from 'sveltekit-superforms/adapters';
import { loginSchema } from '$lib/schemas';
import { verifyCredentials } from '$lib/server/auth';
import { db } from '$lib/server/db';
import { checkLimits, clearLimits, perAccount, perAddress, tooMany } from '$lib/server/limits';
import { readForm } from '$lib/server/http/form';
import { safeRedirectTarget, sendOnIfSignedIn, startSession } from '$lib/server/session';
import { keepCarriedDraft, resentDraft } from '$lib/server/http/session-ended';
import { m } from '$lib/paraglide/messages';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	sendOnIfSignedIn(event);
	const form = await superValidate(zod4(loginSchema));
	// Sent here by an enhanced form whose session had ended (hooks): say why.
	if (event.url.searchParams.get('session') === 'ended') form.message = m.session_ended();
	return { form };
};

export const actions: Actions = {
	default: async (event) => {
		const posted = await readForm(event.request);
		const target = safeRedirectTarget(event.url);
		// A form whose session had ended, posted here again (hooks): ask to log in, carrying it.
		const draft = resentDraft(posted, target);
		if (draft) {
			const form = await superValidate({ draft }, zod4(loginSchema), { errors: false });
			form.message = m.session_ended();
			return { form };
		}

		const form = await superValidate(posted, zod4(loginSchema));
		const { username, password } = form.data;
		form.data.password = ''; // never sent back
		if (!form.valid) return fail(400, { form });

		const account = perAccount(username);
		const wait = await checkLimits([...account, ...perAddress('loginPerAddress', event)]);
		if (wait) return tooMany(event, form, m.limit_login, wait);

		const user = await verifyCredentials(db, username, password);
		if (!user) return message(form, m.wrong_credentials(), { status: 400 });

		await clearLimits(account);
		await startSession(event, user.id);
		await keepCarriedDraft(event, user.id, target, form.data.draft);
		redirect(303, target);
	}
};
