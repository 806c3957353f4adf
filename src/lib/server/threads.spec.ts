import { asc, count, eq, inArray, or } from 'drizzle-orm';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { THREAD_ID_PATTERN } from '../schemas';
import type { DB } from './db/client';
import { messages, participants, threads } from './db/schema';
import { countUnread, listThreads } from './mailbox';
import { databases, makeUsers, useDatabase } from './http/testing';
import {
	MESSAGES_PER_PAGE,
	MessagingError,
	deleteThread,
	excerptOf,
	getThread,
	markRead,
	openThread,
	reply,
	restoreThread,
	startThread
} from './threads';

type User = { id: number; username: string };

describe('excerptOf', () => {
	it('is the message with white space collapsed, cut at 140 code points', () => {
		// The rule as first written: it reads the whole message, however long.
		const reference = (content: string) => {
			const chars = Array.from(content.replace(/\s+/g, ' ').trim());
			return chars.length > 140 ? `${chars.slice(0, 139).join('')}…` : chars.join('');
		};
		const piece = fc.constantFrom('a', 'word ', ' ', '\n\t', '\u00a0', '😀', '\ud800', 'e\u0301');
		const content = fc.array(piece, { maxLength: 400 }).map((pieces) => pieces.join(''));
		fc.assert(
			fc.property(content, (text) => {
				expect(excerptOf(text)).toBe(reference(text));
			}),
			{ numRuns: 2000 }
		);
		expect(excerptOf(`${' '.repeat(20_000)}a${' '.repeat(20_000)}b`)).toBe('a b');
	});
});

const NO_SUCH_THREAD = 'zzzzzzzzzzzzzzzz';

/** Where the thread is for the user, as their folders show it: null when it is in none. */
async function stateOf(db: DB, user: User, threadId: string) {
	const [inbox, deleted] = await Promise.all([
		listThreads(db, user.id, 'inbox'),
		listThreads(db, user.id, 'deleted')
	]);
	const inInbox = inbox.threads.find((t) => t.id === threadId);
	const inDeleted = deleted.threads.find((t) => t.id === threadId);
	if (inInbox && inDeleted) throw new Error('thread listed in two folders');
	const found = inInbox ?? inDeleted;
	return found ? { folder: inInbox ? 'inbox' : 'deleted', unread: found.unread } : null;
}

const inbox = (unread: boolean) => ({ folder: 'inbox', unread });
const deleted = (unread: boolean) => ({ folder: 'deleted', unread });

function send(db: DB, from: User, to: User[], subject = 'Hello', content = 'First message') {
	return startThread(db, { from: from.id, to: to.map((u) => u.id), subject, content });
}

/** Every row these users have: participant rows, messages sent, threads they are in. */
async function rowsOf(db: DB, ...users: User[]) {
	const ids = users.map((u) => u.id);
	const [[p], [m]] = await Promise.all([
		db.select({ n: count() }).from(participants).where(inArray(participants.userId, ids)),
		db.select({ n: count() }).from(messages).where(inArray(messages.senderId, ids))
	]);
	return { participants: p.n, messages: m.n };
}

async function messageCount(db: DB, threadId: string) {
	const [row] = await db
		.select({ n: count() })
		.from(messages)
		.where(eq(messages.threadId, threadId));
	return row.n;
}

/**
 * The same database, except that `act` runs, and commits, as soon as the first query through it
 * has returned: a reply that arrives while a thread page is being served.
 */
function afterFirstQuery(db: DB, act: () => Promise<unknown>): DB {
	let pending = true;
	const wrap = <T extends object>(target: T): T =>
		new Proxy(target, {
			get(target, prop) {
				const value = Reflect.get(target, prop);
				if (typeof value !== 'function') return value;
				if (prop === 'then') {
					return (resolve: (rows: unknown) => void, reject: (error: unknown) => void) =>
						value
							.call(target, async (rows: unknown) => {
								if (pending) {
									pending = false;
									await act();
								}
								return rows;
							})
							.then(resolve, reject);
				}
				return (...args: unknown[]) => {
					const result = value.apply(target, args);
					return result && typeof result === 'object' ? wrap(result) : result;
				};
			}
		});
	return wrap(db);
}

describe.each(databases)('threads on %s', (_, options) => {
	const db = useDatabase(options);

	describe('startThread', () => {
		it('puts the thread in every inbox: read for the sender, unread for the recipients', async () => {
			const [a, b, c] = await makeUsers(db(), 3);
			const { thread, message } = await send(db(), a, [b, c], '  Lunch?  ', 'At noon');

			expect(thread.subject).toBe('Lunch?');
			expect(thread.participantIds).toEqual([a.id, b.id, c.id]);
			expect(message).toMatchObject({ threadId: thread.id, senderId: a.id, content: 'At noon' });
			expect(await stateOf(db(), a, thread.id)).toEqual(inbox(false));
			expect(await stateOf(db(), b, thread.id)).toEqual(inbox(true));
			expect(await stateOf(db(), c, thread.id)).toEqual(inbox(true));
			expect(await getThread(db(), b.id, thread.id)).toEqual({
				id: thread.id,
				subject: 'Lunch?',
				participantNames: [a, b, c].map(({ username }) => username),
				lastMessageId: message.id,
				readMessageId: 0,
				deleted: false,
				archived: false,
				muted: false
			});
		});

		it('gives each thread a random, unguessable id', async () => {
			const [a, b] = await makeUsers(db(), 2);
			const first = await send(db(), a, [b]);
			const second = await send(db(), a, [b]);
			expect(first.thread.id).toMatch(THREAD_ID_PATTERN);
			expect(second.thread.id).toMatch(THREAD_ID_PATTERN);
			expect(first.thread.id).not.toBe(second.thread.id);
		});

		it('collapses a recipient given twice into one participant', async () => {
			const [a, b] = await makeUsers(db(), 2);
			const { thread } = await startThread(db(), {
				from: a.id,
				to: [b.id, b.id],
				subject: 'Twice',
				content: 'Hi'
			});
			expect(thread.participantIds).toEqual([a.id, b.id]);
			expect(await rowsOf(db(), a, b)).toEqual({ participants: 2, messages: 1 });
		});

		it('refuses the sender among the recipients and writes nothing', async () => {
			const [a, b] = await makeUsers(db(), 2);
			await expect(send(db(), a, [b, a])).rejects.toThrow(
				new MessagingError('You cannot send a message to yourself.')
			);
			expect(await rowsOf(db(), a, b)).toEqual({ participants: 0, messages: 0 });
		});

		it('rolls back everything when a recipient does not exist', async () => {
			const [a] = await makeUsers(db(), 1);
			const subject = `Ghost ${a.username}`;
			await expect(
				startThread(db(), { from: a.id, to: [-1], subject, content: 'Anyone?' })
			).rejects.toThrow();
			expect(await rowsOf(db(), a)).toEqual({ participants: 0, messages: 0 });
			const [left] = await db()
				.select({ n: count() })
				.from(threads)
				.where(eq(threads.subject, subject));
			expect(left.n).toBe(0);
			expect(await countUnread(db(), a.id)).toBe(0);
		});
	});

	describe('input rules (SPEC §5) on the server API', () => {
		const rejected: [string, Partial<{ subject: string; content: string }>, RegExp][] = [
			['an empty subject', { subject: '' }, /subject/i],
			['a blank subject', { subject: ' \n\t ' }, /subject/i],
			['a subject over 150 characters', { subject: 'x'.repeat(151) }, /at most 150/],
			['an empty message', { content: '' }, /message/i],
			['a blank message', { content: '  \n ' }, /message/i],
			['a message over 20,000 characters', { content: 'x'.repeat(20_001) }, /at most 20,000/]
		];

		it.each(rejected)('refuses %s and writes nothing', async (_, input, message) => {
			const [a, b] = await makeUsers(db(), 2);
			const attempt = startThread(db(), {
				from: a.id,
				to: [b.id],
				subject: 'Fine',
				content: 'Fine',
				...input
			});
			await expect(attempt).rejects.toThrow(MessagingError);
			await expect(attempt).rejects.toThrow(message);
			expect(await rowsOf(db(), a, b)).toEqual({ participants: 0, messages: 0 });
		});

		it('accepts the longest subject and message, trimming around them', async () => {
			const [a, b] = await makeUsers(db(), 2);
			const subject = 's'.repeat(150);
			const content = 'm'.repeat(20_000);
			const { thread, message } = await send(db(), a, [b], ` ${subject} `, `\n${content}\n`);
			expect(thread.subject).toBe(subject);
			expect(message.content).toBe(content);
		});

		it('refuses no recipients and writes nothing', async () => {
			const [a] = await makeUsers(db(), 1);
			await expect(send(db(), a, [])).rejects.toThrow(
				new MessagingError('Enter at least one recipient.')
			);
			expect(await rowsOf(db(), a)).toEqual({ participants: 0, messages: 0 });
		});

		it('takes 50 recipients but refuses 51, writing nothing', async () => {
			const [a, ...others] = await makeUsers(db(), 52);
			await expect(send(db(), a, others)).rejects.toThrow(
				new MessagingError('At most 50 recipients.')
			);
			expect(await rowsOf(db(), a, ...others)).toEqual({ participants: 0, messages: 0 });

			const { thread } = await send(db(), a, others.slice(0, 50));
			expect(thread.participantIds).toHaveLength(51);
		});

		it.each([
			['empty', '', /message/i],
			['blank', ' \n\t ', /message/i],
			['over 20,000 characters', 'x'.repeat(20_001), /at most 20,000/]
		])('refuses a reply that is %s and writes nothing', async (_, content, message) => {
			const [a, b] = await makeUsers(db(), 2);
			const { thread } = await send(db(), a, [b]);
			await markRead(db(), b.id, thread.id, Number.MAX_SAFE_INTEGER);
			const attempt = reply(db(), { from: b.id, threadId: thread.id, content });
			await expect(attempt).rejects.toThrow(MessagingError);
			await expect(attempt).rejects.toThrow(message);
			expect(await messageCount(db(), thread.id)).toBe(1);
			expect(await stateOf(db(), a, thread.id)).toEqual(inbox(false));
		});
	});

	describe('reply', () => {
		it('leaves the replier read and makes it unread for everyone else', async () => {
			const [a, b, c] = await makeUsers(db(), 3);
			const { thread } = await send(db(), a, [b, c]);
			await openThread(db(), b.id, thread.id);
			await openThread(db(), c.id, thread.id);

			const sent = await reply(db(), { from: b.id, threadId: thread.id, content: ' Sure ' });

			expect(sent?.message).toMatchObject({ threadId: thread.id, senderId: b.id, content: 'Sure' });
			expect(sent?.thread).toEqual({
				id: thread.id,
				subject: 'Hello',
				participantIds: expect.arrayContaining([a.id, b.id, c.id])
			});
			expect(sent?.thread.participantIds).toHaveLength(3);
			expect(await stateOf(db(), a, thread.id)).toEqual(inbox(true));
			expect(await stateOf(db(), b, thread.id)).toEqual(inbox(false));
			expect(await stateOf(db(), c, thread.id)).toEqual(inbox(true));
		});

		it('brings a deleted thread back to every inbox, the replier’s too', async () => {
			const [a, b, c] = await makeUsers(db(), 3);
			const { thread } = await send(db(), a, [b, c]);
			await deleteThread(db(), a.id, thread.id);
			await deleteThread(db(), b.id, thread.id);
			await openThread(db(), c.id, thread.id);
			await deleteThread(db(), c.id, thread.id);

			await reply(db(), { from: b.id, threadId: thread.id, content: 'Still there?' });

			expect(await stateOf(db(), a, thread.id)).toEqual(inbox(true));
			expect(await stateOf(db(), b, thread.id)).toEqual(inbox(false));
			expect(await stateOf(db(), c, thread.id)).toEqual(inbox(true));
		});

		it('moves the thread to the top of every participant’s inbox', async () => {
			const [a, b] = await makeUsers(db(), 2);
			const first = await send(db(), a, [b], 'First');
			const second = await send(db(), b, [a], 'Second');
			await reply(db(), { from: b.id, threadId: first.thread.id, content: 'Bump' });

			for (const user of [a, b]) {
				const { threads } = await listThreads(db(), user.id, 'inbox');
				expect(threads.map((t) => t.id)).toEqual([first.thread.id, second.thread.id]);
			}
		});
	});

	describe('openThread', () => {
		it('shows participants and messages oldest first, and marks them read', async () => {
			const [a, b, c] = await makeUsers(db(), 3);
			const { thread, message } = await send(db(), a, [c, b], 'Plans', 'One');
			const two = await reply(db(), { from: b.id, threadId: thread.id, content: 'Two' });
			const three = await reply(db(), { from: a.id, threadId: thread.id, content: 'Three' });

			const opened = await openThread(db(), c.id, thread.id);

			expect(opened?.thread).toMatchObject({ id: thread.id, subject: 'Plans', deleted: false });
			expect(opened?.thread.participantNames).toEqual([a, b, c].map(({ username }) => username));
			expect(opened?.messages.map((m) => [m.id, m.sender, m.content])).toEqual([
				[message.id, a.username, 'One'],
				[two!.message.id, b.username, 'Two'],
				[three!.message.id, a.username, 'Three']
			]);
			expect(opened?.messages.every((m) => m.sentAt instanceof Date)).toBe(true);
			expect(await stateOf(db(), c, thread.id)).toEqual(inbox(false));
			expect(await getThread(db(), c.id, thread.id)).toMatchObject({
				readMessageId: three!.message.id
			});
		});

		it('shows a long thread a page at a time, and marks read only up to what it showed', async () => {
			const [a, b] = await makeUsers(db(), 2);
			const { thread, message } = await send(db(), a, [b], 'Long', 'Message 1');
			const ids = [message.id];
			for (let i = 2; i <= 2 * MESSAGES_PER_PAGE + 5; i++) {
				const sent = await reply(db(), {
					from: a.id,
					threadId: thread.id,
					content: `Message ${i}`
				});
				ids.push(sent!.message.id);
			}
			const page = async (before?: number) => {
				const opened = await openThread(db(), b.id, thread.id, { before });
				const { messages: shown, earlier, markedRead } = opened!;
				return { ids: shown.map((m) => m.id), earlier, markedRead };
			};

			// A link straight to the middle page: read up to its newest message, still unread.
			const middle = ids.slice(-2 * MESSAGES_PER_PAGE, -MESSAGES_PER_PAGE);
			expect(await page(ids.at(-MESSAGES_PER_PAGE))).toEqual({
				ids: middle,
				earlier: middle[0],
				markedRead: true
			});
			expect(await getThread(db(), b.id, thread.id)).toMatchObject({
				readMessageId: middle.at(-1)
			});
			expect(await stateOf(db(), b, thread.id)).toEqual(inbox(true));

			const newest = await page();
			expect(newest).toEqual({
				ids: ids.slice(-MESSAGES_PER_PAGE),
				earlier: ids.at(-MESSAGES_PER_PAGE),
				markedRead: true
			});
			expect(await stateOf(db(), b, thread.id)).toEqual(inbox(false));

			// Walking back: the middle page again (nothing more to mark), then the first five.
			expect(await page(newest.earlier!)).toEqual({
				ids: middle,
				earlier: middle[0],
				markedRead: false
			});
			expect(await page(middle[0])).toEqual({
				ids: ids.slice(0, 5),
				earlier: null,
				markedRead: false
			});
			expect(await page(ids[0])).toEqual({ ids: [], earlier: null, markedRead: false });
			// That empty page (a stale link) leads on to the first messages.
			const empty = await openThread(db(), b.id, thread.id, { before: ids[0] });
			expect(empty?.later).toBe(0);
			expect(await getThread(db(), b.id, thread.id)).toMatchObject({ readMessageId: ids.at(-1) });
		});

		/** `count` more messages in the thread, from `senders` in turn; their ids. */
		async function addMessages(threadId: string, senders: User[], count: number) {
			const ids = [];
			for (let i = 0; i < count; i++) {
				const from = senders[i % senders.length];
				const sent = await reply(db(), { from: from.id, threadId, content: `Message ${i}` });
				ids.push(sent!.message.id);
			}
			return ids;
		}

		it('tells where reading starts: the first message that was unread, on the newest page', async () => {
			const [a, b] = await makeUsers(db(), 2);
			const { thread, message } = await send(db(), a, [b]);
			// A conversation b has read (by replying), then 10 messages from a.
			const ids = [message.id, ...(await addMessages(thread.id, [b, a], 49))];
			ids.push(...(await addMessages(thread.id, [a], 10)));

			const opened = (await openThread(db(), b.id, thread.id))!;
			const newest = ids.slice(-MESSAGES_PER_PAGE);
			expect(opened.messages.map((m) => m.id)).toEqual(newest);
			expect(opened).toMatchObject({ firstUnread: ids[50], earlier: newest[0], later: null });
			// Messages 11 to 50 alternate, a's first; the last 10 are a's.
			expect(opened.messages.map((m) => m.mine)).toEqual(
				newest.map((_, i) => i < 40 && i % 2 === 1)
			);
			// Read now, so the next look starts at the newest.
			expect((await openThread(db(), b.id, thread.id))!.firstUnread).toBeNull();
			expect(await stateOf(db(), b, thread.id)).toEqual(inbox(false));
		});

		it('opens at the first unread message when more than a page is unread, a page at a time', async () => {
			const [a, b] = await makeUsers(db(), 2);
			const { thread, message } = await send(db(), a, [b]);
			const ids = [message.id, ...(await addMessages(thread.id, [b], 4))];
			const unread = await addMessages(thread.id, [a], 2 * MESSAGES_PER_PAGE + 10);
			ids.push(...unread);
			const page = async (at?: { before?: number; after?: number }) => {
				const {
					messages: shown,
					earlier,
					later,
					firstUnread
				} = (await openThread(db(), b.id, thread.id, at))!;
				return { ids: shown.map((m) => m.id), earlier, later, firstUnread };
			};

			// The first page of unread messages, the read ones before it, and more after.
			const first = unread.slice(0, MESSAGES_PER_PAGE);
			expect(await page()).toEqual({
				ids: first,
				earlier: first[0],
				later: first.at(-1),
				firstUnread: first[0]
			});
			expect(await getThread(db(), b.id, thread.id)).toMatchObject({
				readMessageId: first.at(-1)
			});
			expect(await stateOf(db(), b, thread.id)).toEqual(inbox(true));
			expect((await page({ before: first[0] })).ids).toEqual(ids.slice(0, 5));

			// The next page on from there; then, with 10 left unread, the newest page.
			const second = unread.slice(MESSAGES_PER_PAGE, 2 * MESSAGES_PER_PAGE);
			expect(await page({ after: first.at(-1) })).toEqual({
				ids: second,
				earlier: second[0],
				later: second.at(-1),
				firstUnread: second[0]
			});
			const newest = ids.slice(-MESSAGES_PER_PAGE);
			expect(await page()).toEqual({
				ids: newest,
				earlier: newest[0],
				later: null,
				firstUnread: unread[2 * MESSAGES_PER_PAGE]
			});
			expect(await stateOf(db(), b, thread.id)).toEqual(inbox(false));

			// From before the first message: the first page; from the newest on: the newest page.
			expect(await page({ after: 0 })).toMatchObject({ ids: ids.slice(0, 50), earlier: null });
			expect(await page({ after: ids.at(-1) })).toMatchObject({ ids: newest, later: null });
		});

		it('leaves everyone else’s state alone', async () => {
			const [a, b, c] = await makeUsers(db(), 3);
			const { thread } = await send(db(), a, [b, c]);
			await deleteThread(db(), c.id, thread.id);

			await openThread(db(), b.id, thread.id);

			expect(await stateOf(db(), a, thread.id)).toEqual(inbox(false));
			expect(await stateOf(db(), b, thread.id)).toEqual(inbox(false));
			expect(await stateOf(db(), c, thread.id)).toEqual(deleted(true));
		});

		it('marks a deleted thread read without bringing it back', async () => {
			const [a, b] = await makeUsers(db(), 2);
			const { thread } = await send(db(), a, [b]);
			await deleteThread(db(), b.id, thread.id);

			const opened = await openThread(db(), b.id, thread.id);

			expect(opened?.thread.deleted).toBe(true);
			expect(await stateOf(db(), b, thread.id)).toEqual(deleted(false));
		});
	});

	describe('race-free marking read', () => {
		it('keeps a reply that arrived after the thread was read for display unread', async () => {
			const [a, b] = await makeUsers(db(), 2);
			const { thread } = await send(db(), a, [b]);
			const shown = await getThread(db(), b.id, thread.id);
			const late = await reply(db(), { from: a.id, threadId: thread.id, content: 'Late' });

			expect(await markRead(db(), b.id, thread.id, shown!.lastMessageId)).toBe(true);

			expect(await stateOf(db(), b, thread.id)).toEqual(inbox(true));
			expect(await getThread(db(), b.id, thread.id)).toMatchObject({
				readMessageId: shown!.lastMessageId,
				lastMessageId: late!.message.id
			});
		});

		it('neither shows nor marks read a reply committed while the page is served', async () => {
			const [a, b] = await makeUsers(db(), 2);
			const { thread, message } = await send(db(), a, [b]);
			let late: Awaited<ReturnType<typeof reply>> = null;
			const racing = afterFirstQuery(db(), async () => {
				late = await reply(db(), { from: a.id, threadId: thread.id, content: 'Late' });
			});

			const opened = await openThread(racing, b.id, thread.id);

			expect(late).not.toBeNull();
			expect(opened?.messages.map((m) => m.id)).toEqual([message.id]);
			expect(await getThread(db(), b.id, thread.id)).toMatchObject({
				readMessageId: message.id,
				lastMessageId: late!.message.id
			});
			expect(await stateOf(db(), b, thread.id)).toEqual(inbox(true));
		});

		it('never marks read a message it did not show, when a reply races the page', async () => {
			const [a, b] = await makeUsers(db(), 2);
			const { thread } = await send(db(), a, [b]);
			for (let round = 0; round < 20; round++) {
				const [opened, sent] = await Promise.all([
					openThread(db(), b.id, thread.id),
					reply(db(), { from: a.id, threadId: thread.id, content: `Round ${round}` })
				]);
				const shownIds = opened!.messages.map((m) => m.id);
				const state = await getThread(db(), b.id, thread.id);
				expect(state!.lastMessageId).toBe(sent!.message.id);
				expect(state!.readMessageId).toBe(Math.max(...shownIds));
				expect(shownIds.includes(sent!.message.id)).toBe(state!.readMessageId === sent!.message.id);
			}
		});

		it('never moves the read mark back, nor past the newest message', async () => {
			const [a, b] = await makeUsers(db(), 2);
			const { thread, message } = await send(db(), a, [b]);
			await openThread(db(), b.id, thread.id);

			await markRead(db(), b.id, thread.id, 0);
			expect(await stateOf(db(), b, thread.id)).toEqual(inbox(false));

			await markRead(db(), b.id, thread.id, Number.MAX_SAFE_INTEGER);
			expect(await getThread(db(), b.id, thread.id)).toMatchObject({ readMessageId: message.id });
			await reply(db(), { from: a.id, threadId: thread.id, content: 'New' });
			expect(await stateOf(db(), b, thread.id)).toEqual(inbox(true));
		});
	});

	describe('deleteThread and restoreThread', () => {
		it('moves the thread to the Deleted folder for the actor only', async () => {
			const [a, b] = await makeUsers(db(), 2);
			const { thread } = await send(db(), a, [b]);

			expect(await deleteThread(db(), b.id, thread.id)).toBe(true);

			expect(await stateOf(db(), b, thread.id)).toEqual(deleted(true));
			expect(await stateOf(db(), a, thread.id)).toEqual(inbox(false));
			expect(await getThread(db(), b.id, thread.id)).toMatchObject({ deleted: true });
		});

		it('restores it to the inbox with its read state unchanged', async () => {
			const [a, b] = await makeUsers(db(), 2);
			const unread = await send(db(), a, [b], 'Unread');
			const read = await send(db(), a, [b], 'Read');
			await openThread(db(), b.id, read.thread.id);
			for (const { thread } of [unread, read]) await deleteThread(db(), b.id, thread.id);

			expect(await restoreThread(db(), b.id, unread.thread.id)).toBe(true);
			expect(await restoreThread(db(), b.id, read.thread.id)).toBe(true);

			expect(await stateOf(db(), b, unread.thread.id)).toEqual(inbox(true));
			expect(await stateOf(db(), b, read.thread.id)).toEqual(inbox(false));
			expect(await stateOf(db(), a, read.thread.id)).toEqual(inbox(false));
		});

		it('leaves the thread in the inbox when a message came after the newest the user saw', async () => {
			const [a, b] = await makeUsers(db(), 2);
			const { thread, message } = await send(db(), a, [b]);
			const seen = (await openThread(db(), b.id, thread.id))!.thread.lastMessageId;
			expect(seen).toBe(message.id);
			const later = await reply(db(), { from: a.id, threadId: thread.id, content: 'One more' });

			// Deleting what the page showed: the newer message keeps the thread, unread, in the inbox,
			// and the answer says so.
			expect(await deleteThread(db(), b.id, thread.id, seen)).toBe(false);
			expect(await stateOf(db(), b, thread.id)).toEqual(inbox(true));

			// Having seen it too, the user can delete it; a later look at an older id changes nothing.
			expect(await deleteThread(db(), b.id, thread.id, later!.message.id)).toBe(true);
			expect(await stateOf(db(), b, thread.id)).toEqual(deleted(true));
			expect(await deleteThread(db(), b.id, thread.id, seen)).toBe(true);
			expect(await stateOf(db(), b, thread.id)).toEqual(deleted(true));
			expect(await stateOf(db(), a, thread.id)).toEqual(inbox(false));
		});
	});

	describe('a non-participant or a thread that does not exist', () => {
		it('gets null or false from every operation, and nothing is written', async () => {
			const [a, b, outsider] = await makeUsers(db(), 3);
			const { thread } = await send(db(), a, [b]);
			const before = await db()
				.select()
				.from(participants)
				.where(eq(participants.threadId, thread.id))
				.orderBy(asc(participants.userId));

			for (const threadId of [thread.id, NO_SUCH_THREAD]) {
				expect(await getThread(db(), outsider.id, threadId)).toBeNull();
				expect(await openThread(db(), outsider.id, threadId)).toBeNull();
				expect(await reply(db(), { from: outsider.id, threadId, content: 'Hi' })).toBeNull();
				expect(await markRead(db(), outsider.id, threadId, Number.MAX_SAFE_INTEGER)).toBe(false);
				expect(await deleteThread(db(), outsider.id, threadId)).toBeNull();
				expect(await restoreThread(db(), outsider.id, threadId)).toBe(false);
			}
			for (const user of [a, b]) {
				expect(await getThread(db(), user.id, NO_SUCH_THREAD)).toBeNull();
				expect(await openThread(db(), user.id, NO_SUCH_THREAD)).toBeNull();
				expect(
					await reply(db(), { from: user.id, threadId: NO_SUCH_THREAD, content: 'x' })
				).toBeNull();
			}

			expect(await rowsOf(db(), outsider)).toEqual({ participants: 0, messages: 0 });
			expect(await messageCount(db(), thread.id)).toBe(1);
			const after = await db()
				.select()
				.from(participants)
				.where(eq(participants.threadId, thread.id))
				.orderBy(asc(participants.userId));
			expect(after).toEqual(before);
			const [stray] = await db()
				.select({ n: count() })
				.from(messages)
				.where(or(eq(messages.threadId, NO_SUCH_THREAD), eq(messages.senderId, outsider.id)));
			expect(stray.n).toBe(0);
		});
	});

	describe('concurrency', () => {
		it('stores 45 concurrent replies once each, in one order everyone agrees on', async () => {
			const users = await makeUsers(db(), 3);
			const [a, b, c] = users;
			const { thread, message: first } = await send(db(), a, [b, c], 'Busy', 'Go');

			const sent = await Promise.all(
				users.flatMap((user) =>
					Array.from({ length: 15 }, (_, i) =>
						reply(db(), { from: user.id, threadId: thread.id, content: `${user.id}:${i}` })
					)
				)
			);

			const stored = await db()
				.select()
				.from(messages)
				.where(eq(messages.threadId, thread.id))
				.orderBy(asc(messages.id));
			expect(stored).toHaveLength(46);
			expect(new Set(stored.map((m) => m.content)).size).toBe(46);
			expect(stored.map((m) => m.id).sort((x, y) => x - y)).toEqual(
				[first.id, ...sent.map((s) => s!.message.id)].sort((x, y) => x - y)
			);
			const times = stored.map((m) => m.sentAt.getTime());
			expect(times).toEqual([...times].sort((x, y) => x - y));

			const newest = stored[stored.length - 1];
			for (const user of users) {
				const own = sent.filter((s) => s!.message.senderId === user.id).map((s) => s!.message.id);
				const state = await getThread(db(), user.id, thread.id);
				expect(state).toMatchObject({ lastMessageId: newest.id, readMessageId: Math.max(...own) });
				expect(await stateOf(db(), user, thread.id)).toEqual(inbox(newest.senderId !== user.id));
			}
			const opened = await openThread(db(), a.id, thread.id);
			expect(opened?.messages.map((m) => m.id)).toEqual(stored.map((m) => m.id));
		});
	});

	describe('pinax-messages’ own cases', () => {
		it('counts inbox and unread for sender and recipient across replies', async () => {
			const [a, b] = await makeUsers(db(), 2);
			const counts = async (user: User) => ({
				inbox: (await listThreads(db(), user.id, 'inbox')).threads.length,
				unread: await countUnread(db(), user.id)
			});

			const { thread } = await send(db(), a, [b]);
			expect(await counts(a)).toEqual({ inbox: 1, unread: 0 });
			expect(await counts(b)).toEqual({ inbox: 1, unread: 1 });

			await reply(db(), { from: b.id, threadId: thread.id, content: 'Reply 1' });
			expect(await counts(a)).toEqual({ inbox: 1, unread: 1 });
			expect(await counts(b)).toEqual({ inbox: 1, unread: 0 });

			await reply(db(), { from: a.id, threadId: thread.id, content: 'Reply 2' });
			expect(await counts(a)).toEqual({ inbox: 1, unread: 0 });
			expect(await counts(b)).toEqual({ inbox: 1, unread: 1 });
		});

		it('orders three threads by latest activity', async () => {
			const [a, b] = await makeUsers(db(), 2);
			const one = await send(db(), a, [b], 'One');
			const two = await send(db(), a, [b], 'Two');
			const three = await send(db(), b, [a], 'Three');
			const order = async () =>
				(await listThreads(db(), b.id, 'inbox')).threads.map((t) => t.subject);

			expect(await order()).toEqual(['Three', 'Two', 'One']);
			await reply(db(), { from: a.id, threadId: one.thread.id, content: 'Up' });
			expect(await order()).toEqual(['One', 'Three', 'Two']);
			await reply(db(), { from: b.id, threadId: two.thread.id, content: 'Up' });
			expect(await order()).toEqual(['Two', 'One', 'Three']);
			// Activity is the thread's, not the reader's: the other participant sees the same order.
			expect((await listThreads(db(), a.id, 'inbox')).threads.map((t) => t.id)).toEqual([
				two.thread.id,
				one.thread.id,
				three.thread.id
			]);
		});

		it('counts unread threads, not messages', async () => {
			const [a, b] = await makeUsers(db(), 2);
			const one = await send(db(), a, [b], 'One');
			await send(db(), a, [b], 'Two');
			for (let i = 0; i < 3; i++) {
				await reply(db(), { from: a.id, threadId: one.thread.id, content: `More ${i}` });
			}
			expect(await countUnread(db(), b.id)).toBe(2);
		});

		it('brings a deleted thread back when someone replies', async () => {
			const [a, b] = await makeUsers(db(), 2);
			const { thread } = await send(db(), a, [b]);
			await deleteThread(db(), b.id, thread.id);
			expect(await stateOf(db(), b, thread.id)).toEqual(deleted(true));
			expect(await countUnread(db(), b.id)).toBe(0);

			await reply(db(), { from: a.id, threadId: thread.id, content: 'Come back' });

			expect(await stateOf(db(), b, thread.id)).toEqual(inbox(true));
			expect(await countUnread(db(), b.id)).toBe(1);
		});
	});
});
