import { isRedirect, json, type Cookies, type Handle, type RequestEvent } from '@sveltejs/kit';

type CookieSet = Parameters<Cookies['set']>;

/** The request's cookies, noting each one set or deleted through them. */
function noting(cookies: Cookies, notes: CookieSet[]): Cookies {
	return {
		...cookies,
		set: (...cookie) => {
			notes.push(cookie);
			cookies.set(...cookie);
		},
		delete: (name, options) => {
			notes.push([name, '', { ...options, maxAge: 0 }]);
			cookies.delete(name, options);
		}
	};
}

/** A redirect in the form the request reads, as SvelteKit gives it. */
function redirectFor(event: RequestEvent, status: number, location: string): Response {
	// A client-side navigation's data request, and a form enhanced by JavaScript, read JSON.
	if (event.isDataRequest) {
		return json(
			{ type: 'redirect', location },
			{ headers: { 'cache-control': 'private, no-store' } }
		);
	}
	const { request, route } = event;
	if (
		request.method === 'POST' &&
		route.id &&
		request.headers.get('accept')?.includes('application/json')
	) {
		return json({ type: 'redirect', status, location });
	}
	return new Response(null, { status, headers: { location } });
}

/**
 * A redirect thrown by a handle (the sign-in guard) is answered here, as SvelteKit would answer
 * it, with the cookies set before it. SvelteKit answers it outside every handle, so without the
 * headers they add (CSP, nosniff, no-store…); and when the path cannot be decoded
 * (`/messages/%ff`) it leaves the throw uncaught, which ended the server's process.
 */
export const thrownRedirects: Handle = async ({ event, resolve }) => {
	const notes: CookieSet[] = [];
	try {
		return await resolve({ ...event, cookies: noting(event.cookies, notes) });
	} catch (thrown) {
		if (!isRedirect(thrown)) throw thrown;
		const response = redirectFor(event, thrown.status, thrown.location);
		for (const [name, value, options] of notes) {
			response.headers.append('set-cookie', event.cookies.serialize(name, value, options));
		}
		return response;
	}
};
