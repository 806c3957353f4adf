import { maxStreams } from '$lib/server/live/listen';
import { comeBackLater, eventStream, openStream } from '$lib/server/live/streams';
import { shuttingDown } from '$lib/server/http/shutdown';
import type { RequestHandler } from './$types';

/**
 * The signed-in user's live events (Server-Sent Events): `message` when one reaches them, `self`
 * when they change their own mailbox elsewhere, `resync` when some may have been missed.
 */
export const GET: RequestHandler = (event) => {
	const { user } = event.locals;
	// 204 tells EventSource to stop retrying; a redirect to the log-in page would not.
	if (!user) return new Response(null, { status: 204 });
	// A stream opened now would outlive the shutdown's closing of them all, and hold up the exit
	// (until adapter-node's SHUTDOWN_TIMEOUT): its client comes back, to another instance.
	if (shuttingDown(event)) return eventStream(comeBackLater());
	// HEAD answers as GET does, without a stream to hold open (nothing would ever read it).
	if (event.request.method === 'HEAD') return eventStream(null);
	return eventStream(openStream(user.id, maxStreams()));
};
