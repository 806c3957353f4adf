import { MAILBOX } from '$lib/reloads';
import { db } from '$lib/server/db';
import { getMailbox } from '$lib/server/mailbox';
import type { LayoutServerLoad } from './$types';

export const load: LayoutServerLoad = async ({ locals, url, depends }) => {
	const { user, scheme } = locals;
	if (!user) return { user, scheme };
	// A live event re-loads it (src/lib/live.svelte.ts).
	depends(MAILBOX);
	// Reading the path makes this load run again on every client-side navigation too, so the
	// unread badge is fresh on every page, not only on full page loads.
	void url.pathname;
	return { user, scheme, ...(await getMailbox(db, user.id)) };
};
