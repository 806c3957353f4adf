import { fail, redirect } from '@sveltejs/kit';
import { superValidate } from 'sveltekit-superforms';
import { zod4 } from 'sveltekit-superforms/adapters';
import { timeZoneSchema } from '$lib/schemas';
import { db } from '$lib/server/db';
import { readForm } from '$lib/server/http/form';
import { requireUser } from '$lib/server/session';
import { setTimeZone } from '$lib/server/users';
import { timeZoneNames } from '$lib/time-zone';
import type { Actions, PageServerLoad } from './$types';

// SPEC §8: the account page, one form per setting, each posting to its own action.
const TIME_ZONE_FORM = 'time-zone';

export const load: PageServerLoad = async (event) => {
	const user = requireUser(event);
	const timeZone = user.timeZone ?? 'UTC';
	return {
		timeZoneForm: await superValidate({ timeZone }, zod4(timeZoneSchema), { id: TIME_ZONE_FORM }),
		timeZones: timeZoneNames(user.timeZone),
		saved: event.url.searchParams.get('saved')
	};
};

export const actions: Actions = {
	timeZone: async (event) => {
		const user = requireUser(event);
		const form = await superValidate(await readForm(event.request), zod4(timeZoneSchema), {
			id: TIME_ZONE_FORM
		});
		if (!form.valid) return fail(400, { form });
		await setTimeZone(db, user.id, form.data.timeZone);
		redirect(303, `/account?saved=${TIME_ZONE_FORM}`);
	}
};
