import { encodeBase32LowerCaseNoPadding } from '@oslojs/encoding';
import { and, eq, exists, isNull, sql, type Placeholder } from 'drizzle-orm';
import type { z } from 'zod';
import { THREAD_ID_PATTERN } from '../../schemas';
import type { DB } from '../db/client';
import { participants } from '../db/schema';
import { notifyMailbox } from '../live/events';

// What the thread domain's files share: errors, ids, and the pieces of their statements.

/** Thrown by the server API for input that breaks the rules of SPEC §5. */
export class MessagingError extends Error {}

export function valid<T>(schema: z.ZodType<T>, value: unknown): T {
	const result = schema.safeParse(value);
	if (!result.success) throw new MessagingError(result.error.issues[0].message);
	return result.data;
}

export function newThreadId(): string {
	return encodeBase32LowerCaseNoPadding(crypto.getRandomValues(new Uint8Array(10)));
}

// No thread has any other id; and some strings (a NUL byte) would make the query itself fail.
export const isThreadId = (id: string) => THREAD_ID_PATTERN.test(id);

const EXCERPT_LENGTH = 140;

/**
 * The one line a listing shows of a message: its words, one space apart, read only as far as
 * the line reaches. Cut by code points, so no emoji is cut in half.
 */
export function excerptOf(content: string): string {
	let line = '';
	for (const [word] of content.matchAll(/\S+/g)) {
		line += line ? ` ${word}` : word;
		// Two code units at most per code point: enough to tell whether the line is too long.
		if (line.length > 2 * EXCERPT_LENGTH) break;
	}
	const chars = Array.from(line.slice(0, 2 * EXCERPT_LENGTH + 2));
	return chars.length > EXCERPT_LENGTH ? `${chars.slice(0, EXCERPT_LENGTH - 1).join('')}…` : line;
}

export const usernameOf = (userId: number | Placeholder) =>
	sql<string>`(select username from users where id = ${userId})`;

// The clock when the thread's row is taken, not `now()` (when the transaction began): a reply
// that queued for the row would otherwise be stamped earlier than the message before it.
export const lockedNow = sql<Date>`clock_timestamp()`;

/** Whether the user is in the thread and has not left it. */
export const isParticipant = (
	db: DB,
	userId: number | Placeholder,
	threadId: string | Placeholder
) =>
	exists(
		db
			.select({ one: sql`1` })
			.from(participants)
			.where(
				and(
					eq(participants.threadId, threadId),
					eq(participants.userId, userId),
					isNull(participants.leftAt)
				)
			)
	);

/** Tells the user's other tabs and devices that their mailbox changed. */
export const notifySelf = (userId: number, threadId: string) =>
	notifyMailbox(
		sql`json_build_object('k', 'self', 'u', json_build_array(${userId}::int), 't', ${threadId}::text)`
	);
