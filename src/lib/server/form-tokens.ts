import { encodeBase32LowerCaseNoPadding } from '@oslojs/encoding';
import { and, eq, sql, type Placeholder, type SQLWrapper, type WithSubquery } from 'drizzle-orm';
import { DrizzleQueryError } from 'drizzle-orm/errors';
import type { DB } from './db/client';
import { formTokens, messages, participants, threads } from './db/schema';

// One-time form tokens: each compose and reply form carries one, made when the page is rendered.
// The statement that sends the message also records its token, so a second post of the same
// form (a second click, a re-post after a timeout, Back then Send where the browser keeps the
// page) makes nothing, and is sent where the first went. Scripts and the server API may send
// without one, or with their own.

/**
 * A new token for a form shown to `userId`: 120 random bits, after the user's id, which says
 * whose a form sent after its session ended is (session-ended.ts).
 */
export function newFormToken(userId: number): string {
	return `${userId}-${encodeBase32LowerCaseNoPadding(crypto.getRandomValues(new Uint8Array(15)))}`;
}

/** The user a token of ours was made for, or null. */
export function formTokenUser(token: string): number | null {
	const match = /^(\d{1,9})-[a-z2-7]{24}$/.exec(token);
	return match ? Number(match[1]) : null;
}

// Ours, and what a script might pick as an idempotency key (a UUID, base64url); anything else,
// which no form of ours sends, counts as no token.
const TOKEN_PATTERN = /^[A-Za-z0-9_-]{8,64}$/;

/** The token a post carries, or null. */
export function formTokenOf(value: string | undefined): string | null {
	return value && TOKEN_PATTERN.test(value) ? value : null;
}

/**
 * A CTE for the sending statements: records that `from` used `token` (a placeholder, null for
 * none) to make `message`. Its primary key makes a second use fail the whole statement, which
 * so writes nothing; a second use made at the same moment waits for the first to commit, then
 * fails too.
 */
export function recordToken(
	db: DB,
	message: WithSubquery & Record<'id' | 'threadId', SQLWrapper>,
	from: Placeholder
) {
	const token = sql`${sql.placeholder('token')}::text`;
	return db.$with('used_token', {}).as(
		sql`insert into ${formTokens} (user_id, token, thread_id, message_id)
			select ${from}::int, ${token}, ${message.threadId}, ${message.id}
			from ${message} where ${token} is not null`
	);
}

/**
 * Runs a sending statement that records `token` (`send`). When the token was used already it
 * wrote nothing, and this gives null.
 */
export async function sendOnce<T>(token: string | null, send: () => Promise<T>): Promise<T | null> {
	try {
		return await send();
	} catch (error) {
		if (token && isTokenReused(error)) return null;
		throw error;
	}
}

/** Whether `error` is a sending statement failing because its token was used already. */
function isTokenReused(error: unknown): boolean {
	const cause = (error instanceof DrizzleQueryError ? error.cause : error) as
		{ code?: string; constraint?: string; constraint_name?: string } | undefined;
	// postgres.js names the constraint `constraint_name`, PGlite `constraint`.
	const constraint = cause?.constraint_name ?? cause?.constraint;
	return cause?.code === '23505' && constraint === 'form_tokens_user_id_token_pk';
}

/**
 * What `userId` first sent with `token`: the thread and message, as the sending functions give
 * them. The record is their own (they sent that message), so it needs no other check.
 */
export async function firstUseOf(db: DB, userId: number, token: string) {
	const [row] = await db
		.select({
			thread: {
				id: threads.id,
				subject: threads.subject,
				participantIds: sql<number[]>`array(
					select p.user_id from ${participants} p where p.thread_id = ${threads.id} order by p.user_id)`
			},
			message: {
				id: messages.id,
				threadId: messages.threadId,
				senderId: messages.senderId,
				content: messages.content,
				sentAt: messages.sentAt
			}
		})
		.from(formTokens)
		.innerJoin(messages, eq(messages.id, formTokens.messageId))
		.innerJoin(threads, eq(threads.id, formTokens.threadId))
		.where(and(eq(formTokens.userId, userId), eq(formTokens.token, token)));
	// The statement that failed on the token saw its record; only a sweep in the moments since,
	// a day after the first use, could have taken it.
	if (!row) throw new Error('A form token was used, but its record is gone');
	return { ...row, repeated: true as const };
}

/** Forgets tokens used more than a day ago; any instance may run it at any time. */
export async function sweepFormTokens(db: DB) {
	await db.delete(formTokens).where(sql`${formTokens.usedAt} < now() - interval '1 day'`);
}
