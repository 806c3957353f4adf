import { asc, eq, inArray } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { messages, participants, threads } from './db/schema';
import { countUnread } from './mailbox';
import { databases, makeUsers, useDatabase } from './http/testing';
import { openThread, reply, startThread } from './threads';

// Many writers at once, through the server API on a real database (a pool of 10 connections on
// PostgreSQL): every acknowledged message is stored once, in one total order, and every
// participant's read state is exactly what they saw and sent.

const CLIENTS = 50;
const REPLIES_EACH = 40;

describe.each(databases)('concurrency on %s', (_, options) => {
	const db = useDatabase(options);

	it(`${CLIENTS} clients × ${REPLIES_EACH} replies to one thread, opening it as they go`, async () => {
		const users = await makeUsers(db(), CLIENTS);
		const [starter, ...others] = users;
		const started = await startThread(db(), {
			from: starter.id,
			to: others.map((u) => u.id),
			subject: 'Busy',
			content: 'Go'
		});
		const threadId = started.thread.id;

		// Per user: the ids of the replies acknowledged to them, and the newest message each of
		// their page views showed. Every client's last act is a page view.
		const acknowledged = new Map<number, number[]>(users.map((u) => [u.id, []]));
		const seen = new Map<number, number>(users.map((u) => [u.id, 0]));
		await Promise.all(
			users.map(async (user) => {
				for (let i = 0; i < REPLIES_EACH; i++) {
					const sent = await reply(db(), { from: user.id, threadId, content: `${user.id}/${i}` });
					acknowledged.get(user.id)!.push(sent!.message.id);
					if (i % 10 === 9) {
						const opened = await openThread(db(), user.id, threadId);
						const newest = opened!.messages.at(-1)!.id;
						seen.set(user.id, Math.max(seen.get(user.id)!, newest));
					}
				}
			})
		);

		const stored = await db()
			.select()
			.from(messages)
			.where(eq(messages.threadId, threadId))
			.orderBy(asc(messages.id));
		const replies = stored.slice(1);
		expect(replies).toHaveLength(CLIENTS * REPLIES_EACH);
		// Exactly the acknowledged messages, each once, with the content it was sent with.
		const ackedIds = [...acknowledged.values()].flat().sort((a, b) => a - b);
		expect(replies.map((m) => m.id)).toEqual(ackedIds);
		expect(new Set(replies.map((m) => m.content)).size).toBe(replies.length);
		for (const m of replies) expect(m.content.startsWith(`${m.senderId}/`)).toBe(true);
		// Each sender's replies in the order they sent them: ids and times agree.
		for (const user of users) {
			const own = replies.filter((m) => m.senderId === user.id).map((m) => m.content);
			expect(own).toEqual(Array.from({ length: REPLIES_EACH }, (_, i) => `${user.id}/${i}`));
		}
		const times = stored.map((m) => m.sentAt.getTime());
		expect(times).toEqual([...times].sort((a, b) => a - b));

		// The thread's summary and everyone's state point at the one newest message.
		const newest = stored.at(-1)!;
		const [thread] = await db().select().from(threads).where(eq(threads.id, threadId));
		expect(thread.lastSentAt).toEqual(newest.sentAt);
		const states = await db()
			.select()
			.from(participants)
			.where(eq(participants.threadId, threadId));
		expect(states).toHaveLength(CLIENTS);
		for (const state of states) {
			expect(state.lastMessageId).toBe(newest.id);
			// Read up to their own newest reply or the newest message a page showed them: no
			// further, even though other replies landed while their pages were served.
			const own = acknowledged.get(state.userId)!.at(-1)!;
			expect(state.readMessageId).toBe(Math.max(own, seen.get(state.userId)!));
			expect(await countUnread(db(), state.userId)).toBe(state.readMessageId < newest.id ? 1 : 0);
		}
	});

	it('many users starting threads with overlapping recipients at once', async () => {
		const users = await makeUsers(db(), 12);
		const THREADS_EACH = 8;
		// Each sender writes to the next three users around the circle, so every user is a
		// recipient of three senders' threads while sending their own.
		const recipientsOf = (i: number) => [1, 2, 3].map((k) => users[(i + k) % users.length]);
		const sent = await Promise.all(
			users.flatMap((sender, i) =>
				Array.from({ length: THREADS_EACH }, (_, n) =>
					startThread(db(), {
						from: sender.id,
						to: recipientsOf(i).map((u) => u.id),
						subject: `From ${sender.username} #${n}`,
						content: `Hello ${n}`
					})
				)
			)
		);

		const ids = sent.map((s) => s.thread.id);
		expect(new Set(ids).size).toBe(users.length * THREADS_EACH);
		const [stored, states] = await Promise.all([
			db().select().from(messages).where(inArray(messages.threadId, ids)),
			db().select().from(participants).where(inArray(participants.threadId, ids))
		]);
		expect(stored).toHaveLength(ids.length);
		expect(states).toHaveLength(ids.length * 4);
		for (const user of users) {
			// Unread: the threads of the three senders who write to this user.
			expect(await countUnread(db(), user.id)).toBe(3 * THREADS_EACH);
			const own = states.filter((s) => s.userId === user.id);
			expect(own).toHaveLength(4 * THREADS_EACH);
			const read = own.filter((s) => s.readMessageId === s.lastMessageId);
			expect(read.map((s) => s.threadId).sort()).toEqual(
				sent
					.filter((s) => s.message.senderId === user.id)
					.map((s) => s.thread.id)
					.sort()
			);
		}
	});
});
