import { AsyncLocalStorage } from 'node:async_hooks';
import type { Handle } from '@sveltejs/kit';
import {
	baseLocale,
	overwriteServerAsyncLocalStorage,
	toLocale,
	type Locale
} from '$lib/paraglide/runtime';

// Paraglide's message functions read the request's language from this store. Its own
// middleware fills the same store, but first rebuilds every request (a new URL and a cloned
// Request, body and all) for the localised URLs Courier does not use: 6 % of the server's CPU
// time on a reply.
const requestLanguage = new AsyncLocalStorage<{ locale?: Locale }>();
overwriteServerAsyncLocalStorage(requestLanguage);

// A browser names a handful of languages. Paraglide's own reading of the header sorts every entry,
// and a crafted header of 16 KiB holds thousands: milliseconds on every request.
const LANGUAGES_READ = 16;

/**
 * The app's language that Accept-Language wants most (its first entries only), read as
 * paraglide's `extractLocaleFromHeader` reads it; undefined when it names none.
 */
export function preferredLocale(header: string | null): Locale | undefined {
	const wanted = (header ?? '')
		.split(',', LANGUAGES_READ)
		.map((entry) => {
			const [tag, weight = '1'] = entry.trim().split(';q=');
			return { tag, weight: Number(weight) };
		})
		.sort((a, b) => b.weight - a.weight);
	for (const { tag } of wanted) {
		const locale = toLocale(tag) ?? toLocale(tag.split('-')[0]);
		if (locale) return locale;
	}
	return undefined;
}

/**
 * The page in the browser's language (Accept-Language, then English): every message after this
 * handle knows it, and the page says it on `<html lang>`.
 */
export const language: Handle = ({ event, resolve }) => {
	const locale = preferredLocale(event.request.headers.get('accept-language')) ?? baseLocale;
	return requestLanguage.run({ locale }, async () => {
		const response = await resolve(event, {
			transformPageChunk: ({ html }) => html.replace('%paraglide.lang%', locale)
		});
		response.headers.append('vary', 'accept-language');
		return response;
	});
};
