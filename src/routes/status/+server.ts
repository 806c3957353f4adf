import type { RequestHandler } from './$types';

/**
 * A health check for load balancers, and the benchmark's ceiling: the cheapest request the app
 * serves, a session check (in the handle hook) and a small page, with no layout data.
 */
export const GET: RequestHandler = ({ locals }) =>
	new Response(
		`<!doctype html><title>Courier</title><p>OK${locals.user ? ', signed in' : ''}</p>`,
		{ headers: { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' } }
	);
