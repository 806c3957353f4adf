import { error, fail, redirect } from '@sveltejs/kit';
import { setError, superValidate, type SuperValidated } from 'sveltekit-superforms';
import { zod4 } from 'sveltekit-superforms/adapters';
import type { z } from 'zod';
import type { SessionUser } from '$lib/server/auth';
import { isolate } from '$lib/bidi';
import { canonicalUsername, composeSchema, parseRecipients } from '$lib/schemas';
import { db } from '$lib/server/db';
import { checkLimits, maxRecipients, tooMany } from '$lib/server/limits';
import { recentContacts } from '$lib/server/mailbox';
import { readForm, writingForm } from '$lib/server/form';
import { requireUser } from '$lib/server/session';
import { startThread } from '$lib/server/threads';
import { findUsersByName } from '$lib/server/users';
import { m } from '$lib/paraglide/messages';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	const user = requireUser(event);
	const { username } = event.params;
	const [contacts, recipient] = await Promise.all([
		recentContacts(db, user),
		username ? findUsersByName(db, [username]).then(([found]) => found) : undefined
	]);
	if (username && !recipient) error(404, m.no_such_user());
	// Nobody can write to themselves (SPEC §5), so their own name is not filled in.
	const to = recipient && recipient.id !== user.id ? recipient.username : '';
	const form = await writingForm(event, user.id, zod4(composeSchema), { to });
	return { form, contacts };
};

/**
 * The users the To field names, or null with the reason set next to it: too many, names nobody
 * has (all of them), or the sender. Checked even when another field is wrong, so that every
 * mistake shows at once.
 */
async function recipientsOf(
	form: SuperValidated<z.infer<typeof composeSchema>>,
	senderId: number
): Promise<SessionUser[] | null> {
	if (form.errors.to) return null;
	const names = parseRecipients(form.data.to);
	const max = maxRecipients();
	if (names.length > max) {
		setError(form, 'to', m.rule_too_many_recipients({ max }));
		return null;
	}
	const recipients = await findUsersByName(db, names);
	const found = new Set(recipients.map((r) => canonicalUsername(r.username)));
	const unknown = names.filter((name) => !found.has(canonicalUsername(name)));
	if (unknown.length) {
		setError(
			form,
			'to',
			m.no_user_named({
				names: unknown.map((name) => m.quoted({ text: isolate(name) })).join(', ')
			})
		);
		return null;
	}
	if (recipients.some((r) => r.id === senderId)) {
		setError(form, 'to', m.not_to_yourself());
		return null;
	}
	return recipients;
}

export const actions: Actions = {
	default: async (event) => {
		const user = requireUser(event);
		const form = await superValidate(await readForm(event.request), zod4(composeSchema));
		const recipients = await recipientsOf(form, user.id);
		if (!form.valid || !recipients) return fail(400, { form });

		const wait = await checkLimits([
			['messagesPerMinute', String(user.id)],
			['threadsPerDay', String(user.id)]
		]);
		if (wait) return tooMany(event, form, m.limit_threads, wait);

		const { thread } = await startThread(db, {
			from: user.id,
			to: recipients.map((r) => r.id),
			subject: form.data.subject,
			content: form.data.message,
			token: form.data.token
		});
		redirect(303, `/messages/thread/${thread.id}`);
	}
};
