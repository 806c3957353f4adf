// Seeds a data set for the search benchmark with bulk SQL (a few minutes for the full size):
// users, threads of two, messages of words drawn from a skewed vocabulary, a common word
// ("meeting", in 9% of messages), a rare one ("zanzibar", 23 messages in all), one common in
// everyone's threads but the heavy user's ("harbour"), and a heavy user
// in a tenth of all threads. Messages of all threads interleave, so ids follow activity.
// Usage: DATABASE_URL=… tsx scripts/bench/search-seed.ts [messages, default 1000000]
import { sql } from 'drizzle-orm';
import type { DB } from '../../src/lib/server/db/client';

export const RARE = 'zanzibar';
export const COMMON = 'meeting';
/** Common in other people's threads (9%), in none of the heavy user's but their first. */
export const ELSEWHERE = 'harbour';
export const HEAVY = 'heavy';
/** A user with a typical mailbox: about 40 threads. */
export const TYPICAL = 'user00042';

/**
 * Seeds `messages` messages, 5 a thread; 10,000 users at 1 M (at least 100). The heavy user is
 * in every `heavyEvery`th thread.
 */
export async function seedSearch(db: DB, messages: number, heavyEvery = 10) {
	const threads = Math.floor(messages / 5);
	const users = Math.max(100, Math.floor(threads / 20));
	const heavyThreads = Math.floor(threads / heavyEvery);
	const run = (query: string) => db.execute(sql.raw(query));
	await run('truncate users, sessions, threads, messages, participants restart identity cascade');
	await run(`insert into users (username, password_hash)
		select 'user' || lpad(g::text, 5, '0'), 'not used' from generate_series(1, ${users}) g
		union all select '${HEAVY}', 'not used'`);
	const heavy = users + 1;
	// Thread g is between two users; the heavy user is the first of every heavyEvery-th thread.
	const first = (g: string) =>
		`case when ${g} % ${heavyEvery} = 0 then ${heavy} else (${g} * 7) % ${users} + 1 end`;
	const second = (g: string) => `(${g} * 13 + 1) % ${users} + 1`;
	const id = (g: string) => `translate(left(md5('thread' || ${g}), 16), '0189', 'wxyz')`;
	await run(`insert into threads (id, subject, participant_names, last_sender, last_excerpt, last_sent_at)
		select ${id('g')}, 'Thread ' || g, '{}', '', '', now() from generate_series(1, ${threads}) g`);
	// Eight words a message, word k of the vocabulary about (k+1)^-2/3 as often as the first.
	const total = threads * 5;
	await run(`insert into messages (thread_id, sender_id, content, sent_at)
		select ${id('g')}, case when i % 2 = 0 then ${first('g')} else ${second('g')} end,
			concat_ws(' ',
				(select string_agg('w' || floor(1000 * power(random(), 3))::int, ' ')
					from generate_series(1, 8) k where k > g * 0),
				case when random() < 0.09 then '${COMMON}' end,
				case when (random() < 0.09 and g % ${heavyEvery} <> 0) or g = ${heavyEvery}
					then '${ELSEWHERE}' end,
				case when (i * ${threads} + g) % ${Math.floor(total / 23)} = 2 then '${RARE}' end),
			now() - make_interval(secs => ${total} - (i * ${threads} + g))
		from generate_series(0, 4) i, generate_series(1, ${threads}) g
		order by i, g`);
	await run(`insert into participants (thread_id, user_id, last_message_id, read_message_id, last_sent_message_id)
		select m.thread_id, u.user_id, m.last_id, m.last_id, 0
		from (select thread_id, max(id) as last_id from messages group by thread_id) m
		join (select ${id('g')} as thread_id, unnest(array[${first('g')}, ${second('g')}]) as user_id
			from generate_series(1, ${threads}) g) u on u.thread_id = m.thread_id
		on conflict do nothing`);
	await run(`update threads t set participant_names = n.names from (
		select p.thread_id, array_agg(u.username order by u.username) as names
		from participants p join users u on u.id = p.user_id group by p.thread_id) n
		where n.thread_id = t.id`);
	await run('vacuum analyze');
	return { users, threads, messages: total, heavyThreads };
}
