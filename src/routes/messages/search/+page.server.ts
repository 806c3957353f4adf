import { db } from '$lib/server/db';
import { searchMessages } from '$lib/server/search';
import { QUERY_MAX } from '$lib/server/search-query';
import { requireUser } from '$lib/server/session';
import { TIME_ZONE_COOKIE, shownTimeZone } from '$lib/time-zone';
import { olderCursor } from '../cursor';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	const user = requireUser(event);
	const query = event.url.searchParams.get('q') ?? '';
	const before = olderCursor(event.url);
	// Days of before: and after: begin at midnight where the reader is, as times are shown.
	const timeZone = shownTimeZone(event.cookies.get(TIME_ZONE_COOKIE), user.timeZone);
	const outcome = await searchMessages(db, user.id, query, { before, timeZone });
	return { query, before, outcome, queryMax: QUERY_MAX };
};
