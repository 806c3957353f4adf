import { fail } from '@sveltejs/kit';
import { db } from '$lib/server/db';
import { unsubscribe, unsubscribeOf } from '$lib/server/email/account';
import { emailSettings } from '$lib/server/email/settings';
import { readForm } from '$lib/server/http/form';
import type { Actions, PageServerLoad } from './$types';

// The List-Unsubscribe link of every notification (RFC 8058). A GET only asks, since link
// scanners follow GETs; a POST, the page's button or a mail provider's one-click
// `List-Unsubscribe=One-Click` (sent with no Origin, let through by http/same-origin.ts), stops it.

const whatOf = (token: string) => {
	const settings = emailSettings();
	return settings && unsubscribeOf(settings, token);
};

export const load: PageServerLoad = ({ params }) => {
	const what = whatOf(params.token);
	return { valid: what !== null, all: what?.threadId === 'all' };
};

export const actions: Actions = {
	default: async ({ params, request }) => {
		await readForm(request);
		const settings = emailSettings();
		if (!settings || !(await unsubscribe(db, settings, params.token))) {
			return fail(400, { done: false });
		}
		return { done: true };
	}
};
