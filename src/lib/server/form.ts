import { error } from '@sveltejs/kit';

const FORM_TYPE = /^(application\/x-www-form-urlencoded|multipart\/form-data)\s*(;|$)/i;

/**
 * The posted form. Handed the request itself, superValidate takes a body it cannot read (over
 * BODY_SIZE_LIMIT, `text/plain`, broken multipart) for an empty form: a 400 that says nothing of
 * what went wrong, and the user's text gone.
 */
export function readForm(request: Request): Promise<FormData> {
	return request.formData().catch((cause: unknown) => {
		if ((cause as { status?: unknown } | null)?.status === 413) {
			error(413, 'This form is too large to send.');
		}
		if (!FORM_TYPE.test(request.headers.get('content-type') ?? '')) {
			error(415, 'Send forms URL-encoded or as multipart/form-data.');
		}
		error(400, 'This form could not be read.');
	});
}
