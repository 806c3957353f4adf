import { maxStreams } from '$lib/server/live/listen';
import { eventStream, openStream } from '$lib/server/live/streams';
import type { RequestHandler } from './$types';

/**
 * The signed-in user's live events (Server-Sent Events): `message` when one reaches them, `self`
 * when they change their own mailbox elsewhere, `resync` when some may have been missed.
 */
export const GET: RequestHandler = ({ locals }) => {
	// 204 tells EventSource to stop retrying; a redirect to the log-in page would not.
	if (!locals.user) return new Response(null, { status: 204 });
	return eventStream(openStream(locals.user.id, maxStreams()));
};
