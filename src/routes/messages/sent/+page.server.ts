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
	const page = await listThreads(db, user.id, 'sent', before);
	return { before, page, done: takeDone(event) };
};
