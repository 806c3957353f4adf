import { superForm, type FormOptions, type SuperValidated } from 'sveltekit-superforms';
import { m } from '$lib/paraglide/messages';
import { formDraft } from './drafts';

/**
 * superForm's `onError` for the app's forms. When the server could not do it (a 503 while the
 * database restarts, any 5xx, or no answer at all), the form stays on screen with what was
 * typed, and `show` gets a line to put above it: superforms' default would leave for the error
 * page and lose the text. Other errors (a 404) still go to the error page.
 */
function keepFormOnFailure(show: (message: string) => void) {
	return ({ result }: { result: { status?: number; error: unknown } }) => {
		const { status = 500, error } = result;
		if (status < 500) throw error;
		// The server sends App.Error, a plain object; a failed fetch is an Error of the browser's.
		const fromServer = !(error instanceof Error) && (error as App.Error | undefined)?.message;
		show(fromServer || m.no_answer());
	};
}

/**
 * superForm as every form of the app uses it: on a server failure it keeps the form and shows
 * why in its message. With `keepDraft`, what is typed is kept in the browser until it is sent
 * (drafts.ts). A theme's own form component calls this and gets the same.
 */
export function appForm<T extends Record<string, unknown>>(
	data: SuperValidated<T, string>,
	{ keepDraft = false, ...options }: FormOptions<T, string> & { keepDraft?: boolean } = {}
) {
	const draft = keepDraft ? formDraft(data.data) : undefined;
	const form = superForm(data, {
		...options,
		onError: keepFormOnFailure((text) => form.message.set(text)),
		onResult: (event) => {
			draft?.sent(event.result);
			return options.onResult?.(event);
		}
	});
	draft?.keep(form);
	return form;
}

/**
 * An action for a writing form: Ctrl+Enter (Cmd+Enter on a Mac) in any of its fields sends it,
 * as its button would. (The keys come from the fields; the form only listens.)
 */
export function sendOnCtrlEnter(form: HTMLFormElement) {
	const send = (event: KeyboardEvent) => {
		if (event.key !== 'Enter' || !(event.ctrlKey || event.metaKey) || event.isComposing) return;
		event.preventDefault();
		form.requestSubmit();
	};
	form.addEventListener('keydown', send);
	return { destroy: () => form.removeEventListener('keydown', send) };
}
