// The app's request handler (build/handler.js, what `node build` serves) behind a plain
// node:http server, in a process the live benchmark forks with --expose-gc, so that it can
// collect garbage and read the heap on request. The environment is set by the parent.
//   message 'heap'           -> { heapUsed, external, arrayBuffers, rss } after full collections
//   message {snapshot: file} -> writes a heap snapshot there
import http from 'node:http';
import { resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import v8 from 'node:v8';

const { handler } = await import(resolve(process.env.BUILD ?? 'build', 'handler.js'));
const server = http.createServer((req, res) =>
	handler(req, res, () => {
		res.statusCode = 404;
		res.end();
	})
);
server.listen(Number(process.env.PORT), '127.0.0.1', () => process.send({ ready: true }));

/** Collects until the heap stops shrinking: weak references and finalisers need several passes. */
async function settledHeap() {
	let last = Infinity;
	for (let i = 0; i < 10; i++) {
		globalThis.gc();
		await sleep(20);
		const { heapUsed } = process.memoryUsage();
		if (last - heapUsed < 16 * 1024 && i >= 2) break;
		last = heapUsed;
	}
	const { heapUsed, external, arrayBuffers, rss } = process.memoryUsage();
	return { heapUsed, external, arrayBuffers, rss };
}

process.on('message', async (message) => {
	if (message === 'heap') process.send(await settledHeap());
	else if (message.snapshot) {
		await settledHeap();
		v8.writeHeapSnapshot(message.snapshot);
		process.send({ written: message.snapshot });
	}
});
process.on('disconnect', () => process.exit(0));
