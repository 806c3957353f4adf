// Prints the PostgreSQL plans of the statements behind the inbox, the unread count, the Deleted
// folder, the thread page (of a short and of a long thread) and the two writes, as the app runs
// them (captured from its own query log). It fails if any of them scans messages or participants
// sequentially, or if a page of the long thread reads more than a page of messages. Reads are
// shown as they ran (EXPLAIN ANALYZE); the writes by their plan only (they run once, for the
// capture).
// Usage: DATABASE_URL=… tsx --tsconfig scripts/tsconfig.json scripts/bench/explain.ts
// (after scripts/bench/seed.ts)
import postgres from 'postgres';
import { connectionOf, createDb } from '../../src/lib/server/db/client';
import { getMailbox, listThreads } from '../../src/lib/server/mailbox';
// The modules themselves, not the threads index: some of it reads SvelteKit's `$env`, which a
// script run by tsx does not have.
import { MESSAGES_PER_PAGE, openThread } from '../../src/lib/server/threads/reading';
import { actOnThreads } from '../../src/lib/server/threads/selection';
import { markAllRead } from '../../src/lib/server/threads/undo';
import { startThread } from '../../src/lib/server/threads/new-thread';
import { reply } from '../../src/lib/server/threads/reply';

const url = process.env.DATABASE_URL;
if (!url) throw new Error('Set DATABASE_URL to a seeded PostgreSQL database.');

const captured: { query: string; params: unknown[] }[] = [];
const handle = createDb({
	url,
	logger: { logQuery: (query, params) => captured.push({ query, params }) }
});
const [clientUrl, socket] = connectionOf(url);
const client = postgres(clientUrl, { ...socket, max: 1 });
const [heavy] = await client`select id from users where username = 'heavy'`;
const recipients = await client`select id from users where username <> 'heavy' order by id limit 3`;

/**
 * Prints the plans of the statements `work` runs; true when one of them scans messages or
 * participants sequentially, or reads more than `maxMessages` rows of messages in one node, or
 * does not use the index `index` (a folder's partial index) when one is given.
 */
async function plans(
	title: string,
	work: () => Promise<unknown>,
	maxMessages = Infinity,
	index?: string
) {
	captured.length = 0;
	await work();
	let flawed = false;
	console.log(`### ${title}\n`);
	for (const { query, params } of captured) {
		const analyse = query.trimStart().startsWith('select') ? 'analyze, ' : '';
		const rows = await client.unsafe(
			`explain (${analyse}costs off, timing off) ${query}`,
			params as never[]
		);
		const plan = rows.map((r) => r['QUERY PLAN']).join('\n');
		flawed ||= /Seq Scan on (messages|participants)/.test(plan);
		flawed ||= index !== undefined && !plan.includes(`Index Scan Backward using ${index}`);
		for (const [, rowsRead] of plan.matchAll(/ on messages .*actual rows=(\d+)/g)) {
			flawed ||= Number(rowsRead) > maxMessages;
		}
		console.log('```sql\n' + query.replace(/\s+/g, ' ').trim() + '\n```\n```\n' + plan + '\n```\n');
	}
	return flawed;
}

const inbox = await listThreads(handle.db, heavy.id, 'inbox');
const [thread] = inbox.threads.map((t) => t.id);

// A thread page reads one page of messages however long the thread: shown on the heavy user's
// longest thread, made 2,000 messages long on the first run.
const LONG_THREAD = 2_000;
const [{ longThread, already }] = await client`
	select m.thread_id as "longThread", count(*)::int as already
	from messages m join participants p on p.thread_id = m.thread_id and p.user_id = ${heavy.id}
	where m.thread_id <> ${thread}
	group by m.thread_id order by already desc, m.thread_id limit 1`;
for (let i = already; i < LONG_THREAD; i++) {
	await reply(handle.db, { from: heavy.id, threadId: longThread, content: `Message ${i + 1}.` });
}
const found = [
	await plans('Every page: the mailbox (inbox page, unread page, unread count)', () =>
		getMailbox(handle.db, heavy.id)
	),
	await plans('Inbox, an older page', () =>
		listThreads(handle.db, heavy.id, 'inbox', inbox.older!)
	),
	await plans('Deleted folder', () => listThreads(handle.db, heavy.id, 'deleted')),
	// A page of the heavy user's threads archived (by one statement), then each folder.
	await plans('Archive a selection (a page of threads)', () =>
		actOnThreads(
			handle.db,
			heavy.id,
			'archive',
			inbox.threads.map((t) => t.id)
		)
	),
	await plans(
		'Archive folder',
		() => listThreads(handle.db, heavy.id, 'archive'),
		Infinity,
		'participants_archive_idx'
	),
	await plans(
		'Sent folder',
		() => listThreads(handle.db, heavy.id, 'sent'),
		Infinity,
		'participants_sent_idx'
	),
	await plans('Sent folder, an older page', async () => {
		const sent = await listThreads(handle.db, heavy.id, 'sent');
		if (sent.older) await listThreads(handle.db, heavy.id, 'sent', sent.older);
	}),
	await plans('Mark all read (Archive)', () =>
		markAllRead(handle.db, heavy.id, 'archive', Number.MAX_SAFE_INTEGER)
	),
	await plans('Thread page', () => openThread(handle.db, heavy.id, thread)),
	await plans(
		`Thread page, ${LONG_THREAD} messages, its older page, and a page read forwards`,
		async () => {
			const opened = await openThread(handle.db, heavy.id, longThread);
			await openThread(handle.db, heavy.id, longThread, { before: opened!.earlier! });
			// As the page that opens a thread with more than a page unread is read.
			await openThread(handle.db, heavy.id, longThread, { after: opened!.earlier! - 1000 });
		},
		MESSAGES_PER_PAGE + 1
	),
	await plans('Reply', () =>
		reply(handle.db, { from: heavy.id, threadId: thread, content: 'A reply to explain.' })
	),
	await plans('New thread to 3 people', () =>
		startThread(handle.db, {
			from: heavy.id,
			to: recipients.map((user) => user.id),
			subject: 'To explain',
			content: 'A new thread to explain.'
		})
	)
].some(Boolean);

await client.end();
await handle.close();
if (found) {
	console.error('A sequential scan, or a page that reads a whole thread: see the plans above.');
	process.exit(1);
}
