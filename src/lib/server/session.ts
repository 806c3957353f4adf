import { redirect, type RequestEvent } from '@sveltejs/kit';
import { SESSION_COOKIE, createSession, generateSessionToken } from './auth';
import { db } from './db';
import type { SessionUser } from './auth';

export function setSessionCookie(event: RequestEvent, token: string, expiresAt: Date) {
	event.cookies.set(SESSION_COOKIE, token, {
		path: '/',
		httpOnly: true,
		sameSite: 'lax',
		expires: expiresAt,
		// Only over https: a plain-http install (a LAN address) would otherwise lose every session.
		secure: event.url.protocol === 'https:'
	});
}

export async function startSession(event: RequestEvent, userId: number) {
	const token = generateSessionToken();
	const session = await createSession(db, token, userId);
	setSessionCookie(event, token, session.expiresAt);
}

/** `/login?redirectTo=…` that brings the user back to this page after logging in. */
export function loginRedirect(url: URL): string {
	return `/login?redirectTo=${encodeURIComponent(url.pathname + url.search)}`;
}

/** The signed-in user, or a redirect to the login page and back. Starts every protected load. */
export function requireUser(event: Pick<RequestEvent, 'locals' | 'url'>): SessionUser {
	if (!event.locals.user) redirect(303, loginRedirect(event.url));
	return event.locals.user;
}

/** Where to go after logging in: a path on this site only, never another origin. */
export function safeRedirectTarget(url: URL): string {
	const target = url.searchParams.get('redirectTo');
	if (!target?.startsWith('/')) return '/messages';
	const resolved = new URL(target, url.origin);
	const path = resolved.pathname + resolved.search + resolved.hash;
	// `/.//evil.example` resolves on this origin to the path `//evil.example`, which a browser
	// reads as another site.
	return resolved.origin === url.origin && !path.startsWith('//') ? path : '/messages';
}
