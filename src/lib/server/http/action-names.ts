import type { Handle } from '@sveltejs/kit';

/** The action a form post names with `?/name`, found as SvelteKit finds it; none: undefined. */
function actionName(url: URL): string | undefined {
	for (const key of url.searchParams.keys()) if (key.startsWith('/')) return key.slice(1);
}

/**
 * SvelteKit answers a post naming an action the page does not have with 404, but it reserves
 * `default` (a plain Error: 500, logged as ours) and looks the name up on a plain object, so
 * `?/constructor` or `?/valueOf` ran what every object inherits (500, or 200 for `?/toString`).
 * Such a name is sent on as naming no action at all (`?/`), which gets SvelteKit's own 404.
 */
export const actionNames: Handle = ({ event, resolve }) => {
	const { request } = event;
	const name = request.method === 'POST' ? actionName(new URL(request.url)) : undefined;
	if (name === undefined || (name !== 'default' && !(name in Object.prototype))) {
		return resolve(event);
	}
	const url = new URL(request.url);
	url.search = '?/';
	return resolve({ ...event, request: new Request(url, request) });
};
