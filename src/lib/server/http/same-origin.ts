import type { Handle } from '@sveltejs/kit';

// SvelteKit's own check of form posts' origin, moved here (svelte.config.js turns it off) so that
// one route can be exempt: mail providers post one-click unsubscribes (RFC 8058) without Origin.

const FORM_TYPES = ['application/x-www-form-urlencoded', 'multipart/form-data', 'text/plain'];
const UNSAFE = ['POST', 'PUT', 'PATCH', 'DELETE'];

/** The one cross-site form post allowed: its token, not a session, says whose mail it stops. */
const isOneClickUnsubscribe = (method: string, path: string) =>
	method === 'POST' && /^\/unsubscribe\/[^/]+$/.test(path);

function isForm(request: Request): boolean {
	const type = request.headers.get('content-type')?.split(';', 1)[0].trim().toLowerCase() ?? '';
	return FORM_TYPES.includes(type);
}

/** Refuses a form post from another origin, as SvelteKit would (same status, same body). */
export const sameOriginForms: Handle = ({ event, resolve }) => {
	const { request, url } = event;
	if (
		UNSAFE.includes(request.method) &&
		isForm(request) &&
		request.headers.get('origin') !== url.origin &&
		!isOneClickUnsubscribe(request.method, url.pathname)
	) {
		const message = `Cross-site ${request.method} form submissions are forbidden`;
		return request.headers.get('accept') === 'application/json'
			? Response.json({ message }, { status: 403 })
			: new Response(message, { status: 403 });
	}
	return resolve(event);
};
