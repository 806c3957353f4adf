import type { Sent } from './http';
import { actionResult, errorPage, fieldError, fieldValue, formMessage } from './http';

/**
 * SPEC §5 as the tests read it, with the words the app shows: what a field's value becomes when
 * it is accepted, or the message shown next to the field when it is not.
 */
export type Verdict = { accepted: string } | { error: string };

/** Characters as the app counts them: code points, so an emoji is one. */
const characters = (text: string) => [...text].length;

const isNotFound = (sent: Sent) => errorPage(sent.body)?.heading === 'Not found';

function textRule(field: string, max: number, whenBlank: string) {
	return (value: string): Verdict => {
		const trimmed = value.trim();
		if (!trimmed) return { error: whenBlank };
		if (characters(trimmed) > max) {
			return { error: `${field} is too long: at most ${max.toLocaleString('en')} characters.` };
		}
		// PostgreSQL's text cannot hold U+0000.
		if (trimmed.includes('\0')) return { error: `${field} cannot contain NUL characters.` };
		return { accepted: trimmed };
	};
}

export const subjectRule = textRule('Subject', 150, 'Give the thread a subject.');
export const messageRule = textRule('Message', 20_000, 'Write a message.');
export const replyRule = textRule('Reply', 20_000, 'Write a reply.');

/**
 * To: names split on commas, semicolons and white space, `@name` for `name`, repeats collapsed
 * in any case; the sender named among others is dropped.
 */
export function recipientsRule(value: string, sender: string, existing: string[]): Verdict {
	const seen = new Set<string>();
	const names = value
		.trim()
		.split(/[\s,;]+/)
		.map((name) => (name.startsWith('@') ? name.slice(1) : name))
		.filter((name) => name && !seen.has(name.toLowerCase()) && seen.add(name.toLowerCase()));
	if (names.length === 0) return { error: 'Enter at least one username.' };
	if (names.length > 50) return { error: 'At most 50 recipients.' };
	const known = new Set(existing.map((name) => name.toLowerCase()));
	const unknown = names.filter((name) => !known.has(name.toLowerCase()));
	if (unknown.length) {
		return { error: `No user named ${unknown.map((name) => `“\u2068${name}\u2069”`).join(', ')}.` };
	}
	const others = names.filter((name) => name.toLowerCase() !== sender.toLowerCase());
	if (others.length === 0) return { error: 'You cannot send a message to yourself.' };
	return { accepted: others.join(' ') };
}

export function usernameRule(value: string): Verdict {
	const trimmed = value.trim();
	return /^[A-Za-z0-9_.-]{3,32}$/.test(trimmed)
		? { accepted: trimmed }
		: { error: 'Use 3 to 32 letters, digits, dots, dashes or underscores.' };
}

export function passwordRule(value: string): Verdict {
	if (characters(value) < 8) return { error: 'Use at least 8 characters.' };
	if (characters(value) > 256) return { error: 'Use at most 256 characters.' };
	return { accepted: value };
}

/** What a response should be. */
export type Outcome =
	/** A redirect, as a form that worked or a guard gives. */
	| { status: 303 | 308; location: string | RegExp }
	/**
	 * The form again, 400, with `error` next to `field` and none next to the `others`; the field
	 * still holds what was sent (`kept`), or that trimmed.
	 */
	| { status: 400; field: string; error: string; others?: string[]; kept?: string }
	/** The form again, 400, with one message for the whole form. */
	| { status: 400; alert: string }
	/** The not-found page. */
	| { status: 404 }
	/** The error page with this message (a body that is no form, a bad URL). */
	| { status: 400 | 405 | 413 | 415; message: string }
	/** A plain-text refusal from SvelteKit (the CSRF check). */
	| { status: 403; text: string }
	/** Node's own refusal of oversized headers: no body to carry a message. */
	| { status: 431 }
	/** nginx's own refusal, before the app sees the request (the PostgreSQL project runs behind it). */
	| { status: 400; byProxy: true }
	| { status: 200 };

const clip = (value: unknown) => {
	const text = JSON.stringify(value) ?? String(value);
	return text.length > 160 ? `${text.slice(0, 120)}…(${text.length} chars)` : text;
};

/** What a 5xx says: the error page's message and reference, or the start of the body. */
function serverError(sent: Sent): string {
	const shown = errorPage(sent.body) ?? actionResult(sent)?.error;
	return shown ? clip(shown) : clip(sent.body);
}

/** What is wrong with the response, in words; an empty list when it is as expected. */
export function problemsOf(what: string, sent: Sent, expected: Outcome): string[] {
	const problems: string[] = [];
	const differ = (aspect: string, actual: unknown, wanted: unknown) => {
		if (JSON.stringify(actual) !== JSON.stringify(wanted)) {
			problems.push(`${what}: ${aspect} was ${clip(actual)}, expected ${clip(wanted)}`);
		}
	};
	if (sent.status >= 500) return [`${what}: answered ${sent.status}: ${serverError(sent)}`];
	differ('status', sent.status, expected.status);
	if (sent.status !== expected.status) return problems;

	if ('location' in expected) {
		const location = sent.location ?? '';
		const matches =
			typeof expected.location === 'string'
				? location === expected.location
				: expected.location.test(location);
		if (!matches) differ('Location', location, String(expected.location));
	} else if ('field' in expected) {
		// An unknown name may come with close matches after it ("Did you mean …?").
		const error = fieldError(sent.body, expected.field);
		const matched = error?.startsWith(`${expected.error} Did you mean `) ? expected.error : error;
		differ(`the error next to ${expected.field}`, matched, expected.error);
		const value = fieldValue(sent.body, expected.field);
		const { kept } = expected;
		if (kept !== undefined && value !== kept && value !== kept.trim()) {
			differ(`the value kept in ${expected.field}`, value, kept);
		}
		for (const other of expected.others ?? []) {
			differ(`the error next to ${other}`, fieldError(sent.body, other), null);
		}
	} else if ('alert' in expected) {
		differ('the form message', formMessage(sent.body), expected.alert);
	} else if ('message' in expected) {
		differ('the error page message', errorPage(sent.body)?.message, expected.message);
	} else if ('text' in expected) {
		differ('the body', sent.body, expected.text);
	} else if ('byProxy' in expected) {
		differ('the refusal', /<center>nginx/.test(sent.body) ? 'nginx' : clip(sent.body), 'nginx');
	} else if (expected.status === 404) {
		differ('the page', isNotFound(sent) ? 'not found' : clip(sent.body), 'not found');
	}
	return problems;
}

/** As `problemsOf`, for a form enhanced by JavaScript: the JSON SvelteKit answers it with. */
export function enhancedProblems(
	what: string,
	sent: Sent,
	verdict: Verdict,
	location: RegExp
): string[] {
	if (sent.status >= 500) return [`${what}: answered ${sent.status}: ${serverError(sent)}`];
	const result = actionResult(sent);
	if ('accepted' in verdict) {
		return result?.type === 'redirect' && result.status === 303 && location.test(result.location!)
			? []
			: [`${what}: answered ${sent.status} ${clip(sent.body)}, expected a redirect (303)`];
	}
	const data: unknown[] = result?.data ? JSON.parse(result.data) : [];
	return result?.type === 'failure' && result.status === 400 && data.includes(verdict.error)
		? []
		: [
				`${what}: answered ${sent.status} ${clip(sent.body)}, expected a failure (400) saying ${clip(verdict.error)}`
			];
}
