import type { Handle, HandleServerError, ServerInit } from '@sveltejs/kit';
import { sequence } from '@sveltejs/kit/hooks';
import { env } from '$env/dynamic/private';
import { SESSION_COOKIE, validateSessionToken } from '$lib/server/auth';
import { db, openDb } from '$lib/server/db';
import { loginRedirect, setSessionCookie } from '$lib/server/session';
import { countStatements } from '$lib/server/statement-count';

export const init: ServerInit = async () => {
	const handle = await openDb();
	process.once('sveltekit:shutdown', () => void handle.close());
};

const authenticate: Handle = async ({ event, resolve }) => {
	const token = event.cookies.get(SESSION_COOKIE);
	const { user, session } = token
		? await validateSessionToken(db, token)
		: { user: null, session: null };
	if (token && session) setSessionCookie(event, token, session.expiresAt);
	else if (token) event.cookies.delete(SESSION_COOKIE, { path: '/' });
	event.locals.user = user;
	event.locals.session = session;

	// Every load and action guards itself too; this also covers ids no route matches.
	if (!user && event.url.pathname.startsWith('/messages')) {
		return new Response(null, { status: 303, headers: { location: loginRedirect(event.url) } });
	}
	return resolve(event);
};

/** With `SQL_COUNT` set, each response says how many SQL statements it ran. */
const reportStatements: Handle = async ({ event, resolve }) => {
	if (!env.SQL_COUNT) return resolve(event);
	const [response, statements] = await countStatements(async () => resolve(event));
	response.headers.set('x-sql-statements', String(statements));
	return response;
};

/** The headers that CSP (svelte.config.js) does not cover. */
const securityHeaders: Handle = async ({ event, resolve }) => {
	const response = await resolve(event);
	response.headers.set('x-content-type-options', 'nosniff');
	response.headers.set('referrer-policy', 'same-origin');
	response.headers.set('x-frame-options', 'DENY');
	return response;
};

export const handle = sequence(reportStatements, securityHeaders, authenticate);

export const handleError: HandleServerError = ({ error, status, message }) => {
	// SvelteKit's own 4xx (an unknown route or action, a body too large, not a form): the
	// client's mistake, said as SvelteKit says it. Only 5xx are ours, logged under a reference.
	if (status < 500) return { message };
	const errorId = crypto.randomUUID();
	console.error(`[${errorId}]`, error);
	return { message: 'Something went wrong on our side. Please try again.', errorId };
};
