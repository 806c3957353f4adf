import { error, fail, redirect } from '@sveltejs/kit';
import { message, superValidate } from 'sveltekit-superforms';
import { zod4 } from 'sveltekit-superforms/adapters';
import { addPeopleSchema, renameSchema, replySchema } from '$lib/schemas';
import { db } from '$lib/server/db';
import { checkLimits, tooMany } from '$lib/server/limits';
import { readForm, writingForm } from '$lib/server/http/form';
import { getMailbox } from '$lib/server/mailbox';
import { requireUser } from '$lib/server/session';
import { RequestPendingError, openThread, reply } from '$lib/server/threads';
import { newerCursor, olderCursor } from '../../cursor';
import { takeNotice, type Notice } from '../../notice';
import { takeDone } from '../../done';
import { THREAD } from '$lib/reloads';
import { m } from '$lib/paraglide/messages';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	const user = requireUser(event);
	// A live event re-loads it while the tab is visible (src/lib/live.svelte.ts).
	event.depends(THREAD);
	const at = { before: olderCursor(event.url), after: newerCursor(event.url) };
	const [opened, form] = await Promise.all([
		openThread(db, user.id, event.params.id, at),
		writingForm(event, user.id, zod4(replySchema))
	]);
	if (!opened) error(404, m.thread_not_found());
	// The layout loads the mailbox in parallel, maybe before this thread was marked read: when it
	// was, load it again so the header's count is never stale.
	const mailbox = opened.markedRead ? await getMailbox(db, user.id) : {};
	const { thread, blocked, messages, earlier, later, firstUnread } = opened;
	// Restored from this page: this thread, known already.
	const restored = takeNotice(event, (flashed) => flashed.threadId === thread.id);
	const notice: Notice | null =
		restored?.done === 'restored' && !thread.deleted
			? { done: 'restored', thread: { id: thread.id, subject: thread.subject } }
			: null;
	// Group threads: who is in it, what it is called (for members; a leaver only reads).
	const [addForm, renameForm] = thread.left
		? [null, null]
		: await Promise.all([
				superValidate(zod4(addPeopleSchema), { id: 'add' }),
				superValidate({ subject: thread.subject }, zod4(renameSchema), {
					id: 'rename',
					errors: false
				})
			]);
	const done = takeDone(event);
	return {
		...{ thread, blocked, messages, earlier, later, firstUnread, notice, done, ...mailbox, form },
		...{ addForm, renameForm }
	};
};

// SPEC §3: a POST to the thread's own path is the reply, so it is the default action (SvelteKit
// allows no named action beside it: restoring is the `restore` route's).
/** A rejection of this kind as a value, to answer with; any other is thrown on. */
const refused =
	<E>(kind: new () => E) =>
	(cause: unknown): E => {
		if (cause instanceof kind) return cause;
		throw cause;
	};

export const actions: Actions = {
	default: async (event) => {
		const user = requireUser(event);
		const form = await superValidate(await readForm(event.request), zod4(replySchema));
		if (!form.valid) return fail(400, { form });
		const wait = await checkLimits([['messagesPerMinute', String(user.id)]]);
		if (wait) return tooMany(event, form, m.limit_sending, wait);

		const sent = await reply(db, {
			from: user.id,
			threadId: event.params.id,
			content: form.data.content,
			token: form.data.token
		}).catch(refused(RequestPendingError));
		if (sent instanceof RequestPendingError) return message(form, sent.message, { status: 409 });
		if (!sent) error(404, m.thread_not_found());
		redirect(303, `/messages/thread/${event.params.id}#message-${sent.message.id}`);
	}
};
