import { and, count, eq, sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import type { DB } from './db/client';
import { MessageKind, messages, participants, threads } from './db/schema';
import { countUnread, listThreads } from './mailbox';
import { databases, makeUsers, useDatabase } from './http/testing';
import { blockUser } from './blocks';
import {
	addPeople,
	getThread,
	leaveGroupsSharedWith,
	leaveThread,
	openThread,
	rejoinThread,
	renameThread,
	reply,
	startThread
} from './threads';

type User = { id: number; username: string };

const start = (db: DB, from: User, to: User[], subject = 'Plans') =>
	startThread(db, { from: from.id, to: to.map((u) => u.id), subject, content: 'First' });

const add = (db: DB, by: User, threadId: string, who: User[], shareHistory = false) =>
	addPeople(db, { by, threadId, to: who.map((u) => u.username).join(', '), shareHistory });

/** What `user` sees of the thread: messages by content, events by kind and about whom. */
async function timeline(db: DB, user: User, threadId: string) {
	const opened = await openThread(db, user.id, threadId);
	return opened?.messages.map((m) =>
		m.kind === MessageKind.message ? m.content : `${m.kind}:${m.sender}:${m.about ?? m.content}`
	);
}

const rowCount = async (db: DB, threadId: string, userId: number) =>
	(
		await db
			.select({ n: count() })
			.from(participants)
			.where(and(eq(participants.threadId, threadId), eq(participants.userId, userId)))
	)[0].n;

describe.each(databases)('group threads on %s', (_name, options) => {
	const db = useDatabase(options);

	it('adds someone from now: they see the event and what follows, never what came before', async () => {
		const [a, b, c] = await makeUsers(db(), 3);
		const { thread } = await start(db(), a, [b]);
		await reply(db(), { from: b.id, threadId: thread.id, content: 'Secret' });
		expect(await add(db(), a, thread.id, [c])).toEqual({ added: [c.username] });
		await reply(db(), { from: a.id, threadId: thread.id, content: 'Welcome' });

		expect(await timeline(db(), c, thread.id)).toEqual([
			`1:${a.username}:${c.username}`,
			'Welcome'
		]);
		expect(await timeline(db(), b, thread.id)).toEqual([
			'First',
			'Secret',
			`1:${a.username}:${c.username}`,
			'Welcome'
		]);
		// Nor by paging back from the first message they have.
		const first = (await openThread(db(), c.id, thread.id))!;
		expect(first.earlier).toBeNull();
		expect(first.thread.visibleFrom).toBeGreaterThan(0);
		const before = await openThread(db(), c.id, thread.id, { before: first.messages[0].id });
		expect(before?.messages).toEqual([]);
		expect((await getThread(db(), c.id, thread.id))?.participantNames).toEqual(
			[a.username, b.username, c.username].sort()
		);
	});

	it('someone added from now sees no excerpt of a message from before', async () => {
		const [a, b, c] = await makeUsers(db(), 3);
		const { thread } = await start(db(), a, [b]);
		await add(db(), a, thread.id, [c]);
		expect((await listThreads(db(), c.id, 'inbox')).threads[0].excerpt).toBe('');
		expect((await listThreads(db(), b.id, 'inbox')).threads[0].excerpt).toBe('First');
		await reply(db(), { from: b.id, threadId: thread.id, content: 'Hi carol' });
		expect((await listThreads(db(), c.id, 'inbox')).threads[0].excerpt).toBe('Hi carol');
	});

	it('adds someone with the history: they see it all', async () => {
		const [a, b, c] = await makeUsers(db(), 3);
		const { thread } = await start(db(), a, [b]);
		await add(db(), b, thread.id, [c], true);
		expect(await timeline(db(), c, thread.id)).toEqual(['First', `1:${b.username}:${c.username}`]);
	});

	it('an event is not unread on its own, and leaves the listing and Sent alone', async () => {
		const [a, b, c, d] = await makeUsers(db(), 4);
		const { thread, message } = await start(db(), a, [b, c]);
		await openThread(db(), b.id, thread.id);
		const before = (await listThreads(db(), b.id, 'inbox')).threads[0];
		await add(db(), a, thread.id, [d]);
		// b had read all: still read. c had not: unread as before. d, new: unread.
		const inboxOf = async (u: User) => (await listThreads(db(), u.id, 'inbox')).threads[0];
		expect((await inboxOf(b)).unread).toBe(false);
		expect((await inboxOf(c)).unread).toBe(true);
		expect((await inboxOf(d)).unread).toBe(true);
		expect(await countUnread(db(), b.id)).toBe(0);
		expect((await inboxOf(b)).excerpt).toBe(before.excerpt);
		expect((await inboxOf(b)).sender).toBe(before.sender);
		expect((await inboxOf(d)).others).toContain(a.username);
		const [row] = await db()
			.select({ sent: participants.lastSentMessageId })
			.from(participants)
			.where(and(eq(participants.threadId, thread.id), eq(participants.userId, a.id)));
		expect(row.sent).toBe(message.id);
	});

	it('refuses someone already in, too many people, and a non-member, writing nothing', async () => {
		const [a, b, c, outsider] = await makeUsers(db(), 4);
		const { thread } = await start(db(), a, [b]);
		const result = await add(db(), a, thread.id, [b, c]);
		expect(result?.error).toContain(b.username);
		expect(await add(db(), outsider, thread.id, [c])).toBeNull();
		expect(
			await addPeople(db(), { by: a, threadId: thread.id, to: 'nobody-here', shareHistory: false })
		).toHaveProperty('error');
		expect(await leaveThread(db(), outsider.id, thread.id)).toBe(false);
		expect(await renameThread(db(), outsider.id, thread.id, 'Mine')).toBe(false);
		const many = await makeUsers(db(), 50);
		expect((await add(db(), a, thread.id, many))?.error).toMatch(/51/);
		const [{ n }] = await db()
			.select({ n: count() })
			.from(messages)
			.where(eq(messages.threadId, thread.id));
		expect(n).toBe(1);
	});

	it('leaving: out of every folder for good, replies skip them, the others see it', async () => {
		const [a, b, c] = await makeUsers(db(), 3);
		const { thread } = await start(db(), a, [b, c]);
		expect(await leaveThread(db(), b.id, thread.id)).toBe(true);
		await reply(db(), { from: a.id, threadId: thread.id, content: 'Still there?' });
		for (const folder of ['inbox', 'unread', 'deleted'] as const)
			expect((await listThreads(db(), b.id, folder)).threads).toEqual([]);
		expect(await reply(db(), { from: b.id, threadId: thread.id, content: 'Let me in' })).toBeNull();
		expect(await timeline(db(), c, thread.id)).toEqual([
			'First',
			`2:${b.username}:`,
			'Still there?'
		]);
		// The leaver reads what they had.
		expect(await timeline(db(), b, thread.id)).toEqual(['First', `2:${b.username}:`]);
		expect((await getThread(db(), a.id, thread.id))?.participantNames).not.toContain(b.username);
		expect(await leaveThread(db(), b.id, thread.id)).toBe(false);
	});

	it('the last one out removes the thread', async () => {
		const [a, b] = await makeUsers(db(), 2);
		const { thread } = await start(db(), a, [b]);
		await leaveThread(db(), a.id, thread.id);
		expect(await db().select().from(threads).where(eq(threads.id, thread.id))).toHaveLength(1);
		await leaveThread(db(), b.id, thread.id);
		expect(await db().select().from(threads).where(eq(threads.id, thread.id))).toEqual([]);
	});

	it('re-adding someone who left updates their row, with the new history', async () => {
		const [a, b, c] = await makeUsers(db(), 3);
		const { thread } = await start(db(), a, [b, c]);
		await leaveThread(db(), c.id, thread.id);
		await reply(db(), { from: a.id, threadId: thread.id, content: 'Behind your back' });
		expect(await add(db(), b, thread.id, [c])).toEqual({ added: [c.username] });
		expect(await rowCount(db(), thread.id, c.id)).toBe(1);
		expect(await timeline(db(), c, thread.id)).toEqual([`1:${b.username}:${c.username}`]);
		expect((await listThreads(db(), c.id, 'inbox')).threads.map((t) => t.id)).toEqual([thread.id]);
	});

	it('Undo of leave: back with the same history; not once it is long past', async () => {
		const [a, b] = await makeUsers(db(), 2);
		const { thread } = await start(db(), a, [b]);
		await leaveThread(db(), b.id, thread.id);
		expect(await rejoinThread(db(), b.id, thread.id)).toBe(true);
		expect(await rejoinThread(db(), b.id, thread.id)).toBe(false);
		expect(await timeline(db(), b, thread.id)).toEqual([
			'First',
			`2:${b.username}:`,
			`1:${b.username}:${b.username}`
		]);
		await leaveThread(db(), b.id, thread.id);
		await db()
			.update(participants)
			.set({ leftAt: new Date(Date.now() - 3600_000) })
			.where(eq(participants.userId, b.id));
		expect(await rejoinThread(db(), b.id, thread.id)).toBe(false);
	});

	it('renames: the subject and a renamed event', async () => {
		const [a, b] = await makeUsers(db(), 2);
		const { thread } = await start(db(), a, [b]);
		expect(await renameThread(db(), b.id, thread.id, '  Dinner  ')).toBe(true);
		expect((await getThread(db(), a.id, thread.id))?.subject).toBe('Dinner');
		expect(await timeline(db(), a, thread.id)).toEqual(['First', `3:${b.username}:Dinner`]);
		await expect(renameThread(db(), b.id, thread.id, ' ')).rejects.toThrow();
	});

	it('concurrent adds and leaves on one thread: one row each, names and mailboxes agree', async () => {
		const [a, b, c, d, e] = await makeUsers(db(), 5);
		const { thread } = await start(db(), a, [b, c]);
		await Promise.all([
			add(db(), a, thread.id, [d]),
			add(db(), b, thread.id, [e]),
			add(db(), c, thread.id, [d]),
			leaveThread(db(), c.id, thread.id),
			leaveThread(db(), b.id, thread.id)
		]);
		const names = (await getThread(db(), a.id, thread.id))!.participantNames;
		const inRows = await db()
			.select({ userId: participants.userId, left: participants.leftAt })
			.from(participants)
			.where(eq(participants.threadId, thread.id));
		const users = [a, b, c, d, e];
		const members = inRows
			.filter((r) => r.left === null)
			.map((r) => users.find((u) => u.id === r.userId)!.username);
		expect([...members].sort()).toEqual(names);
		expect(inRows.length).toBe(new Set(inRows.map((r) => r.userId)).size);
		expect(names).not.toContain(b.username);
		expect(names).not.toContain(c.username);
		expect(names).toContain(d.username);
		// Every member's mailbox has the thread's newest event.
		const [{ newest }] = await db()
			.select({ newest: sql`max(id)`.mapWith(Number) })
			.from(messages)
			.where(eq(messages.threadId, thread.id));
		for (const name of names) {
			const user = users.find((u) => u.username === name)!;
			expect((await getThread(db(), user.id, thread.id))?.lastMessageId).toBe(newest);
		}
	});
});

describe.each(databases)(
	'leaving the group threads shared with someone blocked, on %s',
	(_, options) => {
		const db = useDatabase(options);

		it('leaves the group threads with them, not the two-person ones, only once blocked', async () => {
			const [me, them, other] = await makeUsers(db(), 3);
			const { thread: group } = await start(db(), me, [them, other], 'Group');
			const { thread: pair } = await start(db(), them, [me], 'Pair');
			const { thread: without } = await start(db(), me, [other, (await makeUsers(db(), 1))[0]]);

			expect(await leaveGroupsSharedWith(db(), me.id, them.username)).toBe(0);
			expect((await getThread(db(), me.id, group.id))?.left).toBe(false);

			await blockUser(db(), me.id, them.username);
			expect(await leaveGroupsSharedWith(db(), me.id, them.username.toUpperCase())).toBe(1);
			expect((await getThread(db(), me.id, group.id))?.left).toBe(true);
			// The pair's thread is muted by the block itself, and stays; the others are untouched.
			expect(await getThread(db(), me.id, pair.id)).toMatchObject({ left: false, muted: true });
			expect((await getThread(db(), me.id, without.id))?.left).toBe(false);
			// The others see that they left.
			const seen = await openThread(db(), them.id, group.id);
			expect(seen?.messages.at(-1)).toMatchObject({ kind: MessageKind.left, sender: me.username });
			expect(await leaveGroupsSharedWith(db(), me.id, them.username)).toBe(0);
		});
	}
);
