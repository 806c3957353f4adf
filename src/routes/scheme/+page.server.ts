import { redirect } from '@sveltejs/kit';
import { SCHEME_COOKIE, schemeOf } from '$lib/scheme';
import { cookieOptions } from '$lib/server/http/cookies';
import { readForm } from '$lib/server/http/form';
import { pathOnSite } from '$lib/server/session';
import type { Actions } from './$types';

const YEAR = 365 * 24 * 60 * 60;

/**
 * The page the switch was used on, from the Referer (sent for same-origin requests under this
 * app's Referrer-Policy), so pages need not carry their own address in a hidden field.
 */
function backTo(request: Request, url: URL): string | null {
	const referer = URL.parse(request.headers.get('referer') ?? '');
	if (!referer || referer.origin !== url.origin) return null;
	return pathOnSite(referer.pathname + referer.search, url);
}

export const actions: Actions = {
	// The header's switch posts here, so it works without JavaScript: remember the choice and go
	// back to the page it was made on.
	default: async ({ request, cookies, url }) => {
		const form = await readForm(request);
		const scheme = schemeOf(form.get('scheme'));
		if (scheme === 'system') cookies.delete(SCHEME_COOKIE, cookieOptions(url));
		else cookies.set(SCHEME_COOKIE, scheme, { ...cookieOptions(url), maxAge: YEAR });
		redirect(303, backTo(request, url) ?? '/scheme');
	}
};
