import { and, eq, sql } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { createSession, generateSessionToken, validateSessionToken } from '$lib/server/auth';
import { db, openDb } from '$lib/server/db';
import { participants } from '$lib/server/db/schema';
import { countStatements, statementLogger } from '$lib/server/statement-count';
import { makeUsers } from '$lib/server/testing';
import { reply, startThread } from '$lib/server/threads';
import { load as layoutLoad } from './+layout.server';
import { load as inboxLoad } from './messages/+page.server';
import { load as threadLoad } from './messages/thread/[id=threadId]/+page.server';

// The real loads of the inbox and the thread page, with the session check of the handle hook,
// at data sizes too large to build through the browser. The e2e suite counts the same over HTTP.

type User = { id: number; username: string };

beforeAll(() => openDb({ dataDir: 'memory://', logger: statementLogger }));

async function statementsFor(user: User, path: string, params: Record<string, string> = {}) {
	const token = generateSessionToken();
	await createSession(db, token, user.id);
	const [, statements] = await countStatements(async () => {
		const { user: signedIn, session } = await validateSessionToken(db, token);
		const event = { locals: { user: signedIn, session }, url: new URL(path, 'http://x'), params };
		const loads = [layoutLoad, path.includes('/thread/') ? threadLoad : inboxLoad];
		// Only the parts of a RequestEvent these loads read.
		const call = (load: unknown) =>
			(load as (event: unknown) => Promise<unknown>)({ ...event, parent: async () => ({}) });
		await Promise.all(loads.map(call));
	});
	return statements;
}

/** `count` more threads between `a` and `b`, as bulk SQL; the newest is unread for `a`. */
async function addThreads(a: User, b: User, count: number) {
	await db.execute(sql`
		with t as (
			insert into threads (id, subject, participant_names, last_sender, last_excerpt, last_sent_at)
			select translate(left(md5(random()::text), 16), '0189', 'wxyz'), 'Bulk ' || g,
				array[${a.username}, ${b.username}], ${b.username}, 'Hello', now()
			from generate_series(1, ${count}) g returning id
		), m as (
			insert into messages (thread_id, sender_id, content) select id, ${b.id}, 'Hello' from t
			returning id, thread_id
		)
		insert into participants (thread_id, user_id, last_message_id, read_message_id)
		select thread_id, u, id, case when u = ${b.id} then id else 0 end
		from m, unnest(array[${a.id}, ${b.id}]::int[]) u`);
}

async function addMessages(threadId: string, sender: User, count: number) {
	await db.execute(sql`
		insert into messages (thread_id, sender_id, content)
		select ${threadId}, ${sender.id}, 'Message ' || g from generate_series(1, ${count}) g`);
	await db.execute(sql`
		update participants set last_message_id = (select max(id) from messages where thread_id = ${threadId})
		where thread_id = ${threadId}`);
}

describe('SQL statements per page do not grow with the data', () => {
	it('inbox: at most 3, the same at 20 and at 2,000 threads', async () => {
		const [a, b] = await makeUsers(db, 2);
		await addThreads(a, b, 20);
		const small = await statementsFor(a, '/messages');
		await addThreads(a, b, 1_980);
		const large = await statementsFor(a, '/messages');
		expect(small).toBeGreaterThan(0);
		expect(small).toBeLessThanOrEqual(3);
		expect(large).toBe(small);
	});

	it('thread page: the same at 5 and at 500 messages', async () => {
		const [a, b] = await makeUsers(db, 2);
		await addThreads(a, b, 1);
		const [{ threadId }] = await db.query.participants.findMany({
			where: (p, { eq }) => eq(p.userId, a.id)
		});
		const path = `/messages/thread/${threadId}`;
		await addMessages(threadId, b, 4);
		const small = await statementsFor(a, path, { id: threadId }); // unread: marks it read
		const smallRead = await statementsFor(a, path, { id: threadId });
		await addMessages(threadId, b, 495);
		const large = await statementsFor(a, path, { id: threadId });
		const largeRead = await statementsFor(a, path, { id: threadId });
		expect([large, largeRead]).toEqual([small, smallRead]);
		expect(smallRead).toBeGreaterThan(0);
		expect(smallRead).toBeLessThan(small);
	});
});

describe('SQL statements per write do not grow with the recipients', () => {
	it('a new thread is one statement for 1 recipient and for 20; a reply is one for 21 members', async () => {
		const [sender, ...others] = await makeUsers(db, 21);
		const start = (to: User[]) =>
			countStatements(() =>
				startThread(db, {
					from: sender.id,
					to: to.map((user) => user.id),
					subject: 'Hello',
					content: 'Hi all'
				})
			);
		const [, toOne] = await start(others.slice(0, 1));
		const [{ thread }, toTwenty] = await start(others);
		const [sent, replying] = await countStatements(() =>
			reply(db, { from: others[7].id, threadId: thread.id, content: 'Hi back' })
		);

		expect([toOne, toTwenty, replying]).toEqual([1, 1, 1]);
		// And all of it was written: a mailbox row for each of the 21, the reply in all of them.
		expect(sent?.thread.participantIds).toHaveLength(21);
		const moved = await db.$count(
			participants,
			and(eq(participants.threadId, thread.id), eq(participants.lastMessageId, sent!.message.id))
		);
		expect(moved).toBe(21);
	});
});
