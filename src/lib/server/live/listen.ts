import v8 from 'node:v8';
import { env } from '$env/dynamic/private';
import type { DbHandle } from '../db/client';
import { loggable } from '../loggable';
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
// open stream stays; the streams share the old generation with the app and its page traffic.
const YOUNG_GENERATION = 48 * 1024 * 1024;
export const PAGE_HEAP = 48 * 1024 * 1024;

/**
 * Streams one instance may hold: `LIVE_MAX_STREAMS`, else what fits the heap left over when the
 * page traffic has its share (about 6,300 under `npm start`'s 128 MB cap).
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

/** How many streams fit beside the page traffic in a heap of V8's `heap_size_limit`. */
export function streamsFitting(heapSizeLimit: number): number {
	return Math.max(100, Math.floor((heapSizeLimit - YOUNG_GENERATION - PAGE_HEAP) / STREAM_HEAP));
}
