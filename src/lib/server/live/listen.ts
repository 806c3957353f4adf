import v8 from 'node:v8';
import { env } from '$env/dynamic/private';
import type { DbHandle } from '../db/client';
import { loggable } from '../http/loggable';
import { MAILBOX_CHANNEL, parseNotice } from './events';
import { closeAll, deliver, resyncAll } from './streams';

/**
 * Listens for every instance's mailbox notices and passes them to this instance's streams. When
 * the listening connection comes back after a drop, notices sent meanwhile are lost: every
 * stream is told to re-read its mailbox (the database is the backlog).
 */
export async function startLive(handle: DbHandle) {
	let listened = false;
	await handle.listen(
		MAILBOX_CHANNEL,
		(payload) => {
			const notice = parseNotice(payload);
			if (notice) deliver(notice);
		},
		() => {
			if (listened) {
				console.warn('Listening for mailbox changes again; every open stream re-syncs.');
				resyncAll();
			}
			listened = true;
		}
	);
	// adapter-node stops listening on SIGTERM and waits for open connections: end the streams at
	// once so it can exit, and their clients reconnect to another instance.
	for (const signal of ['SIGTERM', 'SIGINT'] as const) process.on(signal, closeAll);
}

/** Logs, and goes on without live updates, when the database refuses LISTEN (e.g. PgBouncer). */
export function startLiveOrWarn(handle: DbHandle) {
	return startLive(handle).catch((error) =>
		console.error('Live updates are off: could not LISTEN.', loggable(error))
	);
}

// Heap an open stream costs: 12.3-12.8 KB measured (docs/BENCHMARKS.md, "Live updates").
export const STREAM_HEAP = 13 * 1024;
// V8's heap limit counts its young generation too (three 16 MB semi-spaces on 64-bit), where no
// open stream stays.
const YOUNG_GENERATION = 48 * 1024 * 1024;

/**
 * Streams one instance may hold: `LIVE_MAX_STREAMS`, else what fits half the old generation
 * (about 5,000 under `npm start`'s 128 MB cap).
 */
export function maxStreams(): number {
	return (max ??= configuredMax());
}

let max: number | undefined;

function configuredMax(): number {
	const setting = Number(env.LIVE_MAX_STREAMS);
	if (env.LIVE_MAX_STREAMS && Number.isInteger(setting) && setting >= 0) return setting;
	return streamsFitting(v8.getHeapStatistics().heap_size_limit);
}

/**
 * How many streams fit in half the old generation of a heap of V8's `heap_size_limit`. The other
 * half is the app's and its page traffic's, and the collector's room: the fuller the heap, the
 * more often it is collected (measured under a 128 MB cap, the inbox cost 1.1 times its CPU with
 * 4,000 streams open, 1.7 times with 6,000, and 5 times with 6,300).
 */
export function streamsFitting(heapSizeLimit: number): number {
	const oldGeneration = heapSizeLimit - YOUNG_GENERATION;
	return Math.max(100, Math.floor(oldGeneration / 2 / STREAM_HEAP));
}
