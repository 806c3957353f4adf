import { onMount } from 'svelte';
import type { SuperForm } from 'sveltekit-superforms';
import { page } from '$app/state';
import { m } from '$lib/paraglide/messages';

// What someone is writing, kept in the browser (localStorage) until it is sent, so that a reload
// or a wrong click loses nothing. One draft per form page (a thread's reply, the compose page),
// keyed by the user too, so that another person using the browser never sees it; logging out
// forgets the user's drafts.

interface Draft {
	fields: Record<string, string>;
	/** Kept when the session ended as it was sent: say so when it is shown again. */
	sessionEnded?: boolean;
}

const PREFIX = 'courier-draft:';
const keyOf = (userId: number, path: string) => `${PREFIX}${userId}:${path}`;

// Storage may be off or full (a private window, a quota): then drafts are just not kept.
function attempt<T>(use: (storage: Storage) => T): T | undefined {
	try {
		return use(window.localStorage);
	} catch {
		return undefined;
	}
}

function readDraft(key: string): Draft | null {
	const draft = attempt((storage) => JSON.parse(storage.getItem(key) ?? 'null'));
	if (typeof draft?.fields !== 'object' || draft.fields === null) return null;
	const fields = Object.entries(draft.fields).filter(([, value]) => typeof value === 'string');
	return {
		fields: Object.fromEntries(fields) as Draft['fields'],
		sessionEnded: !!draft.sessionEnded
	};
}

function writeDraft(key: string, draft: Draft | null) {
	attempt((storage) =>
		draft ? storage.setItem(key, JSON.stringify(draft)) : storage.removeItem(key)
	);
}

/** Forgets every draft of the user in this browser: when they log out. */
export function forgetDrafts(userId: number) {
	const prefix = keyOf(userId, '');
	attempt((storage) => {
		const keys = Array.from({ length: storage.length }, (_, i) => storage.key(i));
		for (const key of keys) if (key?.startsWith(prefix)) storage.removeItem(key);
	});
}

// The one-time token belongs to the page, not to what was written.
const written = (data: Record<string, unknown>) =>
	Object.fromEntries(
		Object.entries(data).filter(([name, value]) => name !== 'token' && typeof value === 'string')
	) as Record<string, string>;

/**
 * Keeps the draft of a form whose page gave it `initial`: call while the form's component starts.
 * `keep` takes the form once made, and `sent` is for superForm's `onResult`.
 */
export function formDraft(initial: Record<string, unknown>) {
	const userId = page.data.user?.id;
	const { pathname } = page.url;
	const key = userId === undefined ? null : keyOf(userId, pathname);
	// What the page showed by itself (a To filled in) is no draft.
	const shown = written(initial);
	let latest = shown;
	let stopped = false;

	return {
		keep<T extends Record<string, unknown>>(form: Pick<SuperForm<T, string>, 'form' | 'message'>) {
			onMount(() => {
				if (!key) return;
				const draft = readDraft(key);
				if (draft) {
					form.form.update((data) => ({ ...data, ...draft.fields }), { taint: false });
					if (draft.sessionEnded) form.message.set(m.draft_not_sent());
				}
				return form.form.subscribe((data) => {
					// Another page of the same kind, being shown in place of this one: not its draft.
					if (stopped || page.url.pathname !== pathname) return;
					latest = written(data);
					const changed = Object.keys(latest).some((name) => latest[name] !== (shown[name] ?? ''));
					writeDraft(key, changed ? { fields: latest } : null);
				});
			});
		},
		/** On an answer: sent, the draft is done; sent back to log in, it is kept to come back to. */
		sent(result: { type: string; location?: string }) {
			if (!key || result.type !== 'redirect') return;
			const toLogin = new URL(result.location ?? '/', window.location.href).pathname === '/login';
			if (!toLogin) return writeDraft(key, null);
			// The form is reset as the browser leaves for the log-in page: keep the draft as it is.
			stopped = true;
			writeDraft(key, { fields: latest, sessionEnded: true });
		}
	};
}
