import { sql, type Placeholder } from 'drizzle-orm';
import type { WithSubqueryWithSelection } from 'drizzle-orm/pg-core';
import type { DB } from '../db/client';
import { messages, threads } from '../db/schema';

// What writing a message shares: what it gives back, and the statement's insert of it.

export interface NewThread {
	from: number;
	to: number[];
	subject: string;
	content: string;
	/** The form's one-time token (form-tokens.ts), if any. */
	token?: string;
	/** Those of `to` it reaches as a message request (recipients.ts says who). */
	requests?: number[];
}

/** A message sent; with `repeated`, the one that the first post of a form's token sent. */
export interface Sent {
	/** `requestIds`: those it reached as a message request (no badge, no announcement, no mail). */
	thread: { id: string; subject: string; participantIds: number[]; requestIds?: number[] };
	message: { id: number; threadId: string; senderId: number; content: string; sentAt: Date };
	repeated?: true;
}

/** The message row the statements below return. */
export type MessageCte = ReturnType<typeof insertMessage>;

/**
 * A CTE that inserts the message of `from` into the thread `thread` (a CTE of its row) and
 * gives it back.
 */
export function insertMessage(
	db: DB,
	thread: WithSubqueryWithSelection<
		{ id: typeof threads.id; sentAt: typeof threads.lastSentAt },
		string
	>,
	from: Placeholder
) {
	return db
		.$with('message', {
			id: messages.id,
			threadId: messages.threadId,
			senderId: messages.senderId,
			content: messages.content,
			sentAt: messages.sentAt
		})
		.as(
			sql`insert into ${messages} (thread_id, sender_id, content, sent_at)
				select ${thread.id}, ${from}::int, ${sql.placeholder('content')}::text, ${thread.sentAt}
				from ${thread}
				returning id, thread_id, sender_id, content, sent_at`
		);
}

export const messageFields = (message: MessageCte) => ({
	id: message.id,
	threadId: message.threadId,
	senderId: message.senderId,
	content: message.content,
	sentAt: message.sentAt
});
