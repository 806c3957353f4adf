// What the benchmark scripts (run.mjs, ab.mjs) share: starting and stopping the production
// server, the endpoints measured on the seeded data, and one timed run of an endpoint, with the
// server's CPU time from /proc.
import autocannon from 'autocannon';
import { execFileSync, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { LONG_MESSAGES } from './long-messages.mjs';

const PASSWORD = 'bench-password'; // scripts/bench/seed.ts gives every user this one
const CLOCK_TICKS = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }));

/** The Node options `npm start` runs the server with (the heap cap). */
export const NODE_OPTIONS_OF_START = JSON.parse(readFileSync('package.json', 'utf8'))
	.scripts.start.match(/NODE_OPTIONS="([^"$]*)/)[1]
	.trim();

/**
 * Starts `node <build>` on 127.0.0.1:`port` with the database settings in `env`, and waits until
 * it answers. With `SQL_COUNT` in `env` it is in counting mode; otherwise it runs as `npm start`
 * runs it, unless `nodeOptions` says otherwise. `origin` is its ORIGIN (a proxy's, behind one).
 */
export async function startServer({
	port,
	env,
	build = 'build',
	nodeOptions = NODE_OPTIONS_OF_START,
	cpuProf = false,
	origin
}) {
	const base = `http://127.0.0.1:${port}`;
	const profiling = cpuProf ? ['--cpu-prof', '--cpu-prof-dir', 'bench-results'] : [];
	const child = spawn('node', [...profiling, build], {
		env: {
			...process.env,
			...env,
			NODE_OPTIONS: nodeOptions,
			PORT: String(port),
			HOST: '127.0.0.1',
			ORIGIN: origin ?? base,
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
			if ((await fetch(`${base}/status`)).ok) return { child, base };
		} catch {}
		await new Promise((r) => setTimeout(r, 250));
	}
	child.kill();
	throw new Error(`The server (${build}) did not start.`);
}

export async function stopServer({ child }) {
	const exited = new Promise((resolve) => child.once('exit', resolve));
	child.kill('SIGTERM');
	await Promise.race([exited, new Promise((r) => setTimeout(r, 10_000))]);
	child.kill('SIGKILL');
}

/** VmHWM: the most resident memory the server process ever had, in MB. */
export function peakRssOf({ child }) {
	const status = readFileSync(`/proc/${child.pid}/status`, 'utf8');
	return Math.round(Number(status.match(/VmHWM:\s+(\d+)/)[1]) / 1024);
}

/**
 * CPU time (user + system) the server has used, in milliseconds: all of its instances' (`children`)
 * for several behind a proxy.
 */
function cpuMsOf({ child, children = [child] }) {
	let ticks = 0;
	for (const { pid } of children) {
		const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
		ticks += Number(fields[11]) + Number(fields[12]);
	}
	return (ticks * 1000) / CLOCK_TICKS;
}

async function logIn(base, username) {
	const response = await fetch(`${base}/login`, {
		method: 'POST',
		redirect: 'manual',
		headers: {
			origin: base,
			accept: 'text/html',
			'content-type': 'application/x-www-form-urlencoded'
		},
		body: new URLSearchParams({ username, password: PASSWORD })
	});
	const cookie = response.headers.get('set-cookie')?.match(/session=[^;]+/)?.[0];
	if (response.status !== 303 || !cookie) throw new Error(`Could not log in as ${username}.`);
	return cookie;
}

/** Thread g's id in the seeded data (scripts/bench/seed.ts makes it the same way, in SQL). */
function seededThreadId(g) {
	const hex = createHash('md5').update(`thread${g}`).digest('hex').slice(0, 16);
	return hex.replace(/[0189]/g, (digit) => ({ 0: 'w', 1: 'x', 8: 'y', 9: 'z' })[digit]);
}

/**
 * The endpoints measured on a data set (`small` or `scale`), as the heavy user of the server at
 * `base`; the ceiling first, since shares are taken against it.
 */
export async function endpointsOf(server, profile) {
	const { base } = server;
	const cookie = await logIn(base, 'heavy');
	const inbox = await (await fetch(`${base}/messages`, { headers: { cookie } })).text();
	const threadIds = [...inbox.matchAll(/data-thread="([a-z2-7]{16})"/g)].map((m) => m[1]);
	const form = {
		origin: base,
		accept: 'text/html',
		'content-type': 'application/x-www-form-urlencoded',
		cookie
	};
	const endpoints = [
		{ name: 'ceiling (GET /status)', path: '/status', headers: { cookie } },
		// The cheapest page SvelteKit serves here: no session, no SQL, no data, a small form.
		{ name: 'page floor (GET /login, signed out)', path: '/login', headers: {} },
		{ name: 'inbox (GET /messages)', path: '/messages', headers: { cookie } },
		// The folders of issue 14.
		...['unread', 'archive', 'sent'].map((folder) => ({
			name: `${folder} (GET /messages/${folder})`,
			path: `/messages/${folder}`,
			headers: { cookie }
		})),
		{ name: 'thread page (GET)', path: `/messages/thread/${threadIds[0]}`, headers: { cookie } }
	];
	if (profile === 'scale') {
		// Thread 1 is 2,000 messages long: its page reads and shows its newest 50.
		endpoints.push({
			name: 'thread page, 2,000 messages (GET)',
			path: `/messages/thread/${seededThreadId(1)}`,
			headers: { cookie }
		});
	}
	if (profile === 'small') {
		endpoints.push(
			// One request at a time: a page is 1 to 2 MB, and ten at once fill the server's heap
			// cap, so the figures would be the collector's, not the text's.
			...LONG_MESSAGES.map(({ key, what }) => ({
				name: `thread page, 50 long messages: ${what} (GET)`,
				path: `/messages/thread/${seededThreadId(key)}`,
				headers: { cookie },
				connections: 1
			})),
			{
				name: 'reply (POST)',
				path: `/messages/thread/${threadIds[1]}`,
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
			},
			bulkAction(form, await readThreadIds(base, cookie, 50))
		);
	}
	return endpoints;
}

/**
 * The heavy user's first `count` threads they have read (every other one in the seeded data),
 * walking the inbox's pages: a bulk Mark read of them changes nothing that the other endpoints
 * read, however often it runs.
 */
async function readThreadIds(base, cookie, count) {
	const ids = [];
	let path = '/messages';
	while (ids.length < count && path) {
		const page = await (await fetch(base + path, { headers: { cookie } })).text();
		for (const [, id] of page.matchAll(/data-thread="([a-z2-7]{16})" data-unread="false"/g))
			ids.push(id);
		const older = page.match(/href="(\?before=\d+)" rel="next"/)?.[1];
		path = older ? `/messages${older}` : null;
	}
	return ids.slice(0, count);
}

/**
 * The bulk action row (issue 14): Mark read on `threadIds` (50) as one form post, as a listing's
 * selection sends it (a `thread` field per chosen thread, going back to the inbox).
 */
export function bulkAction(form, threadIds) {
	const body = new URLSearchParams([['back', 'inbox'], ...threadIds.map((id) => ['thread', id])]);
	return {
		name: `bulk mark read, ${threadIds.length} threads (POST)`,
		path: '/messages/selection?/read',
		method: 'POST',
		headers: form,
		body: body.toString(),
		expect: 303
	};
}

/** Requests the endpoint once, checking it answers as expected. */
async function probe({ base }, { name, path, method = 'GET', headers, body, expect = 200 }) {
	const response = await fetch(base + path, { method, headers, body, redirect: 'manual' });
	if (response.status !== expect)
		throw new Error(`${name}: ${response.status}, expected ${expect}`);
	return response;
}

/**
 * How many SQL statements a request to the endpoint runs, from a server in counting mode: the
 * second request's count, as every request measured is (a first view of an unread thread also
 * marks it read).
 */
export async function statementsOf(server, endpoint) {
	await probe(server, endpoint);
	const header = (await probe(server, endpoint)).headers.get('x-sql-statements');
	if (!/^\d+$/.test(header ?? '')) throw new Error(`${endpoint.name}: no statement count`);
	return Number(header);
}

/**
 * Loads the endpoint for `duration` seconds with `connections` connections: req/s, latency, and
 * the server's CPU time per request. Any answer but the expected status fails the run.
 */
export async function measure(server, endpoint, { duration, connections }) {
	const { path, method = 'GET', headers, body, expect = 200 } = endpoint;
	connections = endpoint.connections ?? connections;
	const cpuBefore = cpuMsOf(server);
	const result = await autocannon({
		url: server.base + path,
		method,
		headers,
		body,
		connections,
		duration
	});
	const cpuMs = cpuMsOf(server) - cpuBefore;
	const expected = result.statusCodeStats[expect]?.count ?? 0;
	if (expected !== result.requests.total || result.errors) {
		const statuses = Object.keys(result.statusCodeStats).join(', ');
		throw new Error(
			`${endpoint.name}: ${result.requests.total - expected} answers were not ${expect} ` +
				`(statuses ${statuses}; ${result.errors} errors)`
		);
	}
	return {
		requests: result.requests.total,
		rps: result.requests.average,
		p50: result.latency.p50,
		p99: result.latency.p99,
		cpuUs: Math.round((cpuMs * 1000) / result.requests.total)
	};
}

/** The median of the numbers. */
export function median(values) {
	return [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
}
