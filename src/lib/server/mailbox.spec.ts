import { describe, expect, it } from 'vitest';
import type { DB } from './db/client';
import { PAGE_SIZE, countUnread, getMailbox, listThreads, recentContacts } from './mailbox';
import { databases, makeUsers, useDatabase } from './http/testing';
import { deleteThread, openThread, reply, restoreThread, startThread } from './threads';

type User = { id: number; username: string };

function send(db: DB, from: User, to: User[], subject = 'Hello', content = 'Hi') {
	return startThread(db, { from: from.id, to: to.map((u) => u.id), subject, content });
}

/** `count` threads from `from` to `to`, oldest first. */
async function sendMany(db: DB, from: User, to: User, count: number) {
	const sent = [];
	for (let i = 0; i < count; i++) sent.push((await send(db, from, [to], `Thread ${i}`)).thread.id);
	return sent;
}

const ids = (page: { threads: { id: string }[] }) => page.threads.map((t) => t.id);

describe.each(databases)('mailbox on %s', (_, options) => {
	const db = useDatabase(options);

	describe('listThreads', () => {
		it('lists the inbox newest activity first', async () => {
			const [a, b, c] = await makeUsers(db(), 3);
			const one = await send(db(), a, [b], 'One');
			const two = await send(db(), c, [a], 'Two');
			const three = await send(db(), a, [c], 'Three');
			expect(ids(await listThreads(db(), a.id, 'inbox'))).toEqual(
				[three, two, one].map((s) => s.thread.id)
			);

			await reply(db(), { from: b.id, threadId: one.thread.id, content: 'Up' });
			expect(ids(await listThreads(db(), a.id, 'inbox'))).toEqual(
				[one, three, two].map((s) => s.thread.id)
			);
			expect(ids(await listThreads(db(), b.id, 'inbox'))).toEqual([one.thread.id]);
		});

		it('sorts each thread into inbox, unread and deleted folders', async () => {
			const [a, b] = await makeUsers(db(), 2);
			const [readKept, unreadKept, readGone, unreadGone] = await sendMany(db(), a, b, 4);
			await openThread(db(), b.id, readKept);
			await openThread(db(), b.id, readGone);
			await deleteThread(db(), b.id, readGone);
			await deleteThread(db(), b.id, unreadGone);

			expect(ids(await listThreads(db(), b.id, 'inbox'))).toEqual([unreadKept, readKept]);
			expect(ids(await listThreads(db(), b.id, 'unread'))).toEqual([unreadKept]);
			const bin = await listThreads(db(), b.id, 'deleted');
			expect(bin.threads.map((t) => [t.id, t.unread])).toEqual([
				[unreadGone, true],
				[readGone, false]
			]);

			await restoreThread(db(), b.id, unreadGone);
			expect(ids(await listThreads(db(), b.id, 'unread'))).toEqual([unreadGone, unreadKept]);
			expect(ids(await listThreads(db(), b.id, 'deleted'))).toEqual([readGone]);
			expect(ids(await listThreads(db(), a.id, 'deleted'))).toEqual([]);
		});

		it('summarises each thread for the user', async () => {
			const [a, b, c] = await makeUsers(db(), 3);
			const { thread } = await send(db(), c, [a, b], 'Weekend', 'Hi');
			const sent = await reply(db(), {
				from: b.id,
				threadId: thread.id,
				content: '  Are\n\nyou\t free   on Saturday?  '
			});
			await openThread(db(), a.id, thread.id);

			const [summary] = (await listThreads(db(), c.id, 'inbox')).threads;
			expect(summary).toEqual({
				id: thread.id,
				subject: 'Weekend',
				others: [a.username, b.username],
				sender: b.username,
				senderIsUser: false,
				excerpt: 'Are you free on Saturday?',
				sentAt: sent!.message.sentAt,
				unread: true,
				lastMessageId: sent!.message.id
			});
			const [forA] = (await listThreads(db(), a.id, 'inbox')).threads;
			expect(forA).toMatchObject({ others: [b.username, c.username], unread: false });
			// The newest message is b's own, which b's listing knows (as "you:" shows it).
			const [forB] = (await listThreads(db(), b.id, 'inbox')).threads;
			expect(forB).toMatchObject({ sender: b.username, senderIsUser: true });
			expect((await getMailbox(db(), b.id)).inboxThreads[0]).toMatchObject({ senderIsUser: true });
		});

		it('truncates a long excerpt with an ellipsis', async () => {
			const [a, b] = await makeUsers(db(), 2);
			const words = Array.from({ length: 60 }, (_, i) => `word${i}`);
			await send(db(), a, [b], 'Long', words.join('\n'));

			const [{ excerpt }] = (await listThreads(db(), b.id, 'inbox')).threads;
			expect(excerpt).toBe(`${words.join(' ').slice(0, 139)}…`);
			expect(excerpt).toHaveLength(140);
		});

		it('collapses white space before cutting the excerpt', async () => {
			const [a, b] = await makeUsers(db(), 2);
			const lines = Array.from({ length: 40 }, (_, i) => `${' '.repeat(24)}line ${i}`);
			await send(db(), a, [b], 'Indented', lines.join('\n'));

			const [{ excerpt }] = (await listThreads(db(), b.id, 'inbox')).threads;
			expect(excerpt).toBe(
				`${lines
					.map((l) => l.trim())
					.join(' ')
					.slice(0, 139)}…`
			);
		});

		it('pages through more than a page with the older cursor', async () => {
			const [a, b] = await makeUsers(db(), 2);
			const sent = await sendMany(db(), a, b, PAGE_SIZE + 5);
			const newestFirst = [...sent].reverse();

			const first = await listThreads(db(), b.id, 'inbox');
			expect(ids(first)).toEqual(newestFirst.slice(0, PAGE_SIZE));
			expect(first.older).not.toBeNull();

			// A thread arriving between pages neither shifts nor repeats the older ones.
			await send(db(), a, [b], 'Newest');
			const second = await listThreads(db(), b.id, 'inbox', first.older!);
			expect(ids(second)).toEqual(newestFirst.slice(PAGE_SIZE));
			expect(second.older).toBeNull();
		});

		it('gives no older cursor when the folder is exactly one page', async () => {
			const [a, b] = await makeUsers(db(), 2);
			const sent = await sendMany(db(), a, b, PAGE_SIZE + 1);

			const full = await listThreads(db(), b.id, 'unread');
			expect(full.threads).toHaveLength(PAGE_SIZE);
			expect(full.older).not.toBeNull();
			const last = await listThreads(db(), b.id, 'unread', full.older!);
			expect(ids(last)).toEqual([sent[0]]);
			expect(last.older).toBeNull();

			await openThread(db(), b.id, sent[0]);
			const exact = await listThreads(db(), b.id, 'unread');
			expect(exact.threads).toHaveLength(PAGE_SIZE);
			expect(exact.older).toBeNull();
		});
	});

	describe('countUnread', () => {
		it('counts unread threads in the inbox, not messages', async () => {
			const [a, b, c] = await makeUsers(db(), 3);
			const [one, two, three] = await sendMany(db(), a, b, 3);
			await reply(db(), { from: a.id, threadId: one, content: 'More' });
			await reply(db(), { from: a.id, threadId: one, content: 'Even more' });
			expect(await countUnread(db(), b.id)).toBe(3);
			expect(await countUnread(db(), a.id)).toBe(0);
			expect(await countUnread(db(), c.id)).toBe(0);

			await openThread(db(), b.id, two);
			expect(await countUnread(db(), b.id)).toBe(2);
			await deleteThread(db(), b.id, three);
			expect(await countUnread(db(), b.id)).toBe(1);
			await restoreThread(db(), b.id, three);
			expect(await countUnread(db(), b.id)).toBe(2);
		});
	});

	describe('getMailbox', () => {
		it('gives the newest inbox and unread threads and the unread count', async () => {
			const [a, b] = await makeUsers(db(), 2);
			const sent = await sendMany(db(), a, b, PAGE_SIZE + 2);
			const newestFirst = [...sent].reverse();
			await openThread(db(), b.id, newestFirst[0]);

			const mailbox = await getMailbox(db(), b.id);

			expect(mailbox.inboxThreads.map((t) => t.id)).toEqual(newestFirst.slice(0, PAGE_SIZE));
			expect(mailbox.olderInbox).not.toBeNull();
			expect(mailbox.unreadThreads.map((t) => t.id)).toEqual(newestFirst.slice(1, PAGE_SIZE + 1));
			expect(mailbox.unreadCount).toBe(PAGE_SIZE + 1);
			expect(mailbox.inboxThreads[0]).toMatchObject({ unread: false, sender: a.username });
			// A thread on both pages is one object, so the page's data carries it once.
			expect(mailbox.unreadThreads[0]).toBe(mailbox.inboxThreads[1]);
			expect(mailbox.unreadThreads.at(-1)).not.toBe(mailbox.inboxThreads.at(-1));

			expect(await getMailbox(db(), a.id)).toMatchObject({ unreadThreads: [], unreadCount: 0 });
		});
	});

	describe('recentContacts', () => {
		it('names the people of the user’s newest inbox threads, once each, never the user', async () => {
			const [a, b, c, d, e] = await makeUsers(db(), 5);
			await send(db(), a, [b, c]);
			await send(db(), d, [a, b]);
			const deleted = await send(db(), e, [a]);
			await deleteThread(db(), a.id, deleted.thread.id);

			const names = [b, c, d].map((u) => u.username).sort((x, y) => x.localeCompare(y));
			expect(await recentContacts(db(), a)).toEqual(names);
			// Only the newest threads count.
			expect(await recentContacts(db(), a, 1)).toEqual([b.username, d.username].sort());
			expect(await recentContacts(db(), e)).toEqual([a.username]);
		});
	});
});
