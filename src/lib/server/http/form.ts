import { error, type RequestEvent } from '@sveltejs/kit';
import { superValidate } from 'sveltekit-superforms';
import type { ValidationAdapter } from 'sveltekit-superforms/adapters';
import { m } from '$lib/paraglide/messages';
import { newFormToken } from '../form-tokens';
import { draftForPage } from './session-ended';

const FORM_TYPE = /^(application\/x-www-form-urlencoded|multipart\/form-data)\s*(;|$)/i;

/**
 * The posted form. Handed the request itself, superValidate takes a body it cannot read (over
 * BODY_SIZE_LIMIT, `text/plain`, broken multipart) for an empty form: a 400 that says nothing of
 * what went wrong, and the user's text gone.
 */
export function readForm(request: Request): Promise<FormData> {
	return request.formData().catch((cause: unknown) => {
		if ((cause as { status?: unknown } | null)?.status === 413) {
			error(413, m.form_too_large());
		}
		if (!FORM_TYPE.test(request.headers.get('content-type') ?? '')) {
			error(415, m.form_wrong_type());
		}
		error(400, m.form_unreadable());
	});
}

/**
 * A compose or reply form as its page shows it to `userId`: `values` filled in, a new one-time
 * token, and the text kept for this page when its session ended (said to be unsent), if any.
 */
export async function writingForm<T extends Record<string, unknown>>(
	event: Pick<RequestEvent, 'cookies' | 'url'>,
	userId: number,
	schema: ValidationAdapter<T>,
	values: Partial<T> = {}
) {
	const draft = await draftForPage(event, userId);
	const data = { ...values, ...draft, token: newFormToken(userId) };
	const form = await superValidate(data as Partial<T>, schema, { errors: false });
	if (draft) form.message = m.draft_not_sent();
	return form;
}
