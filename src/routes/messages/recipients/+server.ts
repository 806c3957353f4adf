import { json } from '@sveltejs/kit';
import { db } from '$lib/server/db';
import { checkLimits } from '$lib/server/limits';
import { lookUpUsernames } from '$lib/server/reach';
import { requireUser } from '$lib/server/session';
import type { RequestHandler } from './$types';

/**
 * The To field's suggestions as one types (ComposeForm's combobox): `?q=` a username's start,
 * `@` allowed. Usernames only, as the product shows them to anyone signed in; rate-limited.
 */
export const GET: RequestHandler = async (event) => {
	const user = requireUser(event);
	const q = (event.url.searchParams.get('q') ?? '').trim().replace(/^@/, '');
	if (!q) return json({ names: [] });
	const wait = await checkLimits([['lookupsPerMinute', String(user.id)]]);
	if (wait) return json({ names: [] }, { status: 429, headers: { 'retry-after': String(wait) } });
	return json({ names: await lookUpUsernames(db, user, q) });
};
