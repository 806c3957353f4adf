import { m } from '$lib/paraglide/messages';

/**
 * What the error page says of an error SvelteKit raised itself (no page at the path, a path that
 * cannot be decoded, a form sent as JSON…), in the page's language: SvelteKit's own messages
 * ("Not Found", "Malformed URI") are English only. The app's own errors carry their messages.
 */
export function frameworkErrorMessage(status: number): string {
	switch (status) {
		case 400:
			return m.error_bad_request();
		case 404:
			return m.error_not_found();
		case 405:
			return m.error_no_form();
		case 415:
			return m.form_wrong_type();
		default:
			return status < 500 ? m.error_refused() : m.error_generic();
	}
}
