import type { Handle, HandleServerError, ServerInit } from '@sveltejs/kit';
import { sequence } from '@sveltejs/kit/hooks';
import { env } from '$env/dynamic/private';
import { SESSION_COOKIE, sweepExpiredSessions, validateSessionToken } from '$lib/server/auth';
import { db, openDb } from '$lib/server/db';
import { deleteSessionCookie, setSessionCookie } from '$lib/server/session';
import { sendToLogIn } from '$lib/server/http/session-ended';
import { sweepRateLimits } from '$lib/server/rate-limit';
import { sweepFormTokens } from '$lib/server/form-tokens';
import { sweepDrafts } from '$lib/server/drafts';
import { handleShutdown, requestsSettled } from '$lib/server/http/shutdown';
import { actionNames } from '$lib/server/http/action-names';
import { thrownRedirects } from '$lib/server/http/thrown-redirects';
import { countStatements } from '$lib/server/http/statement-count';
import { handleUnavailable, unavailableError } from '$lib/server/http/unavailable';
import { language } from '$lib/server/http/language';
import { startLiveOrWarn } from '$lib/server/live/listen';
import { loggable } from '$lib/server/http/loggable';
import { sameOriginForms } from '$lib/server/http/same-origin';
import { emailSettings } from '$lib/server/email/settings';
import { startEmailWorker } from '$lib/server/email/worker';
import { m } from '$lib/paraglide/messages';
import { frameworkErrorMessage } from '$lib/errors';
import { SCHEME_COOKIE, schemeOf } from '$lib/scheme';

export const init: ServerInit = async () => {
	const handle = await openDb();
	await startLiveOrWarn(handle);
	const email = emailSettings();
	const worker = email && startEmailWorker(db, email, { leaseSeconds: email.leaseSeconds });
	process.once('sveltekit:shutdown', async () => {
		await requestsSettled(10_000);
		await worker?.stop();
		await handle.close();
	});
	// Rows that expired unseen; any instance may do it, and doing it twice is harmless.
	const sweep = () =>
		Promise.all([
			sweepExpiredSessions(db),
			sweepRateLimits(db),
			sweepFormTokens(db),
			sweepDrafts(db)
		]).catch((error) => console.error('Could not sweep expired rows:', loggable(error)));
	void sweep();
	setInterval(sweep, 60 * 60 * 1000).unref();
};

/** The live event stream answers for itself: EventSource cannot follow a redirect to a page. */
const needsUser = (path: string) =>
	/^\/(messages|account)(\/|$)/.test(path) && path !== '/messages/events';

const authenticate: Handle = async ({ event, resolve }) => {
	const token = event.cookies.get(SESSION_COOKIE);
	const { user, session, renewed } = token
		? await validateSessionToken(db, token)
		: { user: null, session: null };
	if (token && session && renewed) setSessionCookie(event, token, session.expiresAt);
	else if (token && !session) deleteSessionCookie(event);
	event.locals.user = user;
	event.locals.session = session;

	// Every load and action guards itself too; this also covers ids no route matches.
	// SvelteKit answers this redirect in the form each request reads (a page, a client-side
	// navigation's data, an enhanced form's JSON), with the cookie changes above.
	if (!user && needsUser(event.url.pathname)) {
		await sendToLogIn(event);
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

/**
 * Form posts as scripts send them, answered as a browser's are (SPEC §3, §5).
 * - One that does not ask for JSON (curl and scripts accept anything) gets 303 on success and
 *   the page with 400 on bad input. SvelteKit would read "anything" as a wish for the JSON its
 *   enhanced forms get; they ask for it by name.
 * - One with no body at all (`curl -X POST …/logout`) is an empty form, once it passes the
 *   same-origin check SvelteKit makes of forms, which skips a post without a body type.
 */
const scriptedFormPosts: Handle = ({ event, resolve }) => {
	const { request } = event;
	if (request.method !== 'POST') return resolve(event);
	if (!request.headers.get('accept')?.includes('application/json')) {
		request.headers.set('accept', 'text/html');
	}
	if (!request.headers.has('content-type')) {
		if (request.headers.get('origin') !== event.url.origin) {
			return new Response('Cross-site POST form submissions are forbidden', { status: 403 });
		}
		request.headers.set('content-type', 'application/x-www-form-urlencoded');
	}
	return resolve(event);
};

const NOT_A_PAGE_CSP =
	"default-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

/**
 * The security headers. SvelteKit gives the pages it renders their Content-Security-Policy
 * (svelte.config.js); anything else answered (a redirect, /status, a navigation's data) loads
 * nothing, so its policy allows nothing.
 */
const securityHeaders: Handle = async ({ event, resolve }) => {
	const response = await resolve(event);
	if (!response.headers.has('content-security-policy')) {
		response.headers.set('content-security-policy', NOT_A_PAGE_CSP);
	}
	response.headers.set('x-content-type-options', 'nosniff');
	response.headers.set('referrer-policy', 'same-origin');
	response.headers.set('x-frame-options', 'DENY');
	// What a signed-in user is sent is theirs alone: no shared cache may keep it, and the
	// browser's may not show it again once they have logged out.
	if (event.locals.user) response.headers.set('cache-control', 'private, no-store');
	return response;
};

/** The colour scheme the visitor picked (a cookie), on `<html>` before any CSS applies. */
const colourScheme: Handle = async ({ event, resolve }) => {
	const scheme = schemeOf(event.cookies.get(SCHEME_COOKIE));
	event.locals.scheme = scheme;
	return resolve(event, {
		transformPageChunk: ({ html }) => html.replace('%courier.scheme%', scheme)
	});
};

export const handle = sequence(
	handleShutdown,
	language,
	reportStatements,
	securityHeaders,
	sameOriginForms,
	scriptedFormPosts,
	actionNames,
	handleUnavailable,
	colourScheme,
	thrownRedirects,
	authenticate
);

export const handleError: HandleServerError = ({ error, event, status }) => {
	// SvelteKit's own 4xx (an unknown route or action, a path that cannot be decoded, not a form):
	// the client's mistake, said in its language. Only 5xx are ours, logged under a reference.
	if (status < 500) return { message: frameworkErrorMessage(status) };
	const unavailable = unavailableError(event, error);
	if (unavailable) return unavailable;
	const errorId = crypto.randomUUID();
	console.error(`[${errorId}]`, loggable(error));
	return { message: m.error_ours(), errorId };
};
