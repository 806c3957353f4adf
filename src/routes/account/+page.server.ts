import { fail, redirect } from '@sveltejs/kit';
import { message, setError, superValidate } from 'sveltekit-superforms';
import { zod4 } from 'sveltekit-superforms/adapters';
import {
	DM_POLICIES,
	blockSchema,
	dmPolicySchema,
	emailNotifySchema,
	emailSchema,
	timeZoneSchema
} from '$lib/schemas';
import {
	blockUser,
	reachFields,
	reachSettingsFrom,
	setDmPolicy,
	unblockUser
} from '$lib/server/blocks';
import { db } from '$lib/server/db';
import { DmPolicy, users } from '$lib/server/db/schema';
import { eq } from 'drizzle-orm';
import { leaveGroupsSharedWith } from '$lib/server/threads';
import {
	changeEmail,
	emailAccountFrom,
	emailFields,
	setEmailNotify
} from '$lib/server/email/account';
import { emailSettings } from '$lib/server/email/settings';
import { readForm } from '$lib/server/http/form';
import { checkLimits, clearLimits, perAccount, tooMany } from '$lib/server/limits';
import { requireUser } from '$lib/server/session';
import { setTimeZone } from '$lib/server/users';
import { timeZoneNames } from '$lib/time-zone';
import { m } from '$lib/paraglide/messages';
import { getLocale } from '$lib/paraglide/runtime';
import type { Actions, PageServerLoad } from './$types';

// SPEC §8: the account page, one form per setting, each posting to its own action.
const TIME_ZONE_FORM = 'time-zone';
const EMAIL_FORM = 'email';
const EMAIL_NOTIFY_FORM = 'email-notify';
const DM_POLICY_FORM = 'dm-policy';
const BLOCK_FORM = 'block';

export const load: PageServerLoad = async (event) => {
	const user = requireUser(event);
	const timeZone = user.timeZone ?? 'UTC';
	// The user's own settings in one statement: email, and who can reach them.
	const [row] = await db
		.select({ ...emailFields, ...reachFields(user.id) })
		.from(users)
		.where(eq(users.id, user.id));
	const email = emailAccountFrom(row);
	const { dmPolicy, blocked } = reachSettingsFrom(row);
	const params = event.url.searchParams;
	return {
		timeZoneForm: await superValidate({ timeZone }, zod4(timeZoneSchema), { id: TIME_ZONE_FORM }),
		timeZones: timeZoneNames(user.timeZone),
		emailOn: emailSettings() !== null,
		email: { address: email.email, verified: email.verified, error: email.error },
		emailForm: await superValidate({ email: email.email, currentPassword: '' }, zod4(emailSchema), {
			id: EMAIL_FORM,
			errors: false
		}),
		emailNotifyForm: await superValidate({ emailNotify: email.notify }, zod4(emailNotifySchema), {
			id: EMAIL_NOTIFY_FORM
		}),
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
		redirect(303, `/account?saved=${TIME_ZONE_FORM}`);
	},
	email: async (event) => {
		const user = requireUser(event);
		const form = await superValidate(await readForm(event.request), zod4(emailSchema), {
			id: EMAIL_FORM
		});
		const { currentPassword } = form.data;
		form.data.currentPassword = ''; // never sent back
		if (!form.valid) return fail(400, { form });
		const settings = emailSettings();
		if (!settings) return message(form, m.email_off_server(), { status: 400 });
		// Someone at an unlocked screen could guess here too: it counts as a log-in attempt.
		const account = perAccount(user.username);
		const wait = await checkLimits(account);
		if (wait) return tooMany(event, form, m.limit_attempts, wait);
		const changed = await changeEmail(
			db,
			settings,
			user,
			currentPassword,
			form.data.email,
			getLocale()
		);
		if (!changed) return setError(form, 'currentPassword', m.wrong_current_password());
		await clearLimits(account);
		if (changed.notSent) {
			return message(form, m.email_not_sent({ error: changed.notSent }), { status: 400 });
		}
		redirect(303, `/account?saved=${form.data.email ? EMAIL_FORM : 'email-removed'}`);
	},
	emailNotify: async (event) => {
		const user = requireUser(event);
		const form = await superValidate(await readForm(event.request), zod4(emailNotifySchema), {
			id: EMAIL_NOTIFY_FORM
		});
		if (!form.valid) return fail(400, { form });
		await setEmailNotify(db, user.id, form.data.emailNotify, getLocale());
		redirect(303, `/account?saved=${EMAIL_NOTIFY_FORM}`);
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
	// Chosen after blocking: out of the group threads shared with them too (threads/leave-shared.ts).
	leaveShared: async (event) => {
		const user = requireUser(event);
		const form = await superValidate(await readForm(event.request), zod4(blockSchema));
		const left = form.valid ? await leaveGroupsSharedWith(db, user.id, form.data.username) : 0;
		redirect(303, savedAs(`left-shared-${left}`, form.valid ? form.data.username : undefined));
	},
	unblock: async (event) => {
		const user = requireUser(event);
		const form = await superValidate(await readForm(event.request), zod4(blockSchema));
		// A button's hidden name: nothing to show a 400 next to; unblocking no one changes nothing.
		if (form.valid) await unblockUser(db, user.id, form.data.username);
		redirect(303, savedAs('unblocked', form.valid ? form.data.username : undefined));
	}
};
