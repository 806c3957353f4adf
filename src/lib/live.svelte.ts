import { invalidate } from '$app/navigation';
import { navigating } from '$app/state';
import { page } from '$app/state';
import { FOLDER, MAILBOX, THREAD } from './reloads';

/** What a `message` event carries: a message reached the signed-in user. */
export interface LiveMessage {
	thread: string;
	message: number;
	from: number;
	sender: string;
	subject: string;
}

// A burst of events makes one re-load; the jitter spreads the re-loads of a message's many
// recipients' tabs over half a second instead of one instant.
const DEBOUNCE_MS = 100;
const JITTER_MS = 400;
/** A tab hidden this long gives its connection back (a browser allows six per site over HTTP/1.1). */
const HIDDEN_CLOSE_MS = 20_000;

/** Messages that reached the open thread while the tab was hidden, not yet shown. */
export const unseen = $state({ count: 0 });

/**
 * Whether the open thread is being re-loaded for a live event: what that adds must not take the
 * reader's focus or move the page (the opening place is for a page that is opened).
 */
export const reloading = $state({ thread: false });

const visible = () => document.visibilityState === 'visible';
const openThreadId = () => (page.route.id?.startsWith('/messages/thread/') ? page.params.id : null);

/**
 * Keeps what the reader is in (the focused field, such as a reply being written) where it is on
 * the screen while the page is made again under it; the browser's own scroll anchoring loses it
 * when much of the page is re-rendered. Returns the function that puts it back.
 */
function keepPlace(): () => void {
	const field = document.activeElement;
	if (!(field instanceof HTMLElement) || !field.closest('main')) return () => {};
	const top = field.getBoundingClientRect().top;
	return () => {
		if (!field.isConnected || document.activeElement !== field) return;
		window.scrollBy(0, field.getBoundingClientRect().top - top);
	};
}

/**
 * Follows the signed-in user's event stream while the page is open: each event re-loads the
 * mailbox data (and the open thread, when it changed and the tab is visible: opening a thread
 * marks it read, so a hidden tab must not). Returns the function that stops.
 */
export function followMailbox(userId: number, announce: (message: LiveMessage) => void) {
	let source: EventSource | null = null;
	let connected = false;
	let timer: ReturnType<typeof setTimeout> | undefined;
	let hiddenTimer: ReturnType<typeof setTimeout> | undefined;
	let threadChanged = false;
	let folderChanged = false;

	/** `folder`: whether the folder pages' listings may have changed too (not for `self`). */
	function reload(thread: boolean, folder = true) {
		threadChanged ||= thread;
		folderChanged ||= folder;
		clearTimeout(timer);
		timer = setTimeout(flush, DEBOUNCE_MS + Math.random() * JITTER_MS);
	}

	function flush() {
		// SvelteKit drops a navigation under way when data is invalidated (a form's redirect to
		// the new thread would be lost, the page staying where it was): wait until it is done.
		if (navigating.to) {
			timer = setTimeout(flush, DEBOUNCE_MS);
			return;
		}
		const loadThread = threadChanged && visible();
		if (loadThread) {
			threadChanged = false;
			unseen.count = 0;
		}
		// Whatever is re-loaded, the thread page may be made again (its load reads the mailbox
		// too): while it is, nothing takes the reader's focus or place.
		reloading.thread = true;
		const kept = keepPlace();
		void Promise.all([
			invalidate(MAILBOX),
			folderChanged && invalidate(FOLDER),
			loadThread && invalidate(THREAD)
		]).finally(() => {
			reloading.thread = false;
			kept();
		});
		folderChanged = false;
	}

	function connect() {
		source = new EventSource('/messages/events');
		// `hello` starts a stream that was really opened (an answer of `retry:` alone also fires
		// `open`): after the first, whatever happened while it was down is in the database.
		source.addEventListener('hello', () => {
			if (connected) reload(true);
			connected = true;
		});
		source.addEventListener('message', (event) => {
			const message: LiveMessage = JSON.parse(event.data);
			const here = message.thread === openThreadId();
			if (here && !visible()) unseen.count++;
			if (message.from !== userId) announce(message);
			reload(here);
		});
		// The user's own change: this tab's action re-loaded what it changed already, and a re-load
		// of the open thread would take away the notice of what was done (and its Undo).
		source.addEventListener('self', () => reload(false, false));
		source.addEventListener('resync', () => reload(true));
	}

	function onVisibility() {
		clearTimeout(hiddenTimer);
		if (!visible()) {
			hiddenTimer = setTimeout(() => {
				source?.close();
				source = null;
			}, HIDDEN_CLOSE_MS);
			return;
		}
		if (source) {
			if (threadChanged) reload(true);
		} else {
			connect();
			reload(true);
		}
	}

	connect();
	document.addEventListener('visibilitychange', onVisibility);
	return () => {
		document.removeEventListener('visibilitychange', onVisibility);
		clearTimeout(timer);
		clearTimeout(hiddenTimer);
		source?.close();
	};
}
