// Prints the PostgreSQL plans of the statements behind the inbox, the unread count, the Deleted
// folder, the thread page and the two writes, as the app runs them (captured from its own query
// log), and fails if any of them scans messages or participants sequentially. Reads are shown
// as they ran (EXPLAIN ANALYZE); the writes by their plan only (they run once, for the capture).
// Usage: DATABASE_URL=… tsx scripts/bench/explain.ts   (after scripts/bench/seed.ts)
import postgres from 'postgres';
import { connectionOf, createDb } from '../../src/lib/server/db/client';
import { getMailbox, listThreads } from '../../src/lib/server/mailbox';
import { openThread, reply, startThread } from '../../src/lib/server/threads';

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

async function plans(title: string, work: () => Promise<unknown>) {
	captured.length = 0;
	await work();
	let sequential = false;
	console.log(`### ${title}\n`);
	for (const { query, params } of captured) {
		const analyse = query.trimStart().startsWith('select') ? 'analyze, ' : '';
		const rows = await client.unsafe(
			`explain (${analyse}costs off, timing off) ${query}`,
			params as never[]
		);
		const plan = rows.map((r) => r['QUERY PLAN']).join('\n');
		sequential ||= /Seq Scan on (messages|participants)/.test(plan);
		console.log('```sql\n' + query.replace(/\s+/g, ' ').trim() + '\n```\n```\n' + plan + '\n```\n');
	}
	return sequential;
}

const inbox = await listThreads(handle.db, heavy.id, 'inbox');
const [thread] = inbox.threads;
const found = [
	await plans('Every page: the mailbox (inbox page, unread page, unread count)', () =>
		getMailbox(handle.db, heavy.id)
	),
	await plans('Inbox, an older page', () =>
		listThreads(handle.db, heavy.id, 'inbox', inbox.older!)
	),
	await plans('Deleted folder', () => listThreads(handle.db, heavy.id, 'deleted')),
	await plans('Thread page', () => openThread(handle.db, heavy.id, thread.id)),
	await plans('Reply', () =>
		reply(handle.db, { from: heavy.id, threadId: thread.id, content: 'A reply to explain.' })
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
	console.error('A sequential scan of messages or participants: see the plans above.');
	process.exit(1);
}
