import { redirect, type RequestEvent } from '@sveltejs/kit';
import { cookieOptions } from './cookies';
import { db } from '../db';
import { draftOf, keepDraft, keepsDrafts, takeDraft, type DraftFields } from '../drafts';
import { formTokenUser } from '../form-tokens';
import { loginRedirect } from '../session';

// A message written while signed in and sent after the session ended (a log-out in another tab,
// an expired session): the person is told why they must log in, and comes back to the form with
// what they wrote, which is never sent for them.

/** Says that the form page at its value (a path) has a draft kept for it: set at log-in. */
const DRAFT_COOKIE = 'draft';

/** Whose form this is, by its one-time token, when it is one of our writing forms. */
function writerOf(posted: FormData | null): number | null {
	const token = posted?.get('token');
	return typeof token === 'string' ? formTokenUser(token) : null;
}

/**
 * Sends a signed-out request for a signed-in page to log in, and back after (SPEC §3: 303). A
 * post of one of our writing forms, told by its one-time token (scripts keep the plain 303), is
 * a form written in a session that has since ended.
 */
export async function sendToLogIn(event: RequestEvent): Promise<never> {
	const back = loginRedirect(event.url);
	if (event.request.method === 'POST' && keepsDrafts(event.url.pathname)) {
		if (writerOf(await event.request.formData().catch(() => null)) !== null) {
			// 307: the browser posts the form again, to the log-in page, which carries it in hidden
			// fields (nothing is stored for someone signed out). An enhanced form reads this answer
			// as JSON, and keeps its text in the browser itself.
			if (!event.request.headers.get('accept')?.includes('application/json')) {
				redirect(307, back);
			}
			redirect(303, `${back}&session=ended`);
		}
	}
	redirect(303, back);
}

/** What the log-in form's hidden `draft` field carries. */
interface Carried {
	/** The user the form was written by: the draft is for them alone. */
	by: number;
	fields: DraftFields;
}

/**
 * For the log-in action: the text of a form posted to it again by `sendToLogIn` (with no log-in
 * fields), as the JSON that its hidden `draft` field carries; null for a log-in attempt.
 */
export function resentDraft(posted: FormData, target: string): string | null {
	const by = writerOf(posted);
	if (posted.has('username') || by === null) return null;
	const fields = draftOf(pathOf(target), posted);
	return fields && JSON.stringify({ by, fields } satisfies Carried);
}

/**
 * After logging in: keeps the carried draft for the form page it belongs to, to show it there;
 * unless someone else wrote it (a shared computer), who is not shown it.
 */
export async function keepCarriedDraft(
	event: Pick<RequestEvent, 'cookies' | 'url'>,
	userId: number,
	target: string,
	carried: string
) {
	const path = pathOf(target);
	let fields: DraftFields | null = null;
	try {
		const draft: Partial<Carried> | null = carried ? JSON.parse(carried) : null;
		if (draft?.by === userId) fields = draftOf(path, draft.fields ?? {});
	} catch {
		// Not JSON: a log-in form only carries what resentDraft made, so this is no draft.
	}
	if (!fields) return;
	await keepDraft(db, userId, path, fields);
	event.cookies.set(DRAFT_COOKIE, path, { ...draftCookie(event.url), maxAge: 60 * 60 });
}

/**
 * For a form page's load: the draft kept for it at log-in, once, or null. It looks only when
 * the cookie names this page, so no other page view runs a statement more.
 */
export async function draftForPage(
	event: Pick<RequestEvent, 'cookies' | 'url'>,
	userId: number
): Promise<DraftFields | null> {
	if (event.cookies.get(DRAFT_COOKIE) !== event.url.pathname) return null;
	event.cookies.delete(DRAFT_COOKIE, draftCookie(event.url));
	return takeDraft(db, userId, event.url.pathname);
}

const draftCookie = (url: URL) => ({ ...cookieOptions(url), path: '/messages' });

const pathOf = (target: string) => new URL(target, 'http://x').pathname;
