import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { STREAM_HEAP, streamsFitting } from './listen';

const MB = 1024 * 1024;

describe('the default stream limit', () => {
	it("fills at most half of the old generation under npm start's heap cap", () => {
		const start = JSON.parse(readFileSync('package.json', 'utf8')).scripts.start as string;
		const nodeOptions = start
			.match(/NODE_OPTIONS="([^"$]*)/)![1]
			.trim()
			.split(/\s+/);
		const oldGeneration = Number(start.match(/--max-old-space-size=(\d+)/)![1]) * MB;
		const heapSizeLimit = Number(
			execFileSync('node', [...nodeOptions, '-p', 'v8.getHeapStatistics().heap_size_limit'], {
				encoding: 'utf8'
			})
		);
		const streams = streamsFitting(heapSizeLimit);
		// The other half is the pages' and the collector's (see streamsFitting).
		expect(streams * STREAM_HEAP).toBeLessThanOrEqual(oldGeneration / 2);
		// What issue 13 asks of one instance under the default cap.
		expect(streams).toBeGreaterThanOrEqual(5_000);
	});
});
