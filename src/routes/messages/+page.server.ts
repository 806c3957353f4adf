import { db } from '$lib/server/db';
import { listThreads } from '$lib/server/mailbox';
import { requireUser } from '$lib/server/session';
import { olderCursor } from './cursor';
import { FOLDER } from '$lib/reloads';
import { noticeOf, takeNotice } from './notice';
import { takeDone } from './done';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	const user = requireUser(event);
	event.depends(FOLDER);
	const before = olderCursor(event.url);
	// The newest page is the layout's `inboxThreads`, already loaded for every page.
	const [olderPage, notice] = await Promise.all([
		before ? listThreads(db, user.id, 'inbox', before) : null,
		noticeOf(user.id, takeNotice(event))
	]);
	return { before, olderPage, notice, done: takeDone(event) };
};
