import { AsyncLocalStorage } from 'node:async_hooks';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { afterEach, describe, expect, it } from 'vitest';
import { closeAll, deliver, openStream, openStreams, resyncAll } from './streams';

const decoder = new TextDecoder();

/** Reads what a stream has sent so far (each read waits for one chunk). */
async function read(reader: ReadableStreamDefaultReader<Uint8Array>, chunks = 1) {
	let text = '';
	for (let i = 0; i < chunks; i++) {
		const { value, done } = await reader.read();
		if (done) return `${text}<end>`;
		text += decoder.decode(value);
	}
	return text;
}

const message = { k: 'message', t: 'abcdefghijklmnop', m: 7, f: 1, s: 'alice', j: 'Hi' } as const;

describe('live event streams', () => {
	afterEach(() => closeAll());

	it('greet, then carry only their own user’s events', async () => {
		const bob = openStream(2, 10).getReader();
		const carol = openStream(3, 10).getReader();
		expect(await read(bob)).toBe('retry: 2000\nevent: hello\ndata: {}\n\n');
		await read(carol);

		deliver({ ...message, u: [1, 2] });
		expect(await read(bob)).toBe(
			'id: 7\nevent: message\ndata: {"thread":"abcdefghijklmnop","message":7,"from":1,"sender":"alice","subject":"Hi"}\n\n'
		);
		deliver({ k: 'self', u: [3], t: 'abcdefghijklmnop' });
		expect(await read(carol)).toBe('event: self\ndata: {"thread":"abcdefghijklmnop"}\n\n');

		resyncAll();
		expect(await read(bob)).toBe('event: resync\ndata: {}\n\n');
		expect(await read(carol)).toBe('event: resync\ndata: {}\n\n');
		expect(openStreams()).toBe(2);
	});

	it('are forgotten when their client goes away, and all end at shutdown', async () => {
		const first = openStream(1, 10).getReader();
		const second = openStream(1, 10).getReader();
		await read(first);
		await read(second);
		await first.cancel();
		expect(openStreams()).toBe(1);
		closeAll();
		expect(await read(second)).toBe('<end>');
		expect(openStreams()).toBe(0);
	});

	it('past the limit, tell the client to come back later', async () => {
		const held = openStream(1, 1).getReader();
		await read(held);
		const refused = openStream(2, 1).getReader();
		expect(await read(refused, 2)).toBe('retry: 30000\n\n<end>');
		expect(openStreams()).toBe(1);
	});

	it('keep nothing of the request that opened them while they are open', async () => {
		// SvelteKit keeps each request's event in an AsyncLocalStorage, as `request` here.
		const request = new AsyncLocalStorage<{ event: object }>();
		const opened = request.run({ event: {} }, () => ({
			stream: openStream(1, 10),
			event: new WeakRef(request.getStore()!.event)
		}));
		expect(await read(opened.stream.getReader())).toContain('event: hello');
		await new Promise((resolve) => setTimeout(resolve, 0));
		setFlagsFromString('--expose-gc');
		(runInNewContext('gc') as () => void)();
		expect(opened.event.deref()).toBeUndefined();
		expect(openStreams()).toBe(1);
	});

	it('cut off a client that stops reading', async () => {
		const stalled = openStream(1, 10).getReader();
		await read(stalled);
		const subject = 'x'.repeat(150);
		// Nothing is read: the events queue up until over 64 KiB, then the stream ends.
		for (let i = 0; i < 1_000 && openStreams() > 0; i++)
			deliver({ ...message, j: subject, u: [1] });
		expect(openStreams()).toBe(0);
		let text = '';
		for (let chunk = await stalled.read(); !chunk.done; chunk = await stalled.read()) {
			text += decoder.decode(chunk.value);
		}
		expect(text.length).toBeGreaterThan(64 * 1024);
		expect(text.length).toBeLessThan(66 * 1024);
	});
});
