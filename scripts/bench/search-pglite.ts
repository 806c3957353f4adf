// Search on PGlite, which has no statement timeout (its WebAssembly build has no timer to cancel
// a statement): how long the worst searches take at a given size, so that docs/BENCHMARKS.md can
// say what an embedded deployment may expect. An in-memory database, seeded as bench:search seeds.
// Usage: npm run bench:search:pglite -- [messages, default 100000]
import { createDb } from '../../src/lib/server/db/client';
import { searchMessages } from '../../src/lib/server/search';
import { COMMON, HEAVY, RARE, TYPICAL, seedSearch } from './search-seed';

const messages = Number(process.argv[2] ?? 100_000);
const handle = createDb();
await handle.migrate();
const started = performance.now();
await seedSearch(handle.db, messages);
console.log(`Seeded ${messages} messages in ${Math.round(performance.now() - started)} ms\n`);

const idOf = async (username: string) =>
	(await handle.db.query.users.findFirst({ where: (u, { eq }) => eq(u.username, username) }))!.id;
// A rare and a common word, a word in most messages, its negation and an OR of three such (the
// index cannot narrow them), a phrase, and the operators that read every thread of the user.
const searches = [
	RARE,
	COMMON,
	'w1',
	'-w1',
	'w1 OR w2 OR w3',
	'"w1 w2"',
	'is:unread',
	'from:' + TYPICAL
];

console.log('| user | search | results | ms (3 runs) |');
console.log('| --- | --- | ---: | --- |');
for (const user of [HEAVY, TYPICAL]) {
	const id = await idOf(user);
	for (const text of searches) {
		const times: number[] = [];
		let found = '';
		for (let run = 0; run < 3; run++) {
			const start = performance.now();
			const outcome = await searchMessages(handle.db, id, text);
			times.push(Math.round(performance.now() - start));
			found = outcome.status === 'found' ? String(outcome.results.length) : outcome.status;
		}
		console.log(`| ${user} | \`${text}\` | ${found} | ${times.join(' / ')} |`);
	}
}
await handle.close();
