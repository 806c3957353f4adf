import { z } from 'zod';

// The input rules of SPEC §5, shared by the forms (client and server) and the server API.
export const SUBJECT_MAX = 150;
export const CONTENT_MAX = 20_000;
export const MAX_RECIPIENTS = 50;
export const USERNAME_PATTERN = /^[A-Za-z0-9_.-]{3,32}$/;
/** Thread ids: 80 random bits in lower-case base32. */
export const THREAD_ID_PATTERN = /^[a-z2-7]{16}$/;

// PostgreSQL's text cannot hold U+0000: refused here, or the insert would fail.
const hasNoNul = (text: string) => !text.includes('\0');

const content = (field: string) =>
	z
		.string()
		.trim()
		.min(1, `Write a ${field.toLowerCase()}.`)
		.max(
			CONTENT_MAX,
			`${field} is too long: at most ${CONTENT_MAX.toLocaleString('en')} characters.`
		)
		.refine(hasNoNul, `${field} cannot contain NUL characters.`);

export const subjectField = z
	.string()
	.trim()
	.min(1, 'Give the thread a subject.')
	.max(SUBJECT_MAX, `Subject is too long: at most ${SUBJECT_MAX} characters.`)
	.refine(hasNoNul, 'Subject cannot contain NUL characters.');

export const messageField = content('Message');

/** Splits a To field on commas and white space, dropping repeats of a name in any case. */
export function parseRecipients(to: string): string[] {
	const seen = new Set<string>();
	return to
		.split(/[\s,]+/)
		.filter((name) => name && !seen.has(name.toLowerCase()) && seen.add(name.toLowerCase()));
}

export const composeSchema = z.object({
	to: z
		.string()
		.trim()
		.min(1, { message: 'Enter at least one username.', abort: true })
		// Commas alone pass the check above but name no one.
		.refine((to) => parseRecipients(to).length > 0, 'Enter at least one username.')
		.refine(
			(to) => parseRecipients(to).length <= MAX_RECIPIENTS,
			`At most ${MAX_RECIPIENTS} recipients.`
		),
	subject: subjectField,
	message: messageField
});

export const replySchema = z.object({
	content: content('Reply')
});

const newPassword = z
	.string()
	.min(8, 'Use at least 8 characters.')
	.max(256, 'Use at most 256 characters.');

export const signupSchema = z.object({
	username: z
		.string()
		.trim()
		.regex(USERNAME_PATTERN, 'Use 3 to 32 letters, digits, dots, dashes or underscores.'),
	password: newPassword
});

export const passwordChangeSchema = z.object({
	currentPassword: z.string().min(1, 'Enter your current password.'),
	newPassword
});

export const loginSchema = z.object({
	username: z.string().trim().min(1, 'Enter your username.'),
	password: z.string().min(1, 'Enter your password.')
});

export const threadRefSchema = z.object({
	thread: z.string().regex(THREAD_ID_PATTERN, 'No such thread.')
});
