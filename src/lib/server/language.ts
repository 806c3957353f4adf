import { AsyncLocalStorage } from 'node:async_hooks';
import type { Handle } from '@sveltejs/kit';
import {
	baseLocale,
	extractLocaleFromHeader,
	overwriteServerAsyncLocalStorage,
	type Locale
} from '$lib/paraglide/runtime';

// Paraglide's message functions read the request's language from this store. Its own
// middleware fills the same store, but first rebuilds every request (a new URL and a cloned
// Request, body and all) for the localised URLs Courier does not use: 6 % of the server's CPU
// time on a reply.
const requestLanguage = new AsyncLocalStorage<{ locale?: Locale }>();
overwriteServerAsyncLocalStorage(requestLanguage);

/**
 * The page in the browser's language (Accept-Language, then English): every message after this
 * handle knows it, and the page says it on `<html lang>`.
 */
export const language: Handle = ({ event, resolve }) => {
	const locale = extractLocaleFromHeader(event.request) ?? baseLocale;
	return requestLanguage.run({ locale }, async () => {
		const response = await resolve(event, {
			transformPageChunk: ({ html }) => html.replace('%paraglide.lang%', locale)
		});
		response.headers.append('vary', 'accept-language');
		return response;
	});
};
