import { db } from '$lib/server/db';
import { listThreads } from '$lib/server/mailbox';
import { requireUser } from '$lib/server/session';
import { olderCursor } from './cursor';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	const user = requireUser(event);
	const before = olderCursor(event.url);
	return { before, page: await listThreads(db, user.id, 'inbox', before) };
};
