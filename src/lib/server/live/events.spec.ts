import postgres from 'postgres';
import { describe, expect, it, vi } from 'vitest';
import { createDb, type DbHandle } from '../db/client';
import { databases, makeUsers } from '../http/testing';
import { deleteThread, openThread, reply, restoreThread, startThread } from '../threads';
import { MAILBOX_CHANNEL, parseNotice, type MailboxNotice } from './events';

/**
 * The writes notify every instance themselves, in their own statement: one handle listens, another
 * writes (on PGlite, the one in-process handle does both).
 */
describe.each(databases)('mailbox notices on %s', (name, options) => {
	async function listening() {
		const writer = createDb(options);
		await writer.migrate();
		const listener: DbHandle = name === 'PGlite' ? writer : createDb(options);
		const notices: MailboxNotice[] = [];
		const listens = vi.fn();
		await listener.listen(
			MAILBOX_CHANNEL,
			(payload) => notices.push(parseNotice(payload)!),
			listens
		);
		const close = () => Promise.all([writer.close(), listener !== writer && listener.close()]);
		return { db: writer.db, notices, listens, close };
	}

	it('a message request is announced to no one but its sender, until accepted', async () => {
		const { db, notices, close } = await listening();
		try {
			const [stranger, recipient, third] = await makeUsers(db, 3);
			const { thread } = await startThread(db, {
				from: stranger.id,
				to: [recipient.id, third.id],
				subject: 'Hello',
				content: 'Hi',
				requests: [recipient.id]
			});
			await vi.waitUntil(() => notices.length === 1, { timeout: 2_000 });
			expect(notices[0].u).toEqual([stranger.id, third.id]);
			await reply(db, { from: third.id, threadId: thread.id, content: 'Hi both' });
			await vi.waitUntil(() => notices.length === 2, { timeout: 2_000 });
			expect(notices[1].u.toSorted((a, b) => a - b)).toEqual(
				[stranger.id, third.id].sort((a, b) => a - b)
			);
		} finally {
			await close();
		}
	});

	it('a new thread and a reply notify every participant; reads, deletes and restores notify the reader', async () => {
		const { db, notices, close } = await listening();
		try {
			const [alice, bob, carol] = await makeUsers(db, 3);
			const { thread, message } = await startThread(db, {
				from: alice.id,
				to: [bob.id, carol.id],
				subject: 'Plans',
				content: 'Hi'
			});
			await vi.waitUntil(() => notices.length === 1, { timeout: 2_000 });
			expect(notices[0]).toEqual({
				k: 'message',
				u: [alice.id, bob.id, carol.id],
				t: thread.id,
				m: message.id,
				f: alice.id,
				s: alice.username,
				j: 'Plans'
			});

			const sent = await reply(db, { from: bob.id, threadId: thread.id, content: 'Yes' });
			await vi.waitUntil(() => notices.length === 2, { timeout: 2_000 });
			expect({ ...notices[1], u: [...notices[1].u].sort((a, b) => a - b) }).toEqual({
				k: 'message',
				u: [alice.id, bob.id, carol.id].sort((a, b) => a - b),
				t: thread.id,
				m: sent!.message.id,
				f: bob.id,
				s: bob.username,
				j: 'Plans'
			});

			await openThread(db, carol.id, thread.id);
			await deleteThread(db, carol.id, thread.id);
			await restoreThread(db, carol.id, thread.id);
			await vi.waitUntil(() => notices.length === 5, { timeout: 2_000 });
			const self = { k: 'self', u: [carol.id], t: thread.id };
			expect(notices.slice(2)).toEqual([self, self, self]);
		} finally {
			await close();
		}
	});

	it('nothing is sent for a write that did not happen or was rolled back', async () => {
		const { db, notices, close } = await listening();
		try {
			const [alice, bob, mallory] = await makeUsers(db, 3);
			const { thread } = await startThread(db, {
				from: alice.id,
				to: [bob.id],
				subject: 'Private',
				content: 'Hi'
			});
			await vi.waitUntil(() => notices.length === 1, { timeout: 2_000 });

			expect(await reply(db, { from: mallory.id, threadId: thread.id, content: 'Me too' })).toBe(
				null
			);
			expect(await deleteThread(db, mallory.id, thread.id)).toBe(null);
			await expect(
				db.transaction(async (tx) => {
					await reply(tx, { from: bob.id, threadId: thread.id, content: 'Undone' });
					throw new Error('roll back');
				})
			).rejects.toThrow('roll back');
			// A later notice arrives after any that the writes above could have sent.
			await openThread(db, bob.id, thread.id);
			await vi.waitUntil(() => notices.length >= 2, { timeout: 2_000 });
			expect(notices.slice(1)).toEqual([{ k: 'self', u: [bob.id], t: thread.id }]);
		} finally {
			await close();
		}
	});
});

const url = process.env.TEST_DATABASE_URL;

describe.runIf(url)('when PostgreSQL ends the listening connection', () => {
	it('listens again within two seconds and says so, so that streams can re-sync', async () => {
		const listener = createDb({ url });
		const admin = postgres(url!, { max: 1, onnotice: () => {} });
		const listens = vi.fn();
		try {
			await listener.listen(MAILBOX_CHANNEL, () => {}, listens);
			expect(listens).toHaveBeenCalledTimes(1);
			// This database's listener only: other databases on the server have instances of their own.
			await admin`select pg_terminate_backend(pid) from pg_stat_activity
				where datname = current_database() and query ilike ${`listen%${MAILBOX_CHANNEL}%`}
				and pid <> pg_backend_pid()`;
			await vi.waitUntil(() => listens.mock.calls.length === 2, { timeout: 2_000, interval: 20 });
		} finally {
			await Promise.all([listener.close(), admin.end()]);
		}
	});
});
