import { AsyncResource } from 'node:async_hooks';
import type { MailboxNotice } from './events';

// The open event streams of this instance, by user. Each holds only its controller, so that an
// idle stream costs little more than its connection.
const byUser = new Map<number, Set<ReadableStreamDefaultController<Uint8Array>>>();
let open = 0;

const encoder = new TextEncoder();
const encode = (text: string) => encoder.encode(text);

// A client waits this long before reconnecting after a stream ends (EventSource's `retry`).
const RETRY_MS = 2_000;
// Turned away for being over the limit: try again later, maybe on another instance.
const BUSY_RETRY_MS = 30_000;
/** A stream whose client has not read this much is cut off; it reconnects and re-syncs. */
const MAX_UNREAD_BYTES = 64 * 1024;
/** Under every common proxy's idle timeout (nginx's default is 60 s). */
export const HEARTBEAT_MS = 25_000;

const HELLO = encode(`retry: ${RETRY_MS}\nevent: hello\ndata: {}\n\n`);
const HEARTBEAT = encode(': hb\n\n');
const RESYNC = encode('event: resync\ndata: {}\n\n');

// Counted in bytes, starting at zero: `desiredSize` is then minus what the client has not read.
const strategy = { highWaterMark: 0, size: (chunk: Uint8Array) => chunk.byteLength };

/** How many streams this instance has open. */
export function openStreams(): number {
	return open;
}

/** The answer to an event stream request: `body`, unbuffered by any proxy. */
export function eventStream(body: ReadableStream<Uint8Array>): Response {
	return new Response(body, {
		headers: {
			'content-type': 'text/event-stream; charset=utf-8',
			'cache-control': 'no-store',
			// nginx would otherwise hold the events in its buffer.
			'x-accel-buffering': 'no'
		}
	});
}

/**
 * A stream that only tells its client to come back in `ms`, as after any stream's end (maybe to
 * another instance). Whatever keeps a stream request from being served must answer this, never
 * an error status: any status but 200 (or 204, "stop") makes EventSource give up for good, and
 * the tab would never update again.
 */
export function comeBackLater(ms = RETRY_MS): ReadableStream<Uint8Array> {
	return new ReadableStream({
		start(controller) {
			controller.enqueue(encode(`retry: ${ms}\n\n`));
			controller.close();
		}
	});
}

// Where streams are made: outside any request (this module loads at start-up, from the hooks). A
// promise made during a request keeps that request's async context, SvelteKit's whole request
// event with it, for as long as the promise lives; a stream's own promises live as long as it is
// open, which doubled the heap an idle stream costs (docs/BENCHMARKS.md, "Live updates").
const outsideRequests = new AsyncResource('courier-live-streams');

/**
 * A new event stream for `userId`: `hello` at once, then each event of theirs. Over `max` open
 * streams it only tells the client to come back later.
 */
export function openStream(userId: number, max: number): ReadableStream<Uint8Array> {
	return outsideRequests.runInAsyncScope(newStream, null, userId, max);
}

function newStream(userId: number, max: number): ReadableStream<Uint8Array> {
	if (open >= max) return comeBackLater(BUSY_RETRY_MS);
	let stream: ReadableStreamDefaultController<Uint8Array>;
	return new ReadableStream(
		{
			start(controller) {
				stream = controller;
				let streams = byUser.get(userId);
				if (!streams) byUser.set(userId, (streams = new Set()));
				streams.add(controller);
				open++;
				ensureHeartbeat();
				controller.enqueue(HELLO);
			},
			cancel() {
				forget(userId, stream);
			}
		},
		strategy
	);
}

function forget(userId: number, controller: ReadableStreamDefaultController<Uint8Array>) {
	const streams = byUser.get(userId);
	if (!streams?.delete(controller)) return;
	open--;
	if (streams.size === 0) byUser.delete(userId);
}

function close(userId: number, controller: ReadableStreamDefaultController<Uint8Array>) {
	forget(userId, controller);
	try {
		controller.close();
	} catch {
		// Already closed or errored.
	}
}

function send(
	userId: number,
	controller: ReadableStreamDefaultController<Uint8Array>,
	chunk: Uint8Array
) {
	if ((controller.desiredSize ?? 0) < -MAX_UNREAD_BYTES) return close(userId, controller);
	try {
		controller.enqueue(chunk);
	} catch {
		forget(userId, controller);
	}
}

function eachStream(
	action: (userId: number, controller: ReadableStreamDefaultController<Uint8Array>) => void
) {
	for (const [userId, streams] of byUser)
		for (const controller of streams) action(userId, controller);
}

/** Passes a notice from the database to the streams of the users it names. */
export function deliver(notice: MailboxNotice) {
	const event =
		notice.k === 'message'
			? { thread: notice.t, message: notice.m, from: notice.f, sender: notice.s, subject: notice.j }
			: { thread: notice.t };
	const chunk = encode(
		`${notice.k === 'message' ? `id: ${notice.m}\n` : ''}event: ${notice.k}\ndata: ${JSON.stringify(event)}\n\n`
	);
	for (const userId of new Set(notice.u)) {
		for (const controller of byUser.get(userId) ?? []) send(userId, controller, chunk);
	}
}

/** Tells every stream to re-read its mailbox: notices may have been missed. */
export function resyncAll() {
	eachStream((userId, controller) => send(userId, controller, RESYNC));
}

/** Ends every stream at once (on shutdown): their clients reconnect, to another instance. */
export function closeAll() {
	eachStream(close);
}

let heartbeat: ReturnType<typeof setInterval> | undefined;

function ensureHeartbeat() {
	heartbeat ??= setInterval(() => {
		eachStream((userId, controller) => send(userId, controller, HEARTBEAT));
	}, HEARTBEAT_MS);
	heartbeat.unref();
}
