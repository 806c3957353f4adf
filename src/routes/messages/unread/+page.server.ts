import { db } from '$lib/server/db';
import { listThreads } from '$lib/server/mailbox';
import { requireUser } from '$lib/server/session';
import { FOLDER } from '$lib/reloads';
import { olderCursor } from '../cursor';
import { takeDone } from '../done';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	const user = requireUser(event);
	event.depends(FOLDER);
	const before = olderCursor(event.url);
	// The newest page is the layout's `unreadThreads`, already loaded for every page.
	const olderPage = before ? await listThreads(db, user.id, 'unread', before) : null;
	return { before, olderPage, done: takeDone(event) };
};
