import { error } from '@sveltejs/kit';
import { m } from '$lib/paraglide/messages';

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
