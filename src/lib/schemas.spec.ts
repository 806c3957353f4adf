import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { z } from 'zod';
import {
	composeSchema,
	loginSchema,
	namesBefore,
	parseRecipients,
	replySchema,
	signupSchema,
	threadRefSchema
} from './schemas';

/** Each field's first error message, or {} when the input is valid. */
/** The errors for `input`, sent as the forms send it: with their hidden fields (empty here). */
function errorsOf(schema: z.ZodType, input: object): Record<string, string> {
	const result = schema.safeParse({ token: '', draft: '', ...input });
	const errors: Record<string, string> = {};
	for (const issue of result.error?.issues ?? []) errors[issue.path.join('.')] ??= issue.message;
	return errors;
}

const names = (count: number) => Array.from({ length: count }, (_, i) => `user${i}`);
const compose = { to: 'alice', subject: 'Hello', message: 'Hi there', token: '' };

describe('parseRecipients', () => {
	it('splits on commas and white space, dropping empty names', () => {
		expect(parseRecipients('alice, bob  carol,,dave\n\teve,')).toEqual([
			'alice',
			'bob',
			'carol',
			'dave',
			'eve'
		]);
		expect(parseRecipients(' , \n ')).toEqual([]);
		expect(parseRecipients('')).toEqual([]);
	});

	it('reads @names, semicolons and trailing separators as a person means them', () => {
		expect(parseRecipients('@bob')).toEqual(['bob']);
		expect(parseRecipients('bob;carol')).toEqual(['bob', 'carol']);
		expect(parseRecipients('bob, carol')).toEqual(['bob', 'carol']);
		expect(parseRecipients('@bob; @carol;, ')).toEqual(['bob', 'carol']);
		expect(parseRecipients('bob @BOB @ ;')).toEqual(['bob']);
	});

	it('collapses repeats in any case, keeping the first spelling', () => {
		expect(parseRecipients('Alice bob ALICE alice Bob carol')).toEqual(['Alice', 'bob', 'carol']);
	});

	it('keeps a look-alike apart from the name it looks like, to be reported unknown', () => {
		expect(parseRecipients('kate \u212aate KATE kİm kim')).toEqual([
			'kate',
			'\u212aate',
			'kİm',
			'kim'
		]);
	});
});

describe('namesBefore', () => {
	it('is the To field up to the name being typed', () => {
		expect(namesBefore('ann, bo')).toBe('ann, ');
		expect(namesBefore('ann bob\n')).toBe('ann bob\n');
		expect(namesBefore('bo')).toBe('');
		expect(namesBefore('ann;@bo')).toBe('ann;');
		const piece = fc.constantFrom('a', 'bob', ',', ' ', '\n', '\u3000', '\ud800');
		fc.assert(
			fc.property(fc.array(piece, { maxLength: 20 }), (pieces) => {
				const to = pieces.join('');
				expect(namesBefore(to)).toBe(to.replace(/[^\s,]*$/, ''));
			})
		);
	});
});

describe('composeSchema', () => {
	it('accepts a valid message, trimming the subject and message', () => {
		const result = composeSchema.parse({ ...compose, subject: '  Hello  ', message: '\n Hi \n' });
		expect(result).toEqual({ to: 'alice', subject: 'Hello', message: 'Hi', token: '' });
	});

	it.each(['', '  '])('requires a To field, not %j', (to) => {
		const result = composeSchema.safeParse({ ...compose, to });
		expect(result.error?.issues.map((i) => [i.path.join('.'), i.message])).toEqual([
			['to', 'Enter at least one username.']
		]);
	});

	it('requires a subject of at most 150 characters after trimming', () => {
		expect(errorsOf(composeSchema, { ...compose, subject: ' \t ' })).toEqual({
			subject: 'Give the thread a subject.'
		});
		expect(errorsOf(composeSchema, { ...compose, subject: ` ${'s'.repeat(150)} ` })).toEqual({});
		expect(errorsOf(composeSchema, { ...compose, subject: 's'.repeat(151) })).toEqual({
			subject: 'Subject is too long: at most 150 characters.'
		});
	});

	it('requires a message of at most 20,000 characters after trimming', () => {
		expect(errorsOf(composeSchema, { ...compose, message: '\n\n ' })).toEqual({
			message: 'Write a message.'
		});
		expect(errorsOf(composeSchema, { ...compose, message: ` ${'m'.repeat(20_000)} ` })).toEqual({});
		expect(errorsOf(composeSchema, { ...compose, message: 'm'.repeat(20_001) })).toEqual({
			message: 'Message is too long: at most 20,000 characters.'
		});
	});
});

describe('NUL characters, which PostgreSQL text cannot hold', () => {
	it('are refused in the subject, the message and a reply', () => {
		expect(errorsOf(composeSchema, { ...compose, subject: 'a\0b', message: '\0' })).toEqual({
			subject: 'Subject cannot contain NUL characters.',
			message: 'Message cannot contain NUL characters.'
		});
		expect(errorsOf(replySchema, { content: 'a\u0000' })).toEqual({
			content: 'Reply cannot contain NUL characters.'
		});
		expect(errorsOf(replySchema, { content: 'a\u0001\u001f\u007f' })).toEqual({});
	});
});

describe('replySchema', () => {
	it('requires a reply of at most 20,000 characters after trimming', () => {
		expect(replySchema.parse({ content: '  Thanks!\n', token: '' })).toEqual({
			content: 'Thanks!',
			token: ''
		});
		expect(errorsOf(replySchema, { content: ' ' })).toEqual({ content: 'Write a reply.' });
		expect(errorsOf(replySchema, { content: 'r'.repeat(20_000) })).toEqual({});
		expect(errorsOf(replySchema, { content: 'r'.repeat(20_001) })).toEqual({
			content: 'Reply is too long: at most 20,000 characters.'
		});
	});
});

describe('signupSchema', () => {
	const password = 'long enough';

	it.each(['abc', 'Ada.Lovelace_1815-x', 'a'.repeat(32), '...', '_-_'])(
		'accepts the username %s',
		(username) => {
			expect(errorsOf(signupSchema, { username, password })).toEqual({});
		}
	);

	it.each(['ab', 'a'.repeat(33), 'has space', 'bang!', 'émile', 'a/b', 'semi;colon', ''])(
		'refuses the username "%s"',
		(username) => {
			expect(errorsOf(signupSchema, { username, password })).toEqual({
				username: 'Use 3 to 32 letters, digits, dots, dashes or underscores.'
			});
		}
	);

	it('trims the username', () => {
		expect(signupSchema.parse({ username: '  grace  ', password })).toEqual({
			username: 'grace',
			password
		});
	});

	it('takes a password of 8 to 256 characters, as typed', () => {
		const ok = (p: string) => errorsOf(signupSchema, { username: 'grace', password: p });
		expect(ok('12345678')).toEqual({});
		expect(ok('p'.repeat(256))).toEqual({});
		expect(ok('1234567')).toEqual({ password: 'Use at least 8 characters.' });
		expect(ok('p'.repeat(257))).toEqual({ password: 'Use at most 256 characters.' });
		expect(signupSchema.parse({ username: 'grace', password: ' spaced out ' }).password).toBe(
			' spaced out '
		);
	});
});

describe('loginSchema', () => {
	it('requires both fields, without applying the signup rules', () => {
		expect(errorsOf(loginSchema, { username: 'x', password: 'y' })).toEqual({});
		expect(errorsOf(loginSchema, { username: ' ', password: '' })).toEqual({
			username: 'Enter your username.',
			password: 'Enter your password.'
		});
	});
});

describe('threadRefSchema', () => {
	it('accepts only thread ids of the form the server makes', () => {
		expect(errorsOf(threadRefSchema, { thread: 'abcdefghijklmn27' })).toEqual({});
		for (const thread of [
			'abcdefghijklmn2',
			'abcdefghijklmn278',
			'ABCDEFGHIJKLMN27',
			'abcdefghijklmn01',
			'1'
		]) {
			expect(errorsOf(threadRefSchema, { thread })).toEqual({ thread: 'No such thread.' });
		}
	});
});
