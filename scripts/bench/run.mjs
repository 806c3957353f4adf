// The benchmark: seeds a database, starts the production server and measures each endpoint
// with autocannon on 127.0.0.1. See docs/BENCHMARKS.md for the method and the figures.
//
//   npm run bench -- [--db pglite|postgres|both] [--scale] [--duration 10] [--rounds 3] [--no-build]
//                    [--only inbox] [--cpu-prof] [--node-options=--max-old-space-size=256]
//
// --only measures the endpoints whose name contains the word (shares need the ceiling first);
// --node-options replaces the server's Node options, which are otherwise those of `npm start`;
// --cpu-prof writes the server's CPU profile to bench-results/ (summarise it with profile.mjs).
//
// PostgreSQL runs need BENCH_DATABASE_URL, a database the benchmark may empty.
import autocannon from 'autocannon';
import { execFileSync, spawn } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';

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
		'node-options': { type: 'string' }
	}
});
const DURATION = Number(options.duration);
const ROUNDS = Number(options.rounds);
const CONNECTIONS = Number(options.connections);
const PORT = 4400;
const BASE = `http://127.0.0.1:${PORT}`;
const PASSWORD = 'bench-password';
// The server runs as `npm start` runs it, with the same heap settings.
const NODE_OPTIONS_OF_START = JSON.parse(readFileSync('package.json', 'utf8'))
	.scripts.start.match(/NODE_OPTIONS="([^"$]*)/)[1]
	.trim();
const CLOCK_TICKS = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }));

if (!options['no-build'])
	execFileSync('npx', ['vite', 'build'], { stdio: ['ignore', 'ignore', 'inherit'] });

const databases = options.db === 'both' ? ['pglite', 'postgres'] : [options.db];
const report = {
	date: new Date().toISOString(),
	connections: CONNECTIONS,
	duration: DURATION,
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
		const counting = await startServer({ ...env, SQL_COUNT: '1' });
		let endpoints;
		try {
			endpoints = await prepareEndpoints(profile === 'small');
			for (const endpoint of endpoints) endpoint.statements = await statementsOf(endpoint);
		} finally {
			await stopServer(counting);
		}
		const server = await startServer(env);
		try {
			const results = await measureAll(endpoints, server.pid);
			const peakRss = peakRssOf(server.pid);
			report.runs.push({ database: kind, profile, peakRssMb: peakRss, results });
			printTable(kind, profile, results, peakRss);
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

async function startServer(env) {
	// Only the server measured is profiled, not the one counting statements.
	const profiling =
		options['cpu-prof'] && !env.SQL_COUNT ? ['--cpu-prof', '--cpu-prof-dir', 'bench-results'] : [];
	const server = spawn('node', [...profiling, 'build'], {
		env: {
			...process.env,
			...env,
			NODE_OPTIONS: options['node-options'] ?? NODE_OPTIONS_OF_START,
			PORT: String(PORT),
			HOST: '127.0.0.1',
			ORIGIN: BASE,
			SQL_COUNT: env.SQL_COUNT ?? '',
			// One user posting hundreds of messages a second is the point here, not abuse; the
			// per-user limits stay on (set very high) so their cost is still measured.
			LIMIT_MESSAGES_PER_MINUTE: '100000000',
			LIMIT_THREADS_PER_DAY: '100000000'
		},
		stdio: ['ignore', 'ignore', 'inherit']
	});
	for (let i = 0; i < 120; i++) {
		try {
			if ((await fetch(`${BASE}/status`)).ok) return server;
		} catch {}
		await new Promise((r) => setTimeout(r, 250));
	}
	server.kill();
	throw new Error('The server did not start.');
}

async function stopServer(server) {
	const exited = new Promise((resolve) => server.once('exit', resolve));
	server.kill('SIGTERM');
	await Promise.race([exited, new Promise((r) => setTimeout(r, 10_000))]);
	server.kill('SIGKILL');
}

/** VmHWM: the most resident memory the server process ever had. */
function peakRssOf(pid) {
	const kb = Number(readFileSync(`/proc/${pid}/status`, 'utf8').match(/VmHWM:\s+(\d+)/)[1]);
	return Math.round(kb / 1024);
}

async function logIn(username) {
	const response = await fetch(`${BASE}/login`, {
		method: 'POST',
		redirect: 'manual',
		headers: {
			origin: BASE,
			accept: 'text/html',
			'content-type': 'application/x-www-form-urlencoded'
		},
		body: new URLSearchParams({ username, password: PASSWORD })
	});
	const cookie = response.headers.get('set-cookie')?.match(/session=[^;]+/)?.[0];
	if (response.status !== 303 || !cookie) throw new Error(`Could not log in as ${username}.`);
	return cookie;
}

async function prepareEndpoints(withWrites) {
	const cookie = await logIn('heavy');
	const inbox = await (await fetch(`${BASE}/messages`, { headers: { cookie } })).text();
	const threadIds = [...inbox.matchAll(/data-thread="([a-z2-7]{16})"/g)].map((m) => m[1]);
	const form = {
		origin: BASE,
		accept: 'text/html',
		'content-type': 'application/x-www-form-urlencoded',
		cookie
	};
	const endpoints = [
		{ name: 'ceiling (GET /status)', path: '/status', headers: { cookie } },
		// The cheapest page SvelteKit serves here: no session, no SQL, no data, a small form.
		{ name: 'page floor (GET /login, signed out)', path: '/login', headers: {} },
		{ name: 'inbox (GET /messages)', path: '/messages', headers: { cookie } },
		{ name: 'thread page (GET)', path: `/messages/thread/${threadIds[0]}`, headers: { cookie } }
	];
	if (withWrites) {
		endpoints.push(
			{
				name: 'reply (POST)',
				path: `/messages/thread/${threadIds[1]}?/reply`,
				method: 'POST',
				headers: form,
				body: new URLSearchParams({ content: 'A reply from the benchmark.' }).toString(),
				expect: 303
			},
			{
				name: 'new message to 3 (POST)',
				path: '/messages/create',
				method: 'POST',
				headers: form,
				body: new URLSearchParams({
					to: 'user00001, user00002, user00003',
					subject: 'From the benchmark',
					message: 'A new thread to three people.'
				}).toString(),
				expect: 303
			}
		);
	}
	return endpoints.filter((endpoint) => !options.only || endpoint.name.includes(options.only));
}

/** CPU time (user + system) the process has used, in milliseconds. */
function cpuMsOf(pid) {
	const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
	return ((Number(fields[11]) + Number(fields[12])) * 1000) / CLOCK_TICKS;
}

/**
 * Measures every endpoint, round by round: each round runs each endpoint once, so the ceiling and
 * the pages it is compared with meet the machine in the same state. A share of the ceiling is
 * taken within each round; the median round is reported.
 */
async function measureAll(endpoints, pid) {
	const runners = [];
	for (const endpoint of endpoints) runners.push(await prepareRunner(endpoint));
	for (const runner of runners) await runner.run(3); // warm-up
	const rounds = new Map(endpoints.map((endpoint) => [endpoint, []]));
	for (let i = 0; i < ROUNDS; i++) {
		let ceiling;
		for (const runner of runners) {
			const cpuBefore = cpuMsOf(pid);
			const result = await runner.run(DURATION);
			const cpuMs = cpuMsOf(pid) - cpuBefore;
			const expected = result.statusCodeStats[runner.expect]?.count ?? 0;
			if (expected !== result.requests.total || result.errors) {
				const unexpected = result.requests.total - expected;
				throw new Error(`${runner.endpoint.name}: ${unexpected} unexpected answers`);
			}
			ceiling ??= result.requests.average;
			rounds.get(runner.endpoint).push({
				rps: result.requests.average,
				share: result.requests.average / ceiling,
				p50: result.latency.p50,
				p99: result.latency.p99,
				cpuUs: Math.round((cpuMs * 1000) / result.requests.total)
			});
		}
	}
	return runners.map(({ endpoint }) => {
		const measured = rounds.get(endpoint);
		const median = (key) =>
			measured.map((r) => r[key]).sort((a, b) => a - b)[Math.floor(measured.length / 2)];
		return {
			name: endpoint.name,
			statements: endpoint.statements,
			rps: median('rps'),
			share: median('share'),
			p50: median('p50'),
			p99: median('p99'),
			cpuUs: median('cpuUs'),
			rounds: measured
		};
	});
}

/** Requests the endpoint once, checking it answers as expected. */
async function probe({ name, path, method = 'GET', headers, body, expect = 200 }) {
	const response = await fetch(BASE + path, { method, headers, body, redirect: 'manual' });
	if (response.status !== expect)
		throw new Error(`${name}: ${response.status}, expected ${expect}`);
	return response;
}

/** How many SQL statements the endpoint runs, from a server in counting mode. */
async function statementsOf(endpoint) {
	const header = (await probe(endpoint)).headers.get('x-sql-statements');
	if (!/^\d+$/.test(header ?? '')) throw new Error(`${endpoint.name}: no statement count`);
	return Number(header);
}

async function prepareRunner(endpoint) {
	const { path, method = 'GET', headers, body, expect = 200 } = endpoint;
	await probe(endpoint);
	return {
		endpoint,
		expect,
		run: (duration) =>
			autocannon({ url: BASE + path, method, headers, body, connections: CONNECTIONS, duration })
	};
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
