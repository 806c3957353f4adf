import { and, eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { blockUser, reachSettings, unblockUser } from './blocks';
import type { DB } from './db/client';
import { DmPolicy, messages, participants } from './db/schema';
import { countUnread, listThreads } from './mailbox';
import { databases, makeUsers, useDatabase } from './http/testing';
import { resolveRecipients } from './recipients';
import { setDmPolicy } from './blocks';
import {
	RequestPendingError,
	acceptRequest,
	declineRequest,
	leaveThread,
	reply,
	startThread
} from './threads';

const ids = async (db: DB, userId: number, folder: 'inbox' | 'requests' | 'deleted') =>
	(await listThreads(db, userId, folder)).threads.map((thread) => thread.id);

const messageCount = async (db: DB, threadId: string) =>
	(await db.select().from(messages).where(eq(messages.threadId, threadId))).length;

describe.each(databases)('message requests and blocks on %s', (_, options) => {
	const db = useDatabase(options);

	/** A stranger's first message to someone who takes strangers as requests, as compose sends it. */
	async function request() {
		const [stranger, recipient] = await makeUsers(db(), 2);
		await setDmPolicy(db(), recipient.id, DmPolicy.requests);
		const { users, requests } = await resolveRecipients(db(), stranger, recipient.username);
		const { thread } = await startThread(db(), {
			from: stranger.id,
			to: users!.map((u) => u.id),
			subject: 'Hello',
			content: 'May I?',
			requests
		});
		return { stranger, recipient, threadId: thread.id };
	}

	it('puts a stranger’s first message in Requests: not the inbox, not the unread count', async () => {
		const { stranger, recipient, threadId } = await request();
		expect(await ids(db(), recipient.id, 'requests')).toEqual([threadId]);
		expect(await ids(db(), recipient.id, 'inbox')).toEqual([]);
		expect(await countUnread(db(), recipient.id)).toBe(0);
		// The sender has it in their inbox, as any thread they start.
		expect(await ids(db(), stranger.id, 'inbox')).toEqual([threadId]);
	});

	it('refuses the sender a second message until it is accepted, writing nothing', async () => {
		const { stranger, recipient, threadId } = await request();
		const second = reply(db(), { from: stranger.id, threadId, content: 'Hello??' });
		await expect(second).rejects.toBeInstanceOf(RequestPendingError);
		expect(await messageCount(db(), threadId)).toBe(1);
		expect(await acceptRequest(db(), recipient.id, threadId)).toBe(true);
		expect(await ids(db(), recipient.id, 'inbox')).toEqual([threadId]);
		expect(await countUnread(db(), recipient.id)).toBe(1);
		expect(await reply(db(), { from: stranger.id, threadId, content: 'Thanks' })).not.toBeNull();
		expect(await messageCount(db(), threadId)).toBe(2);
	});

	it('refuses a sender who left their own request as anyone who left: not in the thread', async () => {
		// Found by the model test: the leaver was told the request still waited.
		const { stranger, threadId } = await request();
		expect(await leaveThread(db(), stranger.id, threadId)).toBeTruthy();
		expect(await reply(db(), { from: stranger.id, threadId, content: 'Still here?' })).toBeNull();
		expect(await messageCount(db(), threadId)).toBe(2);
	});

	it('takes a reply from the recipient as accepting', async () => {
		const { stranger, recipient, threadId } = await request();
		await reply(db(), { from: recipient.id, threadId, content: 'Sure' });
		expect(await ids(db(), recipient.id, 'inbox')).toEqual([threadId]);
		expect(await ids(db(), recipient.id, 'requests')).toEqual([]);
		expect(await reply(db(), { from: stranger.id, threadId, content: 'Great' })).not.toBeNull();
	});

	it('declines: gone from every folder for good, the sender named to offer a block', async () => {
		const { stranger, recipient, threadId } = await request();
		expect(await declineRequest(db(), recipient.id, threadId)).toBe(stranger.username);
		for (const folder of ['inbox', 'requests', 'deleted'] as const)
			expect(await ids(db(), recipient.id, folder)).toEqual([]);
		// Nothing to wait for now; what the sender writes no longer reaches the recipient.
		await reply(db(), { from: stranger.id, threadId, content: 'Oh well' });
		expect(await ids(db(), recipient.id, 'inbox')).toEqual([]);
		expect(await declineRequest(db(), recipient.id, threadId)).toBeNull();
		expect(await acceptRequest(db(), recipient.id, threadId)).toBe(false);
	});

	it('lets only the recipient accept or decline, and only a pending request', async () => {
		const { stranger, recipient, threadId } = await request();
		const [outsider] = await makeUsers(db(), 1);
		expect(await acceptRequest(db(), stranger.id, threadId)).toBe(false);
		expect(await acceptRequest(db(), outsider.id, threadId)).toBe(false);
		expect(await declineRequest(db(), outsider.id, threadId)).toBeNull();
		expect(await acceptRequest(db(), recipient.id, 'not-a-thread')).toBe(false);
		expect(await ids(db(), recipient.id, 'requests')).toEqual([threadId]);
	});

	it('blocking mutes the threads of just the two, not the larger ones', async () => {
		const [me, them, third] = await makeUsers(db(), 3);
		const start = (to: number[]) =>
			startThread(db(), { from: them.id, to, subject: 'S', content: 'C' });
		const { thread: pair } = await start([me.id]);
		const { thread: group } = await start([me.id, third.id]);
		expect(await blockUser(db(), me.id, them.username.toUpperCase())).toBe(them.id);
		const muted = await db()
			.select({ threadId: participants.threadId, mutedAt: participants.mutedAt })
			.from(participants)
			.where(eq(participants.userId, me.id));
		const byThread = Object.fromEntries(muted.map((row) => [row.threadId, row.mutedAt !== null]));
		expect(byThread).toEqual({ [pair.id]: true, [group.id]: false });
		// Their side is untouched: a block is not told.
		const [theirs] = await db()
			.select({ mutedAt: participants.mutedAt })
			.from(participants)
			.where(and(eq(participants.userId, them.id), eq(participants.threadId, pair.id)));
		expect(theirs.mutedAt).toBeNull();
		expect((await reachSettings(db(), me.id)).blocked).toEqual([them.username]);
		// Replies within the thread still go through both ways.
		expect(await reply(db(), { from: them.id, threadId: pair.id, content: 'Hm' })).not.toBeNull();
	});

	it('blocks by name only someone else who exists, and within a thread only its participants', async () => {
		const [me, them, outsider] = await makeUsers(db(), 3);
		const { thread } = await startThread(db(), {
			from: them.id,
			to: [me.id],
			subject: 'S',
			content: 'C'
		});
		expect(await blockUser(db(), me.id, me.username)).toBeNull();
		expect(await blockUser(db(), me.id, 'no-such-user-here')).toBeNull();
		expect(await blockUser(db(), me.id, 'bad name\0')).toBeNull();
		expect(await blockUser(db(), me.id, outsider.username, thread.id)).toBeNull();
		expect(await blockUser(db(), outsider.id, them.username, thread.id)).toBeNull();
		expect(await blockUser(db(), me.id, them.username, thread.id)).toBe(them.id);
		expect(await blockUser(db(), me.id, them.username, thread.id)).toBe(them.id);
		expect(await unblockUser(db(), outsider.id, them.username)).toBe(false);
		expect(await unblockUser(db(), me.id, them.username, thread.id)).toBe(true);
		expect(await unblockUser(db(), me.id, them.username)).toBe(false);
		expect((await reachSettings(db(), me.id)).blocked).toEqual([]);
	});
});
