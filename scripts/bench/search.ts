// The search benchmark: seeds (unless --no-seed) and prints, as Markdown for docs/BENCHMARKS.md,
// the timings and `explain (analyze, buffers)` plans of search statements as the app runs them.
// Usage: DATABASE_URL=postgres://…/app_search_scale npm run bench:search -- [--no-seed] [--messages N]
import { parseArgs } from 'node:util';
import postgres from 'postgres';
import { connectionOf, createDb } from '../../src/lib/server/db/client';
import { searchMessages } from '../../src/lib/server/search';
import { COMMON, ELSEWHERE, HEAVY, RARE, TYPICAL, seedSearch } from './search-seed';

const { values: options } = parseArgs({
	options: {
		'no-seed': { type: 'boolean', default: false },
		messages: { type: 'string', default: '1000000' }
	}
});
const url = process.env.DATABASE_URL;
if (!url) throw new Error('Set DATABASE_URL to a PostgreSQL database of its own.');

const captured: { query: string; params: unknown[] }[] = [];
const handle = createDb({
	url,
	logger: { logQuery: (query, params) => captured.push({ query, params }) }
});
await handle.migrate();
const { db } = handle;
const [clientUrl, socket] = connectionOf(url);
const client = postgres(clientUrl, { ...socket, max: 1 });
if (!options['no-seed']) {
	const started = performance.now();
	const sizes = await seedSearch(db, Number(options.messages));
	console.log(
		`Seeded ${JSON.stringify(sizes)} in ${Math.round((performance.now() - started) / 1000)} s\n`
	);
}

const userId = async (name: string) => {
	const rows = (await handle.db.query.users.findFirst({
		where: (u, { eq }) => eq(u.username, name)
	}))!;
	return rows.id;
};
const [heavy, typical] = [await userId(HEAVY), await userId(TYPICAL)];

/** The search statement (not the timeout's) of one search, as the app sends it. */
async function statementOf(user: number, text: string) {
	captured.length = 0;
	const outcome = await searchMessages(db, user, text);
	const { query, params } = captured.find((c) => c.query.includes('websearch_to_tsquery'))!;
	return {
		query,
		params,
		results: outcome.status === 'found' ? outcome.results.length : outcome.status
	};
}

const median = (values: number[]) =>
	[...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

async function measure(title: string, user: number, text: string, trap = false) {
	let { query, params, results } = await statementOf(user, text);
	if (trap) query = query.replace('order by m.id + 0 desc', 'order by m.id desc');
	const times: number[] = [];
	let plan = '';
	for (let round = 0; round < 5; round++) {
		const rows = (await client.unsafe(
			`explain (analyze, buffers) ${query}`,
			params as never[]
		)) as {
			'QUERY PLAN': string;
		}[];
		plan = rows.map((row) => row['QUERY PLAN']).join('\n');
		times.push(Number(/Execution Time: ([\d.]+) ms/.exec(plan)![1]));
	}
	const wall: number[] = [];
	for (let round = 0; round < 5 && !trap; round++) {
		const started = performance.now();
		await searchMessages(db, user, text);
		wall.push(performance.now() - started);
	}
	const figure = `${median(times).toFixed(1)} ms${wall.length ? `, ${median(wall).toFixed(1)} ms end to end` : ''}`;
	console.log(`### ${title}: ${figure} (${results} shown)\n\n\`\`\`\n${plan}\n\`\`\`\n`);
	return { title, executionMs: median(times), wallMs: wall.length ? median(wall) : null };
}

const figures = [
	await measure(`Heavy user, rare word (\`${RARE}\`)`, heavy, RARE),
	await measure(`Typical user, common word (\`${COMMON}\`)`, typical, COMMON),
	await measure(`Typical user, rare word (\`${RARE}\`)`, typical, RARE),
	await measure(`Heavy user, common word (\`${COMMON}\`)`, heavy, COMMON),
	await measure(`Heavy user, three words (\`w1 w2 ${COMMON}\`)`, heavy, `w1 w2 ${COMMON}`),
	await measure(`Heavy user, common word from one person`, heavy, `${COMMON} from:user00070`),
	await measure(
		`Heavy user, a word common in others' threads only (\`${ELSEWHERE}\`)`,
		heavy,
		ELSEWHERE
	),
	await measure(`The trap: the same, ordered by \`m.id\``, heavy, ELSEWHERE, true),
	await measure(`The trap: heavy user, rare word, ordered by \`m.id\``, heavy, RARE, true)
];
console.log('| search | execution (median of 5) | end to end |\n| --- | --- | --- |');
for (const { title, executionMs, wallMs } of figures) {
	console.log(
		`| ${title} | ${executionMs.toFixed(1)} ms | ${wallMs === null ? '—' : `${wallMs.toFixed(1)} ms`} |`
	);
}
await Promise.all([handle.close(), client.end()]);
