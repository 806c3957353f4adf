// The benchmark: seeds a database, starts the production server and measures each endpoint
// with autocannon on 127.0.0.1. See docs/BENCHMARKS.md for the method and the figures.
//
//   npm run bench -- [--db pglite|postgres|both] [--scale] [--duration 10] [--rounds 3] [--no-build]
//                    [--only inbox,floor] [--cpu-prof] [--node-options=--max-old-space-size=256]
//                    [--port 4400]
//
// --only measures the endpoints whose name contains one of the words (shares need the ceiling
// first); --port is the measured server's (so runs in several checkouts do not meet);
// --node-options replaces the server's Node options, which are otherwise those of `npm start`;
// --cpu-prof writes the server's CPU profile to bench-results/ (summarise it with profile.mjs).
// To compare two builds or two settings side by side, see ab.mjs.
//
// PostgreSQL runs need BENCH_DATABASE_URL, a database the benchmark may empty.
import { execFileSync } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import {
	NODE_OPTIONS_OF_START,
	endpointsOf,
	measure,
	median,
	peakRssOf,
	startServer,
	statementsOf,
	stopServer
} from './server.mjs';

const { values: options } = parseArgs({
	options: {
		db: { type: 'string', default: 'pglite' },
		scale: { type: 'boolean', default: false },
		duration: { type: 'string', default: '10' },
		rounds: { type: 'string', default: '3' },
		connections: { type: 'string', default: '10' },
		'no-build': { type: 'boolean', default: false },
		only: { type: 'string' },
		'cpu-prof': { type: 'boolean', default: false },
		'node-options': { type: 'string' },
		port: { type: 'string', default: '4400' }
	}
});
const load = { duration: Number(options.duration), connections: Number(options.connections) };
const ROUNDS = Number(options.rounds);
const PORT = Number(options.port);

if (!options['no-build'])
	execFileSync('npx', ['vite', 'build'], { stdio: ['ignore', 'ignore', 'inherit'] });

const databases = options.db === 'both' ? ['pglite', 'postgres'] : [options.db];
const report = {
	date: new Date().toISOString(),
	connections: load.connections,
	duration: load.duration,
	rounds: ROUNDS,
	runs: []
};

for (const kind of databases) {
	const env = databaseEnv(kind);
	for (const profile of options.scale ? ['small', 'scale'] : ['small']) {
		console.log(`\n== ${kind}, ${profile} data set`);
		execFileSync('npx', ['tsx', 'scripts/bench/seed.ts', profile], {
			env: { ...process.env, ...env },
			stdio: 'inherit'
		});
		// Statements are counted by a server in counting mode (`SQL_COUNT`), whose bookkeeping
		// costs the cheapest request about 8 %; the server measured then runs as `npm start` runs it.
		const counting = await startServer({ port: PORT, env: { ...env, SQL_COUNT: '1' } });
		let endpoints;
		try {
			const wanted = options.only?.split(',');
			endpoints = (await endpointsOf(counting, profile)).filter(
				(endpoint) => !wanted || wanted.some((word) => endpoint.name.includes(word))
			);
			for (const endpoint of endpoints)
				endpoint.statements = await statementsOf(counting, endpoint);
		} finally {
			await stopServer(counting);
		}
		const server = await startServer({
			port: PORT,
			env,
			nodeOptions: options['node-options'] ?? NODE_OPTIONS_OF_START,
			cpuProf: options['cpu-prof']
		});
		try {
			const results = await measureAll(server, endpoints);
			const peakRss = peakRssOf(server);
			report.runs.push({ database: kind, profile, peakRssMb: peakRss, results });
			printTable(kind, profile, results, peakRss);
			printAgainstFloor(results);
			printLongMessages(results);
		} finally {
			await stopServer(server);
		}
	}
}

mkdirSync('bench-results', { recursive: true });
const file = `bench-results/bench-${report.date.replace(/[:.]/g, '-')}.json`;
writeFileSync(file, JSON.stringify(report, null, '\t'));
console.log(`\nWrote ${file}`);

function databaseEnv(kind) {
	if (kind === 'pglite') {
		rmSync('.bench-data', { recursive: true, force: true });
		return { PGLITE_DIR: '.bench-data/pglite', DATABASE_URL: '' };
	}
	if (!process.env.BENCH_DATABASE_URL) throw new Error('Set BENCH_DATABASE_URL for --db postgres.');
	return { DATABASE_URL: process.env.BENCH_DATABASE_URL };
}

/**
 * Measures every endpoint, round by round: each round runs each endpoint once, so the ceiling and
 * the pages it is compared with meet the machine in the same state. A share of the ceiling is
 * taken within each round; each figure reported is the median over the rounds.
 */
async function measureAll(server, endpoints) {
	// The warm-up also fails the run if an endpoint does not answer as expected.
	for (const endpoint of endpoints) await measure(server, endpoint, { ...load, duration: 3 });
	const rounds = new Map(endpoints.map((endpoint) => [endpoint, []]));
	for (let i = 0; i < ROUNDS; i++) {
		let ceiling;
		for (const endpoint of endpoints) {
			const result = await measure(server, endpoint, load);
			ceiling ??= result.rps;
			rounds.get(endpoint).push({ ...result, share: result.rps / ceiling });
		}
	}
	return endpoints.map((endpoint) => {
		const measured = rounds.get(endpoint);
		const medianOf = (key) => median(measured.map((round) => round[key]));
		return {
			name: endpoint.name,
			statements: endpoint.statements,
			rps: medianOf('rps'),
			share: medianOf('share'),
			p50: medianOf('p50'),
			p99: medianOf('p99'),
			cpuUs: medianOf('cpuUs'),
			rounds: measured
		};
	});
}

function printTable(kind, profile, results, peakRss) {
	const hasCeiling = results[0].name.startsWith('ceiling');
	console.log(`\n${kind}, ${profile}: peak RSS ${peakRss} MB`);
	console.log(
		'| endpoint | req/s | of ceiling | p50 ms | p99 ms | server CPU µs/request | SQL statements |'
	);
	console.log('| --- | ---: | ---: | ---: | ---: | ---: | ---: |');
	for (const r of results) {
		const share = hasCeiling ? `${Math.round(r.share * 100)} %` : '';
		console.log(
			`| ${r.name} | ${Math.round(r.rps)} | ${share} | ${r.p50} | ${r.p99} | ${r.cpuUs} | ${r.statements} |`
		);
	}
}

/**
 * Each endpoint's server CPU per request against the page floor's, taken within each round (the
 * figure issue 14 sets a target for: the inbox at most 1.75×): the median and the rounds' range.
 */
function printAgainstFloor(results) {
	const floor = results.find((r) => r.name.startsWith('page floor'));
	if (!floor) return;
	console.log('\n| endpoint | CPU against the floor (median) | rounds |');
	console.log('| --- | ---: | --- |');
	for (const r of results) {
		const ratios = r.rounds.map((round, i) => round.cpuUs / floor.rounds[i].cpuUs);
		const shown = ratios.map((ratio) => ratio.toFixed(2)).join(', ');
		console.log(`| ${r.name} | ${median(ratios).toFixed(2)}× | ${shown} |`);
	}
}

/** Each crafted page of long messages against the plain one (long-messages.mjs): at most 2×. */
function printLongMessages(results) {
	const pages = results.filter((r) => r.name.includes('50 long messages'));
	const plain = pages.find((r) => r.name.includes('plain'));
	if (!plain) return;
	console.log('\n| 50 long messages | req/s | p50 ms | CPU µs/request | CPU against plain |');
	console.log('| --- | ---: | ---: | ---: | ---: |');
	for (const r of pages) {
		const ratio = (r.cpuUs / plain.cpuUs).toFixed(2);
		console.log(`| ${r.name} | ${Math.round(r.rps)} | ${r.p50} | ${r.cpuUs} | ${ratio}× |`);
	}
}
