import { db } from '$lib/server/db';
import { getMailbox } from '$lib/server/mailbox';
import type { LayoutServerLoad } from './$types';

export const load: LayoutServerLoad = async ({ locals, route }) => {
	const user = locals.user;
	if (!user) return { user };
	// Loads run in parallel, so the thread page loads the mailbox itself after marking the
	// thread read; loading it here too would only show a stale unread badge.
	if (route.id === '/messages/thread/[id=threadId]') return { user };
	return { user, ...(await getMailbox(db, user.id)) };
};
