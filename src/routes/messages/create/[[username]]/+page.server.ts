import { error, fail, redirect } from '@sveltejs/kit';
import { setError, superValidate } from 'sveltekit-superforms';
import { zod4 } from 'sveltekit-superforms/adapters';
import { composeSchema } from '$lib/schemas';
import { db } from '$lib/server/db';
import { checkLimits, tooMany } from '$lib/server/limits';
import { resolveRecipients } from '$lib/server/recipients';
import { recentContacts } from '$lib/server/mailbox';
import { readForm, writingForm } from '$lib/server/http/form';
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

export const actions: Actions = {
	default: async (event) => {
		const user = requireUser(event);
		const form = await superValidate(await readForm(event.request), zod4(composeSchema));
		// Checked even when another field is wrong, so that every mistake shows at once.
		const recipients = form.errors.to ? null : await resolveRecipients(db, user, form.data.to);
		if (recipients?.error) setError(form, 'to', recipients.error);
		if (!form.valid || !recipients?.users) return fail(400, { form });

		const wait = await checkLimits([
			['messagesPerMinute', String(user.id)],
			['threadsPerDay', String(user.id)]
		]);
		if (wait) return tooMany(event, form, m.limit_threads, wait);

		const { thread } = await startThread(db, {
			from: user.id,
			to: recipients.users.map((r) => r.id),
			requests: recipients.requests,
			subject: form.data.subject,
			content: form.data.message,
			token: form.data.token
		});
		redirect(303, `/messages/thread/${thread.id}`);
	}
};
