import type { Handle, RequestEvent } from '@sveltejs/kit';

let running = 0;
let settled: (() => void) | undefined;

/** adapter-node's own request (`platform.req`): its socket's server says whether it listens. */
type NodePlatform = { req?: { socket: { server?: { listening: boolean } } } };

/** Whether the server has stopped listening (SIGTERM): it answers what it has, then exits. */
export function shuttingDown(event: RequestEvent): boolean {
	return (event.platform as NodePlatform | undefined)?.req?.socket.server?.listening === false;
}

/**
 * Counts the requests in progress, so that shutdown can wait for them; and once the server has
 * stopped listening (SIGTERM), closes each connection after its answer. adapter-node would go
 * on serving a busy keep-alive connection until SHUTDOWN_TIMEOUT (30 s), then cut it mid-request.
 */
export const handleShutdown: Handle = async ({ event, resolve }) => {
	running++;
	try {
		const response = await resolve(event);
		if (shuttingDown(event)) response.headers.set('connection', 'close');
		return response;
	} finally {
		if (--running === 0) settled?.();
	}
};

/**
 * Resolves once no request is in progress, or after `ms`. adapter-node emits
 * `sveltekit:shutdown` when its last connection has closed, but a request whose client went
 * away can still be running: closing the database under it would fail it (CONNECTION_ENDED).
 */
export function requestsSettled(ms: number): Promise<void> {
	if (running === 0) return Promise.resolve();
	return new Promise((resolve) => {
		const timer = setTimeout(resolve, ms);
		settled = () => {
			clearTimeout(timer);
			resolve();
		};
	});
}
