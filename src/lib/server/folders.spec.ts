import { describe, expect, it } from 'vitest';
import type { DB } from './db/client';
import { PAGE_SIZE, countUnread, listThreads } from './mailbox';
import { databases, makeUsers, useDatabase } from './http/testing';
import {
	actOnThreads,
	deleteThread,
	getThread,
	markAllRead,
	openThread,
	reply,
	startThread,
	undoAction
} from './threads';

type User = { id: number; username: string };

const send = (db: DB, from: User, to: User[], subject = 'Hello', content = 'Hi') =>
	startThread(db, { from: from.id, to: to.map((u) => u.id), subject, content });

const ids = (page: { threads: { id: string }[] }) => page.threads.map((t) => t.id);

describe.each(databases)('folders and actions on %s', (_, options) => {
	const db = useDatabase(options);

	it('archives: out of the inbox into Archive; Move to inbox brings it back', async () => {
		const [a, b] = await makeUsers(db(), 2);
		const one = (await send(db(), a, [b], 'One')).thread.id;
		const two = (await send(db(), a, [b], 'Two')).thread.id;
		const changed = await actOnThreads(db(), b.id, 'archive', [one]);
		expect(changed).toEqual([{ thread: one, archivedAt: null, deletedAt: null }]);
		expect(ids(await listThreads(db(), b.id, 'inbox'))).toEqual([two]);
		expect(ids(await listThreads(db(), b.id, 'archive'))).toEqual([one]);
		expect(ids(await listThreads(db(), a.id, 'archive'))).toEqual([]);
		// Archived and unread: not in the Unread folder nor the count.
		expect(await countUnread(db(), b.id)).toBe(1);
		expect(await actOnThreads(db(), b.id, 'archive', [one])).toEqual([]);
		expect(await actOnThreads(db(), b.id, 'unarchive', [one])).toHaveLength(1);
		expect(ids(await listThreads(db(), b.id, 'inbox'))).toEqual([two, one]);
	});

	it('a reply brings an archived thread back to the inbox, unless it is muted', async () => {
		const [a, b] = await makeUsers(db(), 2);
		const loud = (await send(db(), a, [b], 'Loud')).thread.id;
		const quiet = (await send(db(), a, [b], 'Quiet')).thread.id;
		await actOnThreads(db(), b.id, 'archive', [loud, quiet]);
		await actOnThreads(db(), b.id, 'mute', [quiet]);
		await reply(db(), { from: a.id, threadId: loud, content: 'Back' });
		await reply(db(), { from: a.id, threadId: quiet, content: 'Shh' });
		expect(ids(await listThreads(db(), b.id, 'inbox'))).toEqual([loud]);
		expect(ids(await listThreads(db(), b.id, 'archive'))).toEqual([quiet]);
		expect(await countUnread(db(), b.id)).toBe(1);
	});

	it('mute: listed, never counted unread; unmute counts it again', async () => {
		const [a, b] = await makeUsers(db(), 2);
		const thread = (await send(db(), a, [b])).thread.id;
		expect(await actOnThreads(db(), b.id, 'mute', [thread])).toEqual([{ thread, mutedAt: null }]);
		expect(ids(await listThreads(db(), b.id, 'inbox'))).toEqual([thread]);
		expect(ids(await listThreads(db(), b.id, 'unread'))).toEqual([]);
		expect(await countUnread(db(), b.id)).toBe(0);
		await actOnThreads(db(), b.id, 'unmute', [thread]);
		expect(await countUnread(db(), b.id)).toBe(1);
	});

	it('mark unread: unread from the newest message; a read thread only', async () => {
		const [a, b] = await makeUsers(db(), 2);
		const { thread, message: first } = await send(db(), a, [b]);
		const second = await reply(db(), { from: a.id, threadId: thread.id, content: 'Two' });
		expect(await actOnThreads(db(), b.id, 'unread', [thread.id])).toEqual([]);
		await openThread(db(), b.id, thread.id);
		expect(await actOnThreads(db(), b.id, 'unread', [thread.id])).toEqual([
			{ thread: thread.id, readMessageId: second!.message.id }
		]);
		expect((await getThread(db(), b.id, thread.id))?.readMessageId).toBe(first.id);
		expect(await countUnread(db(), b.id)).toBe(1);
		// A thread of one message: nothing before it, unread from the start.
		const single = (await send(db(), a, [b])).thread.id;
		await openThread(db(), b.id, single);
		await actOnThreads(db(), b.id, 'unread', [single]);
		expect((await getThread(db(), b.id, single))?.readMessageId).toBe(0);
	});

	it('acts on the whole selection at once; foreign and malformed ids change nothing', async () => {
		const [a, b, c] = await makeUsers(db(), 3);
		const mine = [(await send(db(), a, [b])).thread.id, (await send(db(), a, [b])).thread.id];
		const theirs = (await send(db(), a, [c])).thread.id;
		const changed = await actOnThreads(db(), b.id, 'delete', [...mine, theirs, 'nope', '']);
		expect(changed.map((row) => row.thread).sort()).toEqual([...mine].sort());
		expect(await listThreads(db(), c.id, 'deleted')).toEqual({ threads: [], older: null });
		expect(ids(await listThreads(db(), b.id, 'deleted')).sort()).toEqual([...mine].sort());
	});

	it('Archive and Delete leave a thread with a message newer than the page showed', async () => {
		const [a, b] = await makeUsers(db(), 2);
		const { thread, message } = await send(db(), a, [b]);
		await reply(db(), { from: a.id, threadId: thread.id, content: 'New' });
		expect(await actOnThreads(db(), b.id, 'archive', [thread.id], message.id)).toEqual([]);
		expect(await actOnThreads(db(), b.id, 'delete', [thread.id], message.id)).toEqual([]);
		expect(ids(await listThreads(db(), b.id, 'inbox'))).toEqual([thread.id]);
	});

	it('undo puts back exactly what the action changed, on the user’s own rows only', async () => {
		const [a, b, c] = await makeUsers(db(), 3);
		const read = (await send(db(), a, [b], 'Read')).thread.id;
		const unread = (await send(db(), a, [b], 'Unread')).thread.id;
		await openThread(db(), b.id, read);
		const gone = await actOnThreads(db(), b.id, 'delete', [read, unread]);
		expect(await undoAction(db(), c.id, ['deletedAt'], gone)).toBe(0);
		expect(ids(await listThreads(db(), b.id, 'inbox'))).toEqual([]);
		expect(await undoAction(db(), b.id, ['deletedAt'], gone)).toBe(2);
		expect(ids(await listThreads(db(), b.id, 'inbox'))).toEqual([unread, read]);

		const before = await countUnread(db(), b.id);
		const marked = await actOnThreads(db(), b.id, 'read', [read, unread]);
		expect(marked.map((row) => row.thread)).toEqual([unread]);
		expect(await countUnread(db(), b.id)).toBe(0);
		await undoAction(db(), b.id, ['readMessageId'], marked);
		expect(await countUnread(db(), b.id)).toBe(before);
		// A forged read mark never goes past the newest message.
		await undoAction(db(), b.id, ['readMessageId'], [{ thread: unread, readMessageId: 1e12 }]);
		expect(await countUnread(db(), b.id)).toBe(0);
		await reply(db(), { from: a.id, threadId: unread, content: 'More' });
		expect(await countUnread(db(), b.id)).toBe(1);
	});

	it('Mark all read marks the folder read up to the newest message shown', async () => {
		const [a, b] = await makeUsers(db(), 2);
		const old = (await send(db(), a, [b], 'Old')).thread.id;
		const { thread, message } = await send(db(), a, [b], 'Shown');
		const archived = (await send(db(), a, [b], 'Archived')).thread.id;
		await actOnThreads(db(), b.id, 'archive', [archived]);
		// Arrives after the page was shown: stays unread.
		await reply(db(), { from: a.id, threadId: old, content: 'Late' });
		expect(await markAllRead(db(), b.id, 'inbox', message.id)).toBe(2);
		expect(ids(await listThreads(db(), b.id, 'unread'))).toEqual([old]);
		expect((await listThreads(db(), b.id, 'archive')).threads[0].unread).toBe(true);
		expect(await markAllRead(db(), b.id, 'inbox', message.id)).toBe(0);
		expect((await getThread(db(), b.id, thread.id))?.readMessageId).toBe(message.id);
	});

	it('Sent: threads the user wrote in, by their own newest message, which it shows', async () => {
		const [a, b] = await makeUsers(db(), 2);
		const first = (await send(db(), a, [b], 'First', 'My first')).thread.id;
		const second = (await send(db(), b, [a], 'Second', 'Theirs')).thread.id;
		const third = (await send(db(), a, [b], 'Third', 'My third')).thread.id;
		await reply(db(), { from: a.id, threadId: first, content: `Again ${'word '.repeat(80)}` });
		await reply(db(), { from: b.id, threadId: first, content: 'Their answer' });
		const sent = await listThreads(db(), a.id, 'sent');
		expect(ids(sent)).toEqual([first, third]);
		expect(sent.threads[0]).toMatchObject({ sender: a.username, senderIsUser: true });
		expect(sent.threads[0].excerpt).toMatch(/^Again word word .*…$/);
		expect(sent.threads[0].excerpt).toHaveLength(140);
		expect(ids(await listThreads(db(), b.id, 'sent'))).toEqual([first, second]);
		await deleteThread(db(), a.id, third);
		expect(ids(await listThreads(db(), a.id, 'sent'))).toEqual([first]);
	});

	it('pages Archive and Sent by their keys', async () => {
		const [a, b] = await makeUsers(db(), 2);
		const made = [];
		for (let i = 0; i <= PAGE_SIZE; i++) made.push((await send(db(), a, [b], `T${i}`)).thread.id);
		await actOnThreads(db(), b.id, 'archive', made);
		for (const [user, folder] of [
			[b, 'archive'],
			[a, 'sent']
		] as const) {
			const first = await listThreads(db(), user.id, folder);
			expect(first.threads).toHaveLength(PAGE_SIZE);
			const rest = await listThreads(db(), user.id, folder, first.older!);
			expect([...ids(first), ...ids(rest)]).toEqual([...made].reverse());
		}
	});
});
