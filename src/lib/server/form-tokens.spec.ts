import { and, count, eq, sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import type { DB } from './db/client';
import { formTokens, messages, participants } from './db/schema';
import { newFormToken, sweepFormTokens } from './form-tokens';
import { onMessageSent } from './message-sent';
import { databases, makeUsers, useDatabase } from './http/testing';
import { reply, startThread } from './threads';

// A form's one-time token, recorded by the statement that sends: a second post of the form makes
// nothing and gives what the first made, however close together the two posts come.

const SAME_MOMENT = 12;

async function messageCount(db: DB, where: ReturnType<typeof eq>) {
	const [row] = await db.select({ n: count() }).from(messages).where(where);
	return row.n;
}

describe.each(databases)('one-time form tokens on %s', (_, options) => {
	const db = useDatabase(options);

	it('a new message posted twice with one token makes one thread, and gives it both times', async () => {
		const [alice, bob] = await makeUsers(db(), 2);
		const heard: number[] = [];
		const stop = onMessageSent(({ message }) => void heard.push(message.id));
		const post = () =>
			startThread(db(), {
				from: alice.id,
				to: [bob.id],
				subject: 'Once',
				content: 'Only once, please.',
				token: newFormToken(alice.id)
			});
		const token = newFormToken(alice.id);
		const input = { from: alice.id, to: [bob.id], subject: 'Once', content: 'Hi', token };
		const first = await startThread(db(), input);
		const second = await startThread(db(), input);
		stop();

		expect(first.repeated).toBeUndefined();
		expect(second).toEqual({ ...first, repeated: true });
		expect(await messageCount(db(), eq(messages.senderId, alice.id))).toBe(1);
		const states = await db()
			.select()
			.from(participants)
			.where(eq(participants.threadId, first.thread.id));
		expect(states).toHaveLength(2);
		// The listeners heard of the one message sent, once.
		expect(heard.filter((id) => id === first.message.id)).toHaveLength(1);
		// Another form's token is another message.
		expect((await post()).thread.id).not.toBe(first.thread.id);
	});

	it('a reply posted twice with one token is stored once, and leaves everyone as the first did', async () => {
		const [alice, bob] = await makeUsers(db(), 2);
		const { thread } = await startThread(db(), {
			from: alice.id,
			to: [bob.id],
			subject: 'Replies',
			content: 'Start'
		});
		const input = {
			from: bob.id,
			threadId: thread.id,
			content: 'Yes.',
			token: newFormToken(bob.id)
		};
		const first = await reply(db(), input);
		const stateAfterFirst = await db()
			.select()
			.from(participants)
			.where(eq(participants.threadId, thread.id))
			.orderBy(participants.userId);
		const second = await reply(db(), input);

		expect(first!.repeated).toBeUndefined();
		expect(second).toEqual({ ...first, repeated: true });
		expect(await messageCount(db(), eq(messages.threadId, thread.id))).toBe(2);
		expect(
			await db()
				.select()
				.from(participants)
				.where(eq(participants.threadId, thread.id))
				.orderBy(participants.userId)
		).toEqual(stateAfterFirst);
	});

	it('without a token, or with a token of another user, each post is a message', async () => {
		const [alice, bob] = await makeUsers(db(), 2);
		const { thread } = await startThread(db(), {
			from: alice.id,
			to: [bob.id],
			subject: 'Scripts',
			content: 'Start'
		});
		await reply(db(), { from: bob.id, threadId: thread.id, content: 'One' });
		await reply(db(), { from: bob.id, threadId: thread.id, content: 'One' });
		// A token that is not one (no form of ours sends it) counts as none.
		await reply(db(), { from: bob.id, threadId: thread.id, content: 'Two', token: 'x' });
		await reply(db(), { from: bob.id, threadId: thread.id, content: 'Two', token: 'x' });
		// Tokens are each user's own.
		const token = newFormToken(bob.id);
		const bobs = await reply(db(), { from: bob.id, threadId: thread.id, content: 'Mine', token });
		const alices = await reply(db(), {
			from: alice.id,
			threadId: thread.id,
			content: 'Mine',
			token
		});
		expect(alices!.repeated).toBeUndefined();
		expect(alices!.message.id).not.toBe(bobs!.message.id);
		expect(await messageCount(db(), eq(messages.threadId, thread.id))).toBe(7);
	});

	it('a reply refused (not in the thread) uses no token', async () => {
		const [alice, bob, eve] = await makeUsers(db(), 3);
		const { thread } = await startThread(db(), {
			from: alice.id,
			to: [bob.id],
			subject: 'Private',
			content: 'Start'
		});
		const token = newFormToken(eve.id);
		expect(
			await reply(db(), { from: eve.id, threadId: thread.id, content: 'Hi', token })
		).toBeNull();
		const [used] = await db()
			.select({ n: count() })
			.from(formTokens)
			.where(and(eq(formTokens.userId, eve.id), eq(formTokens.token, token)));
		expect(used.n).toBe(0);
	});

	it(`${SAME_MOMENT} posts of one reply form at the same moment store exactly one reply`, async () => {
		const [alice, bob] = await makeUsers(db(), 2);
		const { thread } = await startThread(db(), {
			from: alice.id,
			to: [bob.id],
			subject: 'Race',
			content: 'Start'
		});
		const input = {
			from: bob.id,
			threadId: thread.id,
			content: 'Quick!',
			token: newFormToken(bob.id)
		};
		const results = await Promise.all(
			Array.from({ length: SAME_MOMENT }, () => reply(db(), input))
		);

		expect(await messageCount(db(), eq(messages.threadId, thread.id))).toBe(2);
		expect(new Set(results.map((sent) => sent!.message.id)).size).toBe(1);
		expect(results.filter((sent) => !sent!.repeated)).toHaveLength(1);
	});

	it(`${SAME_MOMENT} posts of one new-message form at the same moment start exactly one thread`, async () => {
		const [alice, bob] = await makeUsers(db(), 2);
		const input = {
			from: alice.id,
			to: [bob.id],
			subject: 'Race',
			content: 'Start',
			token: newFormToken(alice.id)
		};
		const results = await Promise.all(
			Array.from({ length: SAME_MOMENT }, () => startThread(db(), input))
		);

		expect(await messageCount(db(), eq(messages.senderId, alice.id))).toBe(1);
		expect(new Set(results.map((sent) => sent.thread.id)).size).toBe(1);
		expect(results.filter((sent) => !sent.repeated)).toHaveLength(1);
		const rows = await db().select().from(participants).where(eq(participants.userId, bob.id));
		expect(rows).toHaveLength(1);
	});

	it('the sweep forgets tokens used more than a day ago, and keeps the rest', async () => {
		const [alice, bob] = await makeUsers(db(), 2);
		const send = (token: string) =>
			startThread(db(), { from: alice.id, to: [bob.id], subject: 'Old', content: 'Hi', token });
		const [old, recent] = [newFormToken(alice.id), newFormToken(alice.id)];
		await send(old);
		await send(recent);
		await db()
			.update(formTokens)
			.set({ usedAt: sql`now() - interval '25 hours'` })
			.where(eq(formTokens.token, old));

		await sweepFormTokens(db());
		const left = await db()
			.select({ token: formTokens.token })
			.from(formTokens)
			.where(eq(formTokens.userId, alice.id));
		expect(left.map((row) => row.token)).toEqual([recent]);
		// Once forgotten, the old token is a new form's again.
		expect((await send(old)).repeated).toBeUndefined();
		expect((await send(recent)).repeated).toBe(true);
	});
});
