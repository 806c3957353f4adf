// A reader of the app's event stream that behaves as a browser's EventSource does: it parses the
// stream as the HTML standard says, and when the stream ends or the connection fails it waits the
// `retry:` time and connects again, with Last-Event-ID; an answer that is not a 200 event stream
// (e.g. 204) ends it for good. Given several base URLs it tries them in turn when one refuses the
// connection, as a proxy in front of several instances would.

/** EventSource's wait before reconnecting until the server says otherwise (browsers use 3 s). */
const DEFAULT_RETRY_MS = 3_000;

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Follows `/messages/events` for the user with `cookie`, starting on `bases[0]`. `on.open(base,
 * reconnect)` runs when a stream is established, `on.event({ type, id, data }, base)` for each
 * event dispatched. Returns its record and `close()`.
 */
export function followEvents({ bases, cookie, on }) {
	const abort = new AbortController();
	const record = {
		/** When each stream was established, and on which base. */
		opens: [],
		/** When each stream ended, and why. */
		ends: [],
		/** Set when the stream was ended for good (EventSource's CLOSED state). */
		failed: null,
		heartbeats: 0
	};
	let retry = DEFAULT_RETRY_MS;
	let lastEventId = '';
	// The connection of the stream open now: dropping it is a network failure to the client.
	let connection = new AbortController();

	async function connect() {
		for (const base of bases) {
			let response;
			try {
				response = await fetch(`${base}/messages/events`, {
					headers: {
						cookie,
						accept: 'text/event-stream',
						'cache-control': 'no-store',
						...(lastEventId ? { 'last-event-id': lastEventId } : {})
					},
					signal: AbortSignal.any([abort.signal, connection.signal])
				});
			} catch (error) {
				if (abort.signal.aborted) return null;
				record.ends.push({ at: performance.now(), base, reason: String(error.cause ?? error) });
				continue; // refused: the next instance, as a proxy would
			}
			const type = response.headers.get('content-type') ?? '';
			if (response.status !== 200 || !type.startsWith('text/event-stream')) {
				await response.body?.cancel();
				record.failed = `${base}: ${response.status} ${type}`;
				return null;
			}
			return { base, response };
		}
		return undefined;
	}

	async function read(base, body) {
		const decoder = new TextDecoder();
		let buffer = '';
		let event = { type: '', data: '' };
		const line = (text) => {
			if (text === '') {
				// Dispatch: an event with no data is dropped, as EventSource does.
				if (event.data !== '')
					on.event(
						{ type: event.type || 'message', id: lastEventId, data: event.data.slice(0, -1) },
						base
					);
				event = { type: '', data: '' };
				return;
			}
			if (text.startsWith(':')) return void record.heartbeats++;
			const colon = text.indexOf(':');
			const field = colon < 0 ? text : text.slice(0, colon);
			let value = colon < 0 ? '' : text.slice(colon + 1);
			if (value.startsWith(' ')) value = value.slice(1);
			if (field === 'event') event.type = value;
			else if (field === 'data') event.data += `${value}\n`;
			else if (field === 'id' && !value.includes('\0')) lastEventId = value;
			else if (field === 'retry' && /^\d+$/.test(value)) retry = Number(value);
		};
		for await (const chunk of body) {
			buffer += decoder.decode(chunk, { stream: true });
			for (let end = buffer.search(/[\r\n]/); end >= 0; end = buffer.search(/[\r\n]/)) {
				// A CR at the end may be the first half of a CRLF still to come.
				if (buffer[end] === '\r' && end === buffer.length - 1) break;
				const size = buffer.startsWith('\r\n', end) ? 2 : 1;
				line(buffer.slice(0, end));
				buffer = buffer.slice(end + size);
			}
		}
	}

	const running = (async () => {
		let reconnect = false;
		while (!abort.signal.aborted) {
			connection = new AbortController();
			const stream = await connect();
			if (stream === null) return;
			if (stream) {
				record.opens.push({ at: performance.now(), base: stream.base });
				on.open(stream.base, reconnect);
				reconnect = true;
				let reason = 'ended';
				try {
					await read(stream.base, stream.response.body);
				} catch (error) {
					reason = String(error.cause ?? error);
				}
				if (abort.signal.aborted) return;
				record.ends.push({ at: performance.now(), base: stream.base, reason });
			}
			await sleep(retry);
		}
	})();

	return {
		record,
		/** Drops the connection, as a network failure would: the client reconnects. */
		drop: () => connection.abort(new Error('dropped')),
		close: async () => {
			abort.abort();
			await running;
		}
	};
}
