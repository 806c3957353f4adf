import { afterEach, describe, expect, it, vi } from 'vitest';
import { onMessageSent, type MessageSentEvent } from './message-sent';
import { databases, makeUsers, useDatabase } from './http/testing';
import { getThread, reply, startThread } from './threads';

describe.each(databases)('the message-sent hook on %s', (_, options) => {
	const db = useDatabase(options);
	const unsubscribe: (() => void)[] = [];

	/** Records every event, and what another connection could read of the thread at that moment. */
	function listen() {
		const events: { event: MessageSentEvent; stored: Awaited<ReturnType<typeof getThread>> }[] = [];
		unsubscribe.push(
			onMessageSent(async (event) => {
				const stored = await getThread(db(), event.message.senderId, event.thread.id);
				events.push({ event, stored });
			})
		);
		return events;
	}

	afterEach(() => {
		unsubscribe.splice(0).forEach((off) => off());
		vi.restoreAllMocks();
	});

	it('hears a new thread after it is committed', async () => {
		const events = listen();
		const [a, b, c] = await makeUsers(db(), 3);
		const { thread, message } = await startThread(db(), {
			from: a.id,
			to: [b.id, c.id],
			subject: ' Hook ',
			content: 'Hi'
		});

		expect(events).toEqual([
			{
				event: {
					message,
					thread: { id: thread.id, subject: 'Hook', participantIds: [a.id, b.id, c.id] },
					isReply: false
				},
				stored: expect.objectContaining({ id: thread.id, lastMessageId: message.id })
			}
		]);
		expect(events[0].event.message).toMatchObject({ senderId: a.id, content: 'Hi' });
		expect(events[0].event.message.sentAt).toBeInstanceOf(Date);
	});

	it('hears a reply after it is committed, with every participant', async () => {
		const [a, b, c] = await makeUsers(db(), 3);
		const { thread } = await startThread(db(), {
			from: a.id,
			to: [b.id, c.id],
			subject: 'Hook',
			content: 'Hi'
		});
		const events = listen();

		const sent = await reply(db(), { from: c.id, threadId: thread.id, content: 'Back' });

		expect(events).toHaveLength(1);
		const [{ event, stored }] = events;
		expect(event.isReply).toBe(true);
		expect(event.message).toEqual(sent!.message);
		expect(event.message).toMatchObject({ senderId: c.id, content: 'Back' });
		expect(event.thread).toMatchObject({ id: thread.id, subject: 'Hook' });
		expect([...event.thread.participantIds].sort((x, y) => x - y)).toEqual(
			[a.id, b.id, c.id].sort((x, y) => x - y)
		);
		expect(stored).toMatchObject({ lastMessageId: sent!.message.id });
	});

	it('does not fail the send when a listener throws, and still calls the others', async () => {
		const logged = vi.spyOn(console, 'error').mockImplementation(() => {});
		unsubscribe.push(
			onMessageSent(() => {
				throw new Error('listener broke');
			})
		);
		const events = listen();
		const [a, b] = await makeUsers(db(), 2);

		const { thread } = await startThread(db(), {
			from: a.id,
			to: [b.id],
			subject: 'S',
			content: 'C'
		});
		const sent = await reply(db(), { from: b.id, threadId: thread.id, content: 'R' });

		expect(sent).not.toBeNull();
		expect(events.map((e) => e.event.isReply)).toEqual([false, true]);
		expect(await getThread(db(), a.id, thread.id)).toMatchObject({
			lastMessageId: sent!.message.id
		});
		expect(logged).toHaveBeenCalledTimes(2);
		expect(logged).toHaveBeenCalledWith('message-sent listener failed', expect.any(Error));
	});

	it('is not called when nothing is sent', async () => {
		const events = listen();
		const [a, b, outsider] = await makeUsers(db(), 3);

		await expect(
			startThread(db(), { from: a.id, to: [-1], subject: 'Ghost', content: 'Hi' })
		).rejects.toThrow();
		await expect(
			startThread(db(), { from: a.id, to: [b.id], subject: ' ', content: 'Hi' })
		).rejects.toThrow();
		const { thread } = await startThread(db(), {
			from: a.id,
			to: [b.id],
			subject: 'S',
			content: 'C'
		});
		expect(await reply(db(), { from: outsider.id, threadId: thread.id, content: 'Hi' })).toBeNull();
		await expect(reply(db(), { from: b.id, threadId: thread.id, content: '' })).rejects.toThrow();

		expect(events.map((e) => e.event.thread.id)).toEqual([thread.id]);
	});

	it('stops calling a listener once unsubscribed', async () => {
		const heard: MessageSentEvent[] = [];
		const off = onMessageSent((event) => void heard.push(event));
		const [a, b] = await makeUsers(db(), 2);
		await startThread(db(), { from: a.id, to: [b.id], subject: 'One', content: 'C' });
		off();
		await startThread(db(), { from: a.id, to: [b.id], subject: 'Two', content: 'C' });
		expect(heard.map((e) => e.thread.subject)).toEqual(['One']);
	});
});
