// The live-updates benchmark (docs/BENCHMARKS.md, "Live updates"): in one run, on the seeded
// PostgreSQL database (BENCH_DATABASE_URL, which it empties):
//   heap      heap per open event stream (the app's handler in-process, with --expose-gc)
//   capacity  streams one instance holds under `npm start`'s heap cap, pages still served
//   sigterm   SIGTERM to exit with open streams
//   throughput  inbox, thread page and reply: one instance against two behind nginx
//   reply     a reply's server CPU with and without its participants' streams open
//   latency   delivery from a message's POST to every recipient's streams, two instances behind nginx
//
//   npm run bench:live -- [--only heap,latency] [--streams 1000,3000] [--idle 2000]
//                         [--messages 30] [--sigterm-streams 1000] [--duration 5] [--rounds 3]
//                         [--before-build <dir>] [--heap-snapshots] [--no-build] [--no-seed]
//
// --heap-snapshots writes the heap part's server's heap with no stream and with the first count
// open to bench-results/ (compare them with heap-diff.mjs). --before-build adds a build from
// before live updates to the reply's comparison (a copy of its build/ folder inside the project,
// so that its packages resolve; see ab.mjs).
//
// Every load is on 127.0.0.1, bounded in count and time; ports 5600-5619.
import { execFileSync, fork, spawn } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { parseArgs } from 'node:util';
import postgres from 'postgres';
import { closeStream, forkStreamHolder, now, openStream } from './live-streams.mjs';
import {
	NODE_OPTIONS_OF_START,
	endpointsOf,
	measure,
	median,
	peakRssOf,
	startServer,
	stopServer
} from './server.mjs';

const { values: options } = parseArgs({
	options: {
		only: { type: 'string', default: 'heap,capacity,sigterm,latency,throughput,reply' },
		streams: { type: 'string', default: '1000,3000' },
		idle: { type: 'string', default: '2000' },
		messages: { type: 'string', default: '30' },
		'sigterm-streams': { type: 'string', default: '1000' },
		duration: { type: 'string', default: '5' },
		rounds: { type: 'string', default: '3' },
		connections: { type: 'string', default: '10' },
		'before-build': { type: 'string' },
		'heap-snapshots': { type: 'boolean', default: false },
		'no-build': { type: 'boolean', default: false },
		'no-seed': { type: 'boolean', default: false }
	}
});
const parts = new Set(options.only.split(','));
const load = { duration: Number(options.duration), connections: Number(options.connections) };
const ROUNDS = Number(options.rounds);

const PORTS = {
	heap: 5601,
	capacity: 5602,
	sigterm: 5603,
	proxy: 5610, // nginx, round robin over a and b
	a: 5611,
	b: 5612,
	proxyA: 5613, // nginx, a only
	proxyB: 5614 // nginx, b only
};
const USERS = 1_000; // scripts/bench/seed.ts, small: user00001… have ids 1…1000
const HEAVY = USERS + 1;
const RECIPIENTS = 50; // the most one message may have (MAX_RECIPIENTS)

const url = process.env.BENCH_DATABASE_URL;
if (!url) throw new Error('Set BENCH_DATABASE_URL, a PostgreSQL database the benchmark may empty.');
const env = { DATABASE_URL: url };

if (!options['no-build'])
	execFileSync('npx', ['vite', 'build'], { stdio: ['ignore', 'ignore', 'inherit'] });
if (!options['no-seed']) {
	execFileSync('npx', ['tsx', 'scripts/bench/seed.ts', 'small'], {
		env: { ...process.env, ...env },
		stdio: 'inherit'
	});
}

// A session for every user, made in SQL: the cookie `session=bench-live-<id>` (auth.ts keeps the
// sha256 of the token). Logging in 1,000 users through the form would cost a password hash each.
const sql = postgres(url, { max: 1, onnotice: () => {} });
await sql`delete from sessions where id in (select encode(sha256(convert_to('bench-live-' || id, 'UTF8')), 'hex') from users)`;
await sql`insert into sessions (id, user_id, expires_at)
	select encode(sha256(convert_to('bench-live-' || id, 'UTF8')), 'hex'), id, now() + interval '29 days'
	from users`;
const cookieOf = (id) => `session=bench-live-${id}`;
/** Cookies of users `from`…`to`. */
const cookiesOf = (from, to) => Array.from({ length: to - from + 1 }, (_, i) => cookieOf(from + i));

const results = { date: new Date().toISOString(), options, load: loadAverage() };
const kb = (bytes) => Math.round(bytes / 102.4) / 10;
const mb = (bytes) => Math.round(bytes / (1024 * 1024));

/** The machine's load average over 1, 5 and 15 minutes (it may be shared). */
function loadAverage() {
	return readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).map(Number);
}

/** The value at fraction `p` of the sorted numbers (nearest rank). */
function percentile(sorted, p) {
	return sorted[Math.max(0, Math.ceil(p * sorted.length) - 1)];
}

const CLOCK_TICKS = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }));

/**
 * CPU time, in milliseconds, that the database's server processes (this database's connections
 * but ours) have used so far: PostgreSQL's side of the requests, NOTIFY and LISTEN included.
 */
async function databaseCpuMs() {
	const backends = await sql`select pid from pg_stat_activity
		where datname = current_database() and pid <> pg_backend_pid()`;
	let ticks = 0;
	for (const { pid } of backends) {
		try {
			const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
			ticks += Number(fields[11]) + Number(fields[12]);
		} catch {
			// Gone since.
		}
	}
	return (ticks * 1000) / CLOCK_TICKS;
}

/** Resident memory of a process now, in bytes. */
function rssOf(pid) {
	const status = readFileSync(`/proc/${pid}/status`, 'utf8');
	return Number(status.match(/VmRSS:\s+(\d+)/)[1]) * 1024;
}

try {
	if (parts.has('heap')) results.heap = await heapPerStream();
	if (parts.has('capacity')) results.capacity = await capacity();
	if (parts.has('sigterm')) results.sigterm = await sigtermToExit();
	if (['latency', 'throughput', 'reply'].some((part) => parts.has(part))) {
		const cluster = await startCluster();
		try {
			// The latency's messages become the heavy user's newest threads, which the other two
			// read and reply to (endpointsOf): they run first, on the seeded threads.
			if (parts.has('throughput')) results.throughput = await throughput(cluster);
			if (parts.has('reply')) results.reply = await replyCost(cluster);
			if (parts.has('latency')) results.latency = await deliveryLatency(cluster);
		} finally {
			await stopCluster(cluster);
		}
	}
} finally {
	await sql.end();
}

mkdirSync('bench-results', { recursive: true });
const file = `bench-results/live-${results.date.replace(/[:.]/g, '-')}.json`;
writeFileSync(file, JSON.stringify(results, null, '\t'));
console.log(
	`\nLoad average at the start: ${results.load.join(', ')}; at the end: ${loadAverage().join(', ')}.`
);
console.log(`Wrote ${file}`);

// ---- 1. Heap per open stream ---------------------------------------------------------------------

/**
 * The app's handler in a process of its own (live-heap-server.mjs, --expose-gc), streams opened
 * from another: the heap after full collections, with none open and with each count open.
 */
async function heapPerStream() {
	const counts = options.streams.split(',').map(Number);
	const port = PORTS.heap;
	const server = fork('scripts/bench/live-heap-server.mjs', [], {
		execArgv: ['--expose-gc', '--max-old-space-size=1024'],
		env: {
			...process.env,
			...env,
			PORT: String(port),
			ORIGIN: `http://127.0.0.1:${port}`,
			LIVE_MAX_STREAMS: '100000'
		},
		stdio: ['ignore', 'ignore', 'inherit', 'ipc']
	});
	const ask = (message) =>
		new Promise((resolve) => {
			server.once('message', resolve);
			server.send(message);
		});
	await new Promise((resolve) => server.once('message', resolve));
	const holder = await forkStreamHolder();
	const rows = [];
	try {
		// Warm up: every path a stream takes, and a page, run before the baseline.
		const cookies = cookiesOf(1, USERS);
		await holder.call('open', { port, cookies, count: 200 });
		await fetch(`http://127.0.0.1:${port}/messages`, { headers: { cookie: cookieOf(HEAVY) } });
		await holder.call('close');
		await holder.call('waitEnded', { timeoutMs: 5_000 });
		await sleep(500);
		const base = await ask('heap');
		const snapshot = async (count) => {
			if (!options['heap-snapshots'] || (count && count !== counts[0])) return;
			const file = `bench-results/live-heap-${count}.heapsnapshot`;
			await ask({ snapshot: file });
			console.log(`Wrote ${file}`);
		};
		await snapshot(0);
		let opened = 0;
		for (const count of counts) {
			const result = await holder.call('open', { port, cookies, count: count - opened });
			if (result.failed || result.busy) throw new Error(`heap: ${JSON.stringify(result)}`);
			opened = count;
			await sleep(500);
			const heap = await ask('heap');
			await snapshot(count);
			rows.push({
				streams: count,
				heapMb: mb(heap.heapUsed),
				heapPerStreamKb: kb((heap.heapUsed - base.heapUsed) / count),
				externalPerStreamKb: kb((heap.external - base.external) / count),
				rssPerStreamKb: kb((heap.rss - base.rss) / count)
			});
		}
		await holder.call('close');
		await holder.call('waitEnded', { timeoutMs: 10_000 });
		await sleep(1_000);
		const after = await ask('heap');
		const result = { baseHeapMb: mb(base.heapUsed), afterCloseHeapMb: mb(after.heapUsed), rows };
		console.log(
			`\n1. Heap per open stream (in-process handler, baseline heap ${result.baseHeapMb} MB)`
		);
		console.log(
			'| streams open | heap MB | heap per stream KB | external per stream KB | RSS per stream KB |'
		);
		console.log('| ---: | ---: | ---: | ---: | ---: |');
		for (const r of rows)
			console.log(
				`| ${r.streams} | ${r.heapMb} | ${r.heapPerStreamKb} | ${r.externalPerStreamKb} | ${r.rssPerStreamKb} |`
			);
		console.log(`All closed again: heap ${result.afterCloseHeapMb} MB.`);
		return result;
	} finally {
		await holder.stop();
		server.disconnect();
	}
}

// ---- 2. Streams one instance holds --------------------------------------------------------------

/**
 * `npm start`'s server (its heap cap, the default LIVE_MAX_STREAMS): streams opened 500 at a time
 * until the instance turns them away, then one more, which must be told `retry: 30000`. The inbox
 * is loaded with none open, at every 2,000 on the way, and with the most open: req/s, latency and
 * the server's CPU per request (a fuller heap costs more collection).
 */
async function capacity() {
	const server = await startServer({ port: PORTS.capacity, env });
	const holder = await forkStreamHolder();
	const inbox = { name: 'inbox', path: '/messages', headers: { cookie: cookieOf(HEAVY) } };
	const cookies = cookiesOf(1, USERS);
	const result = { nodeOptions: NODE_OPTIONS_OF_START, inbox: [] };
	const loadInbox = async (held) => {
		const measured = await measure(server, inbox, load);
		result.inbox.push({ held, ...measured, rssMb: mb(rssOf(server.child.pid)) });
	};
	try {
		await measure(server, inbox, { ...load, duration: 2 }); // warm-up
		await loadInbox(0);
		let held = 0;
		for (let step = 0; step < 100; step++) {
			const opened = await holder.call('open', { port: PORTS.capacity, cookies, count: 500 });
			held += opened.opened;
			if (server.child.exitCode !== null || opened.failed) {
				result.crashed = { held, error: opened.error, exitCode: server.child.exitCode };
				break;
			}
			if (opened.busy) break;
			if (held % 2_000 === 0) await loadInbox(held);
		}
		result.held = held;
		if (!result.crashed) {
			const extra = await holder.call('open', { port: PORTS.capacity, cookies, count: 1 });
			result.oneMore = extra.busy === 1 ? 'retry: 30000, closed' : JSON.stringify(extra);
			await loadInbox(held);
			result.stillOpen = (await holder.call('stats')).open;
			result.alive = server.child.exitCode === null;
		}
		result.peakRssMb = peakRssOf(server);
	} catch (error) {
		result.crashed ??= { error: String(error), exitCode: server.child.exitCode };
	} finally {
		await holder.stop();
		await stopServer(server);
	}
	console.log(
		`\n2. Streams one instance holds (node ${result.nodeOptions}, default LIVE_MAX_STREAMS)`
	);
	if (result.crashed) console.log(`CRASHED: ${JSON.stringify(result.crashed)}`);
	else {
		console.log(
			`Held ${result.held}; one more: ${result.oneMore}; still open after the load: ${result.stillOpen}; alive: ${result.alive}; peak RSS ${result.peakRssMb} MB.`
		);
	}
	console.log('| streams open | inbox req/s | p50 ms | p99 ms | server CPU µs/request | RSS MB |');
	console.log('| ---: | ---: | ---: | ---: | ---: | ---: |');
	for (const r of result.inbox)
		console.log(
			`| ${r.held} | ${Math.round(r.rps)} | ${r.p50} | ${r.p99} | ${r.cpuUs} | ${r.rssMb} |`
		);
	return result;
}

// ---- 6. SIGTERM to exit ------------------------------------------------------------------------

/** `npm start`'s server with open streams: from SIGTERM to its exit, and to the last stream's end. */
async function sigtermToExit() {
	const count = Number(options['sigterm-streams']);
	const server = await startServer({ port: PORTS.sigterm, env });
	const holder = await forkStreamHolder();
	try {
		const opened = await holder.call('open', {
			port: PORTS.sigterm,
			cookies: cookiesOf(1, USERS),
			count
		});
		if (opened.opened !== count) throw new Error(`sigterm: ${JSON.stringify(opened)}`);
		const exited = new Promise((resolve) => server.child.once('exit', () => resolve(now())));
		const ended = holder.call('waitEnded', { timeoutMs: 40_000 });
		const signalled = now();
		server.child.kill('SIGTERM');
		const [exitAt, { open, endedAt }] = await Promise.all([exited, ended]);
		const result = {
			streams: count,
			exitMs: Math.round(exitAt - signalled),
			lastStreamEndedMs: Math.round(endedAt - signalled),
			stillOpen: open
		};
		console.log(`\n6. SIGTERM with ${count} open streams`);
		console.log('| streams | SIGTERM to last stream ended, ms | SIGTERM to exit, ms |');
		console.log('| ---: | ---: | ---: |');
		console.log(`| ${count} | ${result.lastStreamEndedMs} | ${result.exitMs} |`);
		return result;
	} finally {
		await holder.stop();
		await stopServer(server);
	}
}

// ---- Two instances behind nginx -----------------------------------------------------------------

/**
 * Instances a and b on the database, `npm start`'s way, behind nginx with the deploy's proxy
 * settings (scripts/e2e-nginx.mjs): one port for both (round robin), one for each.
 */
async function startCluster() {
	const base = (port) => `http://127.0.0.1:${port}`;
	const origin = base(PORTS.proxy);
	const a = await startServer({ port: PORTS.a, env, origin });
	const b = await startServer({ port: PORTS.b, env, origin });
	const config = {
		dir: 'bench-results/nginx',
		upstreams: { both: [PORTS.a, PORTS.b], a: [PORTS.a], b: [PORTS.b] },
		servers: [
			{ port: PORTS.proxy, upstream: 'both' },
			{ port: PORTS.proxyA, upstream: 'a' },
			{ port: PORTS.proxyB, upstream: 'b' }
		],
		// Each proxied stream is two connections; 2,050 streams to each instance, and the load.
		workerConnections: 16_384
	};
	const nginx = spawn('node', ['scripts/e2e-nginx.mjs'], {
		env: { ...process.env, E2E_NGINX: JSON.stringify(config) },
		stdio: ['ignore', 'ignore', 'inherit']
	});
	for (let i = 0; ; i++) {
		try {
			if ((await fetch(`${origin}/status`)).ok) break;
		} catch {}
		if (i === 40) throw new Error('nginx did not start.');
		await sleep(250);
	}
	return { a, b, nginx, origin, proxyA: base(PORTS.proxyA), proxyB: base(PORTS.proxyB) };
}

async function stopCluster({ a, b, nginx }) {
	const exited = new Promise((resolve) => nginx.once('exit', resolve));
	nginx.kill('SIGTERM');
	await Promise.race([exited, sleep(10_000)]);
	await Promise.all([stopServer(a), stopServer(b)]);
}

/** A form post's headers, as the browser sends them through the proxy. */
function formHeaders(origin, cookie) {
	return {
		origin,
		accept: 'text/html',
		'content-type': 'application/x-www-form-urlencoded',
		cookie
	};
}

// ---- 3. Delivery latency -----------------------------------------------------------------------

/**
 * `idle` streams held on each instance (users 51…, through nginx), and the 50 recipients' streams
 * on both instances (through nginx's port for each); then messages from the heavy user to the 50,
 * one at a time, each posted through nginx's round robin: from the start of its POST to its
 * `message` event on every recipient's streams.
 */
async function deliveryLatency(cluster) {
	const idle = Number(options.idle);
	const count = Number(options.messages);
	const holder = await forkStreamHolder();
	const recipients = [];
	try {
		const idleCookies = cookiesOf(RECIPIENTS + 1, USERS);
		for (const port of [PORTS.proxyA, PORTS.proxyB]) {
			const opened = await holder.call('open', { port, cookies: idleCookies, count: idle });
			if (opened.opened !== idle)
				throw new Error(`latency, idle streams: ${JSON.stringify(opened)}`);
		}
		const arrivals = new Map(); // thread -> times its message event arrived
		for (let user = 1; user <= RECIPIENTS; user++) {
			for (const port of [PORTS.proxyA, PORTS.proxyB]) {
				const stream = await openStream({
					port,
					cookie: cookieOf(user),
					onEvent: (name, data, at) => {
						if (name !== 'message') return;
						const { thread } = JSON.parse(data);
						arrivals.set(thread, [...(arrivals.get(thread) ?? []), at]);
					}
				});
				if (stream.busy) throw new Error('latency: a recipient was turned away');
				recipients.push(stream);
			}
		}
		const expected = recipients.length;
		const to = Array.from(
			{ length: RECIPIENTS },
			(_, i) => `user${String(i + 1).padStart(5, '0')}`
		);
		const latencies = [];
		const posts = [];
		const spreads = []; // per message: its last stream's event less its first's
		let missing = 0;
		for (let i = 0; i < count; i++) {
			const start = now();
			const response = await fetch(`${cluster.origin}/messages/create`, {
				method: 'POST',
				redirect: 'manual',
				headers: formHeaders(cluster.origin, cookieOf(HEAVY)),
				body: new URLSearchParams({
					to: to.join(', '),
					subject: `Live benchmark ${i + 1}`,
					message: 'To fifty people at once.'
				})
			});
			posts.push(now() - start);
			const thread = response.headers.get('location')?.match(/thread\/([a-z2-7]{16})/)?.[1];
			if (response.status !== 303 || !thread)
				throw new Error(`latency: the message was answered ${response.status}`);
			const waitUntil = Date.now() + 5_000;
			while ((arrivals.get(thread)?.length ?? 0) < expected && Date.now() < waitUntil)
				await sleep(5);
			const times = arrivals.get(thread) ?? [];
			missing += expected - times.length;
			latencies.push(...times.map((at) => at - start));
			if (times.length) spreads.push(Math.max(...times) - Math.min(...times));
			await sleep(150 + Math.random() * 200);
		}
		latencies.sort((x, y) => x - y);
		posts.sort((x, y) => x - y);
		spreads.sort((x, y) => x - y);
		const idleEvents = (await holder.call('stats')).events.message ?? 0;
		const result = {
			messages: count,
			streamsPerMessage: expected,
			idlePerInstance: idle,
			events: latencies.length,
			missing,
			strayEventsOnIdleStreams: idleEvents,
			p50: Math.round(percentile(latencies, 0.5)),
			p99: Math.round(percentile(latencies, 0.99)),
			max: Math.round(latencies.at(-1)),
			postP50: Math.round(percentile(posts, 0.5)),
			postP99: Math.round(percentile(posts, 0.99)),
			spreadP50: Math.round(percentile(spreads, 0.5)),
			spreadMax: Math.round(spreads.at(-1))
		};
		console.log(
			`\n3. Delivery latency: ${count} messages to ${RECIPIENTS} recipients, each with a stream on both instances (through nginx), ${idle} idle streams on each instance`
		);
		console.log(
			'| events | missing | p50 ms | p99 ms | max ms | the POST itself: p50 ms | p99 ms | first to last stream: p50 ms | max ms |'
		);
		console.log('| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
		console.log(
			`| ${result.events} | ${missing} | ${result.p50} | ${result.p99} | ${result.max} | ${result.postP50} | ${result.postP99} | ${result.spreadP50} | ${result.spreadMax} |`
		);
		if (idleEvents) console.log(`WRONG: ${idleEvents} message events reached idle streams.`);
		return result;
	} finally {
		for (const stream of recipients) closeStream(stream);
		await holder.call('close');
		await holder.stop();
	}
}

// ---- 4. Throughput: one instance, two behind nginx ----------------------------------------------

/**
 * The inbox, the thread page and a reply on instance a alone, on a through nginx, and on both
 * through nginx's round robin; in rounds, each endpoint on each in turn, medians reported. The
 * CPU per request is the instances' (both, behind the round robin), not nginx's.
 */
async function throughput(cluster) {
	const endpoints = (await endpointsOf({ base: cluster.origin }, 'small')).filter((endpoint) =>
		/^(inbox|thread page|reply)/.test(endpoint.name)
	);
	const setups = [
		{
			name: 'one instance',
			server: { base: `http://127.0.0.1:${PORTS.a}`, child: cluster.a.child }
		},
		{ name: 'one instance behind nginx', server: { base: cluster.proxyA, child: cluster.a.child } },
		{
			name: 'two instances behind nginx',
			server: { base: cluster.origin, children: [cluster.a.child, cluster.b.child] }
		}
	];
	for (const { server } of setups)
		for (const endpoint of endpoints) await measure(server, endpoint, { ...load, duration: 2 });
	const rounds = new Map();
	for (let round = 0; round < ROUNDS; round++) {
		for (const endpoint of endpoints) {
			for (const setup of setups) {
				const key = `${endpoint.name}|${setup.name}`;
				rounds.set(key, [...(rounds.get(key) ?? []), await measure(setup.server, endpoint, load)]);
			}
		}
	}
	const rows = [...rounds].map(([key, measured]) => {
		const [endpoint, setup] = key.split('|');
		const medianOf = (name) => median(measured.map((m) => m[name]));
		return {
			endpoint,
			setup,
			rps: Math.round(medianOf('rps')),
			p50: medianOf('p50'),
			p99: medianOf('p99'),
			cpuUs: medianOf('cpuUs'),
			rounds: measured
		};
	});
	console.log(
		`\n4. Throughput (${load.connections} connections, ${ROUNDS} rounds of ${load.duration} s, medians)`
	);
	console.log("| endpoint | setup | req/s | p50 ms | p99 ms | instances' CPU µs/request |");
	console.log('| --- | --- | ---: | ---: | ---: | ---: |');
	for (const r of rows)
		console.log(`| ${r.endpoint} | ${r.setup} | ${r.rps} | ${r.p50} | ${r.p99} | ${r.cpuUs} |`);
	return rows;
}

// ---- 5. What live updates add to a reply --------------------------------------------------------

/**
 * The reply on instance a: its server CPU per request, and the database's, with none of the
 * thread's participants listening, and with each holding two streams on a; with --before-build,
 * also a build from before live updates (no NOTIFY, no LISTEN) on its own port. Rounds alternate
 * the order; besides the medians, the median of each round's pair (listening against none).
 */
async function replyCost(cluster) {
	const server = { base: `http://127.0.0.1:${PORTS.a}`, child: cluster.a.child };
	const reply = (await endpointsOf({ base: cluster.origin }, 'small')).find((endpoint) =>
		endpoint.name.startsWith('reply')
	);
	const thread = reply.path.split('/').at(-1);
	const participants = (
		await sql`select user_id from participants where thread_id = ${thread}`
	).map((row) => row.user_id);
	const streams = participants.length * 2;
	const holder = await forkStreamHolder();
	const before = options['before-build']
		? await startServer({ port: 5615, env, build: options['before-build'], origin: cluster.origin })
		: null;
	const sides = {
		none: { server },
		listening: {
			server,
			setUp: async () => {
				const cookies = participants.map(cookieOf);
				const opened = await holder.call('open', { port: PORTS.a, cookies, count: streams });
				if (opened.opened !== streams) throw new Error(`reply: ${JSON.stringify(opened)}`);
			},
			tearDown: async () => {
				await holder.call('close');
				await holder.call('waitEnded', { timeoutMs: 5_000 });
			}
		}
	};
	if (before) sides.before = { server: { base: `http://127.0.0.1:5615`, child: before.child } };
	const measureBoth = async (side, duration) => {
		const databaseBefore = await databaseCpuMs();
		const measured = await measure(side.server, reply, { ...load, duration });
		const databaseMs = (await databaseCpuMs()) - databaseBefore;
		return { ...measured, dbCpuUs: Math.round((databaseMs * 1000) / measured.requests) };
	};
	try {
		// A long warm-up: the build from before live updates starts cold, against a warm instance a.
		for (const side of Object.values(sides)) await measureBoth(side, 2 * load.duration);
		const measured = Object.fromEntries(Object.keys(sides).map((name) => [name, []]));
		for (let round = 0; round < ROUNDS; round++) {
			const names = Object.keys(sides);
			for (const name of round % 2 ? names.reverse() : names) {
				const side = sides[name];
				await side.setUp?.();
				measured[name].push(await measureBoth(side, load.duration));
				await side.tearDown?.();
			}
		}
		const events = (await holder.call('stats')).events.message ?? 0;
		const rows = Object.entries(measured).map(([name, rounds]) => ({
			side: name,
			rps: Math.round(median(rounds.map((m) => m.rps))),
			cpuUs: median(rounds.map((m) => m.cpuUs)),
			dbCpuUs: median(rounds.map((m) => m.dbCpuUs)),
			rounds
		}));
		const cpuOf = (name) => rows.find((row) => row.side === name)?.cpuUs;
		const pairs = measured.none.map((none, i) => measured.listening[i].cpuUs / none.cpuUs - 1);
		const result = {
			participants: participants.length,
			streams,
			eventsDelivered: events,
			rows,
			listeningOverNone: cpuOf('listening') / cpuOf('none') - 1,
			listeningOverNonePaired: median(pairs),
			perEventUs: Math.round((cpuOf('listening') - cpuOf('none')) / streams),
			noneOverBefore: before ? cpuOf('none') / cpuOf('before') - 1 : null
		};
		const labels = {
			before: 'before live updates (no NOTIFY, no LISTEN)',
			none: 'live, no one listening',
			listening: `live, ${streams} streams of the ${participants.length} participants`
		};
		const percent = (ratio) => `${Math.round(ratio * 100)} %`;
		console.log(
			`\n5. A reply's cost (instance a, ${ROUNDS} rounds of ${load.duration} s, medians; ${events} events delivered)`
		);
		console.log(
			'| reply | req/s | server CPU µs/request | against no one listening | database CPU µs/request |'
		);
		console.log('| --- | ---: | ---: | ---: | ---: |');
		for (const row of rows)
			console.log(
				`| ${labels[row.side]} | ${row.rps} | ${row.cpuUs} | ${percent(row.cpuUs / cpuOf('none') - 1)} | ${row.dbCpuUs} |`
			);
		console.log(
			`Listening against none, round by round: ${pairs.map(percent).join(', ')} (median ${percent(result.listeningOverNonePaired)}); about ${result.perEventUs} µs of server CPU per event delivered.`
		);
		return result;
	} finally {
		await holder.stop();
		if (before) await stopServer(before);
	}
}
