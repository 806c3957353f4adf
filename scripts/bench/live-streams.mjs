// Event streams as a browser's EventSource holds them, for the live benchmark (live.mjs). Imported
// for a few streams whose events are timed; forked (with IPC) to hold thousands of streams in a
// process of their own, so that reading them takes no CPU from the process that times or loads.
import http from 'node:http';
import { performance } from 'node:perf_hooks';

// One socket per stream, as many as asked for, none kept for reuse.
const agent = new http.Agent({ keepAlive: false, maxSockets: Infinity });

/** Now, in milliseconds since the epoch with sub-millisecond precision: comparable across processes. */
export const now = () => performance.timeOrigin + performance.now();

/**
 * Opens `/messages/events` at 127.0.0.1:`port` with the session `cookie`. Resolves with the stream
 * once it says `hello`, or with `busy: true` once an instance over its limit has said
 * `retry: 30000` and ended the stream. `onEvent(name, data, at)` gets each event after that.
 */
export function openStream({ port, cookie, onEvent = () => {}, onEnd = () => {} }) {
	return new Promise((resolve, reject) => {
		const stream = { greeted: false, busy: false, ended: false, request: null, retry: null };
		const request = http.get(
			{
				host: '127.0.0.1',
				port,
				path: '/messages/events',
				agent,
				headers: { cookie, accept: 'text/event-stream' }
			},
			(response) => {
				if (response.statusCode !== 200) {
					response.resume();
					return reject(new Error(`event stream: status ${response.statusCode}`));
				}
				let text = '';
				response.setEncoding('utf8');
				response.on('data', (chunk) => {
					text += chunk;
					let end;
					while ((end = text.indexOf('\n\n')) >= 0) {
						const block = text.slice(0, end);
						text = text.slice(end + 2);
						const event = { name: 'message', data: '' };
						let isEvent = false;
						for (const line of block.split('\n')) {
							if (line.startsWith('retry: ')) stream.retry = Number(line.slice(7));
							else if (line.startsWith('event: ')) ((event.name = line.slice(7)), (isEvent = true));
							else if (line.startsWith('data: ')) ((event.data = line.slice(6)), (isEvent = true));
							else if (line.startsWith(':')) ((event.name = 'heartbeat'), (isEvent = true));
						}
						if (!isEvent) continue;
						if (!stream.greeted && event.name === 'hello') {
							stream.greeted = true;
							resolve(stream);
						} else onEvent(event.name, event.data, now());
					}
				});
				response.on('end', () => {
					stream.ended = true;
					onEnd(now(), stream);
					if (!stream.greeted) {
						if (stream.retry === 30_000) resolve({ ...stream, busy: true });
						else reject(new Error('event stream ended before hello'));
					}
				});
				response.on('error', () => {});
			}
		);
		request.on('error', (error) => {
			if (!stream.ended) {
				stream.ended = true;
				onEnd(now(), stream);
			}
			reject(error);
		});
		stream.request = request;
	});
}

/** Ends a stream from the client's side, as a closed tab does. */
export function closeStream(stream) {
	stream.request?.destroy();
}

// ---- As a forked process: holds many streams, on the parent's orders -----------------------------

const held = [];
const events = {};
let endedAt = 0;
let open = 0;

/**
 * Opens `count` streams to `port`, the cookies taken in turn, `concurrency` at a time: how many
 * opened, how many were turned away (busy), and the first error if any failed.
 */
async function openMany({ port, cookies, count, concurrency = 50 }) {
	const result = { opened: 0, busy: 0, failed: 0, error: null };
	let next = 0;
	async function worker() {
		while (next < count) {
			const i = next++;
			try {
				const stream = await openStream({
					port,
					cookie: cookies[i % cookies.length],
					onEvent: (name) => (events[name] = (events[name] ?? 0) + 1),
					onEnd: (at, { greeted }) => {
						if (!greeted) return;
						open--;
						endedAt = at;
					}
				});
				if (stream.busy) result.busy++;
				else {
					held.push(stream);
					open++;
					result.opened++;
				}
			} catch (error) {
				result.failed++;
				result.error ??= String(error);
			}
		}
	}
	await Promise.all(Array.from({ length: concurrency }, worker));
	return result;
}

/** Resolves once every stream has ended (or after `timeoutMs`): when the last one did. */
async function waitEnded({ timeoutMs }) {
	const start = Date.now();
	while (open > 0 && Date.now() - start < timeoutMs) await new Promise((r) => setTimeout(r, 5));
	return { open, endedAt };
}

if (process.send) {
	const ops = {
		open: openMany,
		waitEnded,
		stats: () => ({ open, held: held.length, events: { ...events } }),
		close: () => {
			for (const stream of held.splice(0)) closeStream(stream);
			return {};
		}
	};
	process.on('message', async ({ id, op, ...args }) => {
		process.send({ id, ...(await ops[op](args)) });
	});
	process.on('disconnect', () => process.exit(0));
}

/**
 * Forks a process that holds streams: `call(op, args)` runs one of its operations (open, stats,
 * waitEnded, close) and resolves with its answer; `stop()` ends it and its streams.
 */
export async function forkStreamHolder() {
	const { fork } = await import('node:child_process');
	const child = fork(new URL(import.meta.url).pathname, [], { stdio: 'inherit' });
	let nextId = 0;
	const waiting = new Map();
	child.on('message', ({ id, ...answer }) => {
		waiting.get(id)?.(answer);
		waiting.delete(id);
	});
	return {
		call(op, args = {}) {
			const id = nextId++;
			return new Promise((resolve) => {
				waiting.set(id, resolve);
				child.send({ id, op, ...args });
			});
		},
		stop() {
			const exited = new Promise((resolve) => child.once('exit', resolve));
			child.disconnect();
			return exited;
		}
	};
}
