import { fail, redirect } from '@sveltejs/kit';
import { setError, superValidate } from 'sveltekit-superforms';
import { zod4 } from 'sveltekit-superforms/adapters';
import { DM_POLICIES, blockSchema, dmPolicySchema, timeZoneSchema } from '$lib/schemas';
import { blockUser, reachSettings, setDmPolicy, unblockUser } from '$lib/server/blocks';
import { db } from '$lib/server/db';
import { DmPolicy } from '$lib/server/db/schema';
import { readForm } from '$lib/server/http/form';
import { requireUser } from '$lib/server/session';
import { setTimeZone } from '$lib/server/users';
import { timeZoneNames } from '$lib/time-zone';
import { m } from '$lib/paraglide/messages';
import type { Actions, PageServerLoad } from './$types';

// SPEC §8: the account page, one form per setting, each posting to its own action.
const TIME_ZONE_FORM = 'time-zone';
const DM_POLICY_FORM = 'dm-policy';
const BLOCK_FORM = 'block';

export const load: PageServerLoad = async (event) => {
	const user = requireUser(event);
	const timeZone = user.timeZone ?? 'UTC';
	const { dmPolicy, blocked } = await reachSettings(db, user.id);
	const params = event.url.searchParams;
	return {
		timeZoneForm: await superValidate({ timeZone }, zod4(timeZoneSchema), { id: TIME_ZONE_FORM }),
		timeZones: timeZoneNames(user.timeZone),
		dmPolicyForm: await superValidate({ dmPolicy: DM_POLICIES[dmPolicy] }, zod4(dmPolicySchema), {
			id: DM_POLICY_FORM
		}),
		blockForm: await superValidate(zod4(blockSchema), { id: BLOCK_FORM }),
		blocked,
		saved: params.get('saved'),
		// Who was just blocked or unblocked, to say so.
		name: params.get('name')
	};
};

const savedAs = (what: string, name?: string) =>
	`/account?saved=${what}${name ? `&name=${encodeURIComponent(name)}` : ''}`;

export const actions: Actions = {
	timeZone: async (event) => {
		const user = requireUser(event);
		const form = await superValidate(await readForm(event.request), zod4(timeZoneSchema), {
			id: TIME_ZONE_FORM
		});
		if (!form.valid) return fail(400, { form });
		await setTimeZone(db, user.id, form.data.timeZone);
		redirect(303, savedAs(TIME_ZONE_FORM));
	},
	dmPolicy: async (event) => {
		const user = requireUser(event);
		const form = await superValidate(await readForm(event.request), zod4(dmPolicySchema), {
			id: DM_POLICY_FORM
		});
		if (!form.valid) return fail(400, { form });
		await setDmPolicy(db, user.id, DmPolicy[form.data.dmPolicy]);
		redirect(303, savedAs(DM_POLICY_FORM));
	},
	block: async (event) => {
		const user = requireUser(event);
		const form = await superValidate(await readForm(event.request), zod4(blockSchema), {
			id: BLOCK_FORM
		});
		if (form.valid && (await blockUser(db, user.id, form.data.username)) === null) {
			setError(
				form,
				'username',
				m.no_user_named({ names: m.quoted({ text: form.data.username }) })
			);
		}
		if (!form.valid) return fail(400, { form });
		redirect(303, savedAs('blocked', form.data.username));
	},
	unblock: async (event) => {
		const user = requireUser(event);
		const form = await superValidate(await readForm(event.request), zod4(blockSchema));
		// A button's hidden name: nothing to show a 400 next to; unblocking no one changes nothing.
		if (form.valid) await unblockUser(db, user.id, form.data.username);
		redirect(303, savedAs('unblocked', form.valid ? form.data.username : undefined));
	}
};
