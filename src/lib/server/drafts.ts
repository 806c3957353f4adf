import { and, eq, sql } from 'drizzle-orm';
import { composeSchema, replySchema, THREAD_ID_PATTERN } from '$lib/schemas';
import type { DB } from './db/client';
import { drafts } from './db/schema';

// The text of a form whose session ended before it was sent: it travels with the person through
// the log-in page (never stored for someone signed out), is kept once they are signed in again,
// and is shown by the form's page, once, for them to send (never sent for them).

/** The fields a person types in, of the forms that keep them (not the one-time token). */
const typed = (shape: object) => Object.keys(shape).filter((name) => name !== 'token');

const FORMS: [path: RegExp, fields: string[]][] = [
	[/^\/messages\/create(\/[^/]+)?$/, typed(composeSchema.shape)],
	[
		new RegExp(`^/messages/thread/${THREAD_ID_PATTERN.source.slice(1, -1)}$`),
		typed(replySchema.shape)
	]
];

export type DraftFields = Record<string, string>;

/** Whether the page at `path` (no query) has a form whose text is kept this way. */
export function keepsDrafts(path: string): boolean {
	return FORMS.some(([pattern]) => pattern.test(path));
}

/**
 * The typed fields of the form at `path` from `source` (a posted form, or the object a draft was
 * kept as), or null when that page has no such form, or nothing was typed in it.
 */
export function draftOf(
	path: string,
	source: FormData | Record<string, unknown>
): DraftFields | null {
	const fields = FORMS.find(([pattern]) => pattern.test(path))?.[1];
	if (!fields) return null;
	const valueOf = (name: string) => (source instanceof FormData ? source.get(name) : source[name]);
	const draft = Object.fromEntries(
		fields.map((name) => [name, valueOf(name)]).filter(([, value]) => typeof value === 'string')
	) as DraftFields;
	return Object.values(draft).some((value) => value.trim()) ? draft : null;
}

/** How long a draft waits, once its writer has logged in, for its page to show it. */
const KEPT_FOR = sql`interval '1 hour'`;

/** Keeps `userId`'s draft of the form at `path` (replacing any other they had). */
export async function keepDraft(db: DB, userId: number, path: string, fields: DraftFields) {
	const row = { userId, path, fields: JSON.stringify(fields), savedAt: sql`now()` };
	await db.insert(drafts).values(row).onConflictDoUpdate({ target: drafts.userId, set: row });
}

/** `userId`'s draft of the form at `path`, taken (it is shown once), or null. */
export async function takeDraft(db: DB, userId: number, path: string): Promise<DraftFields | null> {
	const [row] = await db
		.delete(drafts)
		.where(
			and(
				eq(drafts.userId, userId),
				eq(drafts.path, path),
				sql`${drafts.savedAt} > now() - ${KEPT_FOR}`
			)
		)
		.returning({ fields: drafts.fields });
	return row ? draftOf(path, JSON.parse(row.fields)) : null;
}

/** Deletes drafts nobody came back for; any instance may run it at any time. */
export async function sweepDrafts(db: DB) {
	await db.delete(drafts).where(sql`${drafts.savedAt} <= now() - ${KEPT_FOR}`);
}
