import { z } from 'zod';
import { m } from '$lib/paraglide/messages';
import { getLocale } from '$lib/paraglide/runtime';
import { timeZoneOf } from '$lib/time-zone';

// zod compiles parsers with `new Function` when it may: probing for that breaks the pages'
// Content-Security-Policy (a violation on every page). Set before any schema is made.
z.config({ jitless: true });

// The input rules of SPEC §5, shared by the forms (client and server) and the server API.
export const SUBJECT_MAX = 150;
export const CONTENT_MAX = 20_000;
export const MAX_RECIPIENTS = 50;
export const USERNAME_PATTERN = /^[A-Za-z0-9_.-]{3,32}$/;
/** Thread ids: 80 random bits in lower-case base32. */
export const THREAD_ID_PATTERN = /^[a-z2-7]{16}$/;

// PostgreSQL's text cannot hold U+0000: refused here, or the insert would fail.
const hasNoNul = (text: string) => !text.includes('\0');

// Each message is a function, called when a value fails, so it is in the request's language.
const say = (message: () => string) => ({ error: message });
const max = (limit: number) => ({ max: limit.toLocaleString(getLocale()) });

const content = (messages: { required: () => string; tooLong: () => string; nul: () => string }) =>
	z
		.string()
		.trim()
		.min(1, say(messages.required))
		.max(CONTENT_MAX, say(messages.tooLong))
		.refine(hasNoNul, say(messages.nul));

export const subjectField = z
	.string()
	.trim()
	.min(1, say(m.rule_subject_required))
	.max(
		SUBJECT_MAX,
		say(() => m.rule_subject_too_long(max(SUBJECT_MAX)))
	)
	.refine(hasNoNul, say(m.rule_subject_nul));

export const messageField = content({
	required: m.rule_write_message,
	tooLong: () => m.rule_message_too_long(max(CONTENT_MAX)),
	nul: m.rule_message_nul
});

/**
 * The one form of a username that every lookup and counter uses: ASCII lower case. Null for a
 * name no account can have. Lower case beyond ASCII differs between JavaScript and PostgreSQL
 * (`İ`, the Kelvin sign), so a look-alike must never reach either.
 */
export function canonicalUsername(name: string): string | null {
	return USERNAME_PATTERN.test(name) ? name.toLowerCase() : null;
}

/**
 * Splits a To field on commas, semicolons and white space, as people write lists, and takes
 * `@bob` for `bob`; drops repeats of a name in any case.
 */
export function parseRecipients(to: string): string[] {
	const seen = new Set<string>();
	return to
		.split(/[\s,;]+/)
		.map((name) => (name.startsWith('@') ? name.slice(1) : name))
		.filter((name) => {
			const key = canonicalUsername(name) ?? name;
			return name && !seen.has(key) && seen.add(key);
		});
}

// Anchored, so tried once: `[^\s,;]*$` would be tried from every position, a square of the length.
const UP_TO_THE_LAST_NAME = /^[\s\S]*[\s,;]/;

/** The To field up to the name being typed: "ann, bo" gives "ann, ". */
export function namesBefore(to: string): string {
	return UP_TO_THE_LAST_NAME.exec(to)?.[0] ?? '';
}

/** The form's one-time token (made on the server when the form is shown); optional. */
const formToken = z.string();

export const composeSchema = z.object({
	// Who the names are is the server's to say (recipients.ts): here, only that there are some.
	// Not trimmed, so a refused field comes back as it was typed.
	to: z.string().refine((to) => to.trim() !== '', say(m.rule_to_required)),
	subject: subjectField,
	message: messageField,
	token: formToken
});

export const replySchema = z.object({
	content: content({
		required: m.rule_write_reply,
		tooLong: () => m.rule_reply_too_long(max(CONTENT_MAX)),
		nul: m.rule_reply_nul
	}),
	token: formToken
});

const newPassword = z
	.string()
	.min(8, say(m.rule_password_short))
	.max(256, say(m.rule_password_long));

export const signupSchema = z.object({
	username: z.string().trim().regex(USERNAME_PATTERN, say(m.rule_username)),
	password: newPassword
});

export const passwordChangeSchema = z.object({
	currentPassword: z.string().min(1, say(m.rule_current_password)),
	newPassword
});

export const loginSchema = z.object({
	username: z.string().trim().min(1, say(m.rule_enter_username)),
	password: z.string().min(1, say(m.rule_enter_password)),
	/** A form whose session had ended, carried through log-in (session-ended.ts). */
	draft: z.string()
});

export const threadRefSchema = z.object({
	thread: z.string().regex(THREAD_ID_PATTERN, say(m.rule_no_such_thread))
});

export const timeZoneSchema = z.object({
	timeZone: z
		.string()
		.trim()
		.refine((zone) => timeZoneOf(zone) !== null, say(m.rule_time_zone))
});

/** Adding people to a thread: names as in To (recipients.ts says who they are). */
export const addPeopleSchema = z.object({
	to: z.string().trim().min(1, say(m.rule_to_required)),
	shareHistory: z.boolean().default(false)
});

export const renameSchema = z.object({ subject: subjectField });

// An address as a mail server takes it; each part's characters are one class, so checking is linear.
const EMAIL_PATTERN =
	/^[^\s@<>()[\]\\,;:"\x00-\x1f\x7f]+@[^\s@<>()[\]\\,;:"\x00-\x1f\x7f.]+(\.[^\s@<>()[\]\\,;:"\x00-\x1f\x7f.]+)+$/;
export const EMAIL_MAX = 254;

/** The account's email address (empty: none), changed only with the current password. */
export const emailSchema = z.object({
	email: z
		.string()
		.trim()
		.refine((email) => email === '' || (email.length <= EMAIL_MAX && EMAIL_PATTERN.test(email)), {
			error: () => m.rule_email()
		}),
	currentPassword: z.string().min(1, say(m.rule_current_password))
});

export const EMAIL_NOTIFY_CHOICES = ['always', 'unread', 'never'] as const;

export const emailNotifySchema = z.object({
	emailNotify: z.enum(EMAIL_NOTIFY_CHOICES).default('unread')
});

/** A username to block or unblock, as typed or sent by a button. */
export const blockSchema = z.object({
	username: z.string().trim().min(1, say(m.rule_enter_username))
});

/** Who may message me (`DmPolicy` on the server), by name as the radio buttons send it. */
export const DM_POLICIES = ['everyone', 'writtenWith', 'nobody', 'requests'] as const;

export const dmPolicySchema = z.object({
	dmPolicy: z.enum(DM_POLICIES, say(m.rule_dm_policy))
});
