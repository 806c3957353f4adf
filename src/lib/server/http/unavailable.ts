import { json, type Handle, type RequestEvent } from '@sveltejs/kit';
import { unavailableCause } from '../db/unavailable';
import { comeBackLater, eventStream } from '../live/streams';
import { unavailableMessage, unavailablePage } from './unavailable-page';

/** Seconds a client is told to wait: a restart or a failover takes a few. */
const RETRY_AFTER = 5;

// Requests that failed because the database was out of reach, by their locals: the one object
// that the handle hooks, the loads, the actions and handleError all see of a request.
const failedOnDatabase = new WeakSet<App.Locals>();

/**
 * For handleError: what the error page says when the request failed because the database could
 * not be reached, or undefined for any other error. One line in the log, not a stack trace.
 */
export function unavailableError(event: RequestEvent, error: unknown): App.Error | undefined {
	const cause = unavailableCause(error);
	if (!cause) return undefined;
	failedOnDatabase.add(event.locals);
	const { method } = event.request;
	console.warn(`503 ${method} ${event.url.pathname}: database unavailable (${cause.code})`);
	return { message: unavailableMessage(method), unavailable: true };
}

/** A form posted by a browser without JavaScript; an enhanced form says it is one. */
function isPlainFormPost(request: Request): boolean {
	const type = request.headers.get('content-type') ?? '';
	return (
		request.method === 'POST' &&
		!request.headers.has('x-sveltekit-action') &&
		(type.startsWith('application/x-www-form-urlencoded') || type.startsWith('multipart/form-data'))
	);
}

/**
 * Answers 503 with Retry-After, not 500, when the database was out of reach, for pages, data
 * requests and form actions alike. A form posted without JavaScript gets a page holding what
 * was typed, ready to send again: the error page would need the database (the layout's mailbox)
 * and would lose it. The live event stream is told to come back instead: a 503 would end it.
 */
export const handleUnavailable: Handle = async ({ event, resolve }) => {
	// The action reads the body; this copy is read only if the request fails.
	const posted = isPlainFormPost(event.request) ? event.request.clone() : undefined;
	const liveEvents = event.route.id === '/messages/events';
	let response: Response;
	try {
		response = await resolve(event);
		if (response.status !== 500 || !failedOnDatabase.has(event.locals)) return response;
		// SvelteKit's error page, or the JSON that an enhanced form or a client navigation reads.
		response = liveEvents
			? eventStream(comeBackLater(RETRY_AFTER * 1000))
			: posted
				? await unavailablePage(event, posted)
				: new Response(response.body, { status: 503, headers: response.headers });
	} catch (error) {
		// The handles after this one (the session lookup) have no error page of their own.
		const body = unavailableError(event, error);
		if (!body) throw error;
		response = liveEvents
			? eventStream(comeBackLater(RETRY_AFTER * 1000))
			: event.request.headers.has('x-sveltekit-action')
				? json({ type: 'error', error: body }, { status: 503 })
				: event.isDataRequest
					? json(body, { status: 503 })
					: await unavailablePage(event, posted);
	}
	response.headers.set('retry-after', String(RETRY_AFTER));
	return response;
};
