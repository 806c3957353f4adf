import { MAILBOX } from '$lib/reloads';
import { db } from '$lib/server/db';
import { getMailbox } from '$lib/server/mailbox';
import { TIME_ZONE_COOKIE, shownTimeZone } from '$lib/time-zone';
import type { LayoutServerLoad } from './$types';

export const load: LayoutServerLoad = async ({ locals, url, cookies, depends }) => {
	const { user, scheme } = locals;
	const timeZone = shownTimeZone(cookies.get(TIME_ZONE_COOKIE), user?.timeZone);
	if (!user) return { user, scheme, timeZone };
	// A live event re-loads it (src/lib/live.svelte.ts).
	depends(MAILBOX);
	// Reading the path makes this load run again on every client-side navigation too, so the
	// unread badge is fresh on every page, not only on full page loads.
	void url.pathname;
	return { user, scheme, timeZone, ...(await getMailbox(db, user.id)) };
};
