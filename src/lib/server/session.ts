import { redirect, type RequestEvent } from '@sveltejs/kit';
import { SESSION_COOKIE, createSession, generateSessionToken, invalidateSession } from './auth';
import { cookieOptions } from './http/cookies';
import { db } from './db';
import type { SignedInUser } from './auth';

export function setSessionCookie(event: RequestEvent, token: string, expiresAt: Date) {
	event.cookies.set(SESSION_COOKIE, token, { ...cookieOptions(event.url), expires: expiresAt });
}

export function deleteSessionCookie(event: Pick<RequestEvent, 'cookies' | 'url'>) {
	event.cookies.delete(SESSION_COOKIE, cookieOptions(event.url));
}

/** Signs the browser in with a new token, ending the session it had (no session fixation). */
export async function startSession(event: RequestEvent, userId: number) {
	if (event.locals.session) await invalidateSession(db, event.locals.session.id);
	const token = generateSessionToken();
	const session = await createSession(db, token, userId);
	setSessionCookie(event, token, session.expiresAt);
}

/**
 * `/login?redirectTo=…` that brings the user back to this page after logging in. Slashes stay
 * as they are (a query may hold them), so it reads `?redirectTo=/messages/create` as SPEC §3 has it.
 */
export function loginRedirect(url: URL): string {
	const path = encodeURIComponent(url.pathname + url.search).replaceAll('%2F', '/');
	return `/login?redirectTo=${path}`;
}

/** The signed-in user, or a redirect to the login page and back. Starts every protected load. */
export function requireUser(event: Pick<RequestEvent, 'locals' | 'url'>): SignedInUser {
	if (!event.locals.user) redirect(303, loginRedirect(event.url));
	return event.locals.user;
}

/**
 * Starts the log-in and sign-up pages' loads: someone signed in has no use for them and goes on.
 * A refused post (wrong password, bad input) is still shown there with its 400, whoever sent it.
 */
export function sendOnIfSignedIn({
	locals,
	url,
	request
}: Pick<RequestEvent, 'locals' | 'url' | 'request'>) {
	// A HEAD is answered as the GET it stands for.
	if (locals.user && request.method !== 'POST') redirect(303, safeRedirectTarget(url));
}

/** Where to go after logging in: a path on this site only, never another origin. */
export function safeRedirectTarget(url: URL): string {
	return pathOnSite(url.searchParams.get('redirectTo'), url) ?? '/messages';
}

/** `target` when it is a path on this site (the one `url` is on), else null. */
export function pathOnSite(target: unknown, url: URL): string | null {
	if (typeof target !== 'string' || !target.startsWith('/')) return null;
	// `//[` or `///` reads as an address whose host is missing or malformed: no path at all.
	if (!URL.canParse(target, url.origin)) return null;
	const resolved = new URL(target, url.origin);
	const path = resolved.pathname + resolved.search + resolved.hash;
	// `/.//evil.example` resolves on this origin to the path `//evil.example`, which a browser
	// reads as another site.
	return resolved.origin === url.origin && !path.startsWith('//') ? path : null;
}
