import { loggable } from './http/loggable';

/** What a message-sent listener receives, after the message is committed. */
export interface MessageSentEvent {
	message: { id: number; senderId: number; content: string; sentAt: Date };
	thread: { id: string; subject: string; participantIds: number[] };
	isReply: boolean;
}

export type MessageSentListener = (event: MessageSentEvent) => void | Promise<void>;

const listeners = new Set<MessageSentListener>();

/** Calls `listener` after every message sent, new thread or reply. Returns an unsubscribe. */
export function onMessageSent(listener: MessageSentListener): () => void {
	listeners.add(listener);
	return () => listeners.delete(listener);
}

/**
 * Runs every listener. The message is already stored, so a failing listener is logged and does
 * not fail the send.
 */
export async function notifyMessageSent(event: MessageSentEvent): Promise<void> {
	const results = await Promise.allSettled([...listeners].map(async (listener) => listener(event)));
	for (const result of results) {
		if (result.status === 'rejected') {
			console.error('message-sent listener failed', loggable(result.reason));
		}
	}
}
