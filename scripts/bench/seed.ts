// Seeds the benchmark data set with bulk SQL: run by scripts/bench/run.mjs, not by hand.
// Usage: tsx scripts/bench/seed.ts <small|scale>   (DATABASE_URL or PGLITE_DIR as for the app)
import { sql } from 'drizzle-orm';
import { hashPassword } from '../../src/lib/server/auth';
import { openScriptDb } from '../db';
import { LONG_MESSAGES } from './long-messages.mjs';

export const PROFILES = {
	// The profile the Django original was measured with.
	small: { users: 1_000, threads: 10_000, messagesPerThread: 5, longThread: 0 },
	// 10,000 users, 100,000 threads, 1,000,000 messages, and thread 1 (the heavy user's oldest)
	// 2,000 messages long.
	scale: { users: 10_000, threads: 100_000, messagesPerThread: 10, longThread: 2_000 }
};
const HEAVY_THREADS = 200;
export const PASSWORD = 'bench-password';

const profile = PROFILES[(process.argv[2] ?? 'small') as keyof typeof PROFILES];
const handle = openScriptDb();
await handle.migrate();
const run = (query: string) => handle.db.execute(sql.raw(query));

function progress(label: string, done: number, total: number) {
	const width = 30;
	const filled = Math.round((done / total) * width);
	process.stdout.write(
		`\r${label.padEnd(12)} [${'#'.repeat(filled)}${' '.repeat(width - filled)}] ${done}/${total}`
	);
	if (done === total) process.stdout.write('\n');
}

await run('truncate users, sessions, threads, messages, participants restart identity cascade');
const hash = await hashPassword(PASSWORD);
const { users: N, threads: T, messagesPerThread: M, longThread: LONG } = profile;

// Users 1..N are "user00001"…; user N+1 is "heavy", in the first HEAVY_THREADS threads.
await run(`insert into users (username, password_hash)
	select 'user' || lpad(g::text, 5, '0'), '${hash}' from generate_series(1, ${N}) g
	union all select 'heavy', '${hash}'`);
const HEAVY = N + 1;

// Thread g has 2 to 5 participants: its first is the heavy user for g <= HEAVY_THREADS.
// Member j of thread g; ids use the base32 alphabet of real thread ids.
const member = (g: string, j: string) =>
	`case when ${j} = 0 and ${g} <= ${HEAVY_THREADS} then ${HEAVY} else ((${g} * 7 + ${j} * 13) % ${N}) + 1 end`;
const threadId = (g: string) => `translate(left(md5('thread' || ${g}), 16), '0189', 'wxyz')`;
// Listing summaries are filled in once the messages are there.
await run(`insert into threads (id, subject, participant_names, last_sender, last_excerpt, last_sent_at)
	select ${threadId('g')}, 'Benchmark thread ' || g, '{}', '', '', now()
	from generate_series(1, ${T}) g`);

// The threads of long messages (long-messages.mjs), between the heavy user and user 1, with
// the oldest ids, so the inbox's first page does not change.
for (const { key, content } of LONG_MESSAGES) {
	const id = sql.raw(threadId(`'${key}'`));
	await handle.db.execute(sql`insert into threads (id, subject, participant_names, last_sender,
		last_excerpt, last_sent_at) values (${id}, ${`Long messages: ${key}`}, '{}', '', '', now())`);
	await handle.db.execute(sql`insert into messages (thread_id, sender_id, content, sent_at)
		select ${id}, case when i % 2 = 0 then ${HEAVY} else 1 end, ${content},
			now() - interval '10 years' + make_interval(secs => i)
		from generate_series(1, 50) i order by i`);
}

// The long thread's earlier messages, older than any other; its last M come with the rest.
if (LONG) {
	await run(`insert into messages (thread_id, sender_id, content, sent_at)
		select ${threadId('1')}, ${member('1', 'i % 3')},
			'Message ' || i || ' of thread 1. The quick brown fox jumps over the lazy dog.',
			now() - make_interval(secs => ${T * M + LONG} - i)
		from generate_series(0, ${LONG - M - 1}) i
		order by i`);
}

// Messages in chunks of threads, oldest first, so ids follow activity as in real use.
const CHUNKS = 20;
for (let c = 0; c < CHUNKS; c++) {
	const from = Math.floor((c * T) / CHUNKS) + 1;
	const to = Math.floor(((c + 1) * T) / CHUNKS);
	await run(`insert into messages (thread_id, sender_id, content, sent_at)
		select ${threadId('g')}, ${member('g', 'i % (2 + g % 4)')},
			'Message ' || i || ' of thread ' || g || '. The quick brown fox jumps over the lazy dog.',
			now() - make_interval(secs => ${T * M} - (g * ${M} + i))
		from generate_series(${from}, ${to}) g, generate_series(0, ${M - 1}) i
		order by g, i`);
	progress('messages', c + 1, CHUNKS);
}

// Mailbox state: the heavy user has read every other thread; the others have read a third.
await run(`insert into participants (thread_id, user_id, last_message_id, read_message_id)
	select m.thread_id, b.user_id, m.last_id,
		case when (b.user_id = ${HEAVY} and b.g % 2 = 0) or (b.user_id <> ${HEAVY} and b.g % 3 = 0)
			then m.last_id else 0 end
	from (select g, ${threadId('g')} as thread_id, ${member('g', 'j')} as user_id
		from generate_series(1, ${T}) g, generate_series(0, 4) j where j <= 1 + g % 4) b
	join (select thread_id, max(id) as last_id from messages group by thread_id) m
		on m.thread_id = b.thread_id`);
await run(`insert into participants (thread_id, user_id, last_message_id, read_message_id)
	select thread_id, u.id, max(m.id), max(m.id) from messages m, (values (1), (${HEAVY})) u (id)
	where thread_id in (${LONG_MESSAGES.map(({ key }) => threadId(`'${key}'`)).join(', ')})
	group by thread_id, u.id`);
await run(`update threads t set
	participant_names = array(select u.username from participants p join users u on u.id = p.user_id
		where p.thread_id = t.id order by u.username),
	last_sender = u.username, last_excerpt = m.content, last_sent_at = m.sent_at
	from participants p join messages m on m.id = p.last_message_id join users u on u.id = m.sender_id
	where p.thread_id = t.id and p.user_id = (select min(user_id) from participants where thread_id = t.id)`);
// What autovacuum leaves after a bulk load: statistics, and the visibility map that lets the
// thread page read a page of message ids from the index alone.
await run('vacuum analyze');
const result = (await run(`select (select count(*) from users)::int as users,
	(select count(*) from threads)::int as threads, (select count(*) from messages)::int as messages,
	(select count(*) from participants)::int as participants`)) as unknown;
// postgres.js gives an array of rows, PGlite an object holding them.
console.log(
	JSON.stringify(Array.isArray(result) ? result[0] : (result as { rows: unknown[] }).rows[0])
);
await handle.close();
