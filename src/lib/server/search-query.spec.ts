import { describe, expect, it } from 'vitest';
import { QUERY_MAX, isEmpty, parseQuery } from './search-query';

describe('parseQuery', () => {
	it('takes each operator and leaves the words', () => {
		const query = parseQuery(
			'budget FROM:@Alice with:bob.b in:archive is:unread after:2026-01-31 before:2026-02-28 "from:x y" -draft'
		);
		expect(query).toEqual({
			words: 'budget "from:x y" -draft',
			from: ['alice'],
			with: ['bob.b'],
			folder: 'archive',
			unread: true,
			before: '2026-02-28',
			after: '2026-01-31',
			unknown: []
		});
	});

	it('searches unknown operators and bad values as words, and says which were bad', () => {
		const query = parseQuery('to:bob in:spam is:starred before:2026-02-30 after:yesterday from:a');
		expect(query?.words).toBe('to:bob in:spam is:starred before:2026-02-30 after:yesterday from:a');
		expect(query?.unknown).toEqual([
			'in:spam',
			'is:starred',
			'before:2026-02-30',
			'after:yesterday',
			'from:a'
		]);
		expect(query && isEmpty(query)).toBe(false);
	});

	it('collects people, and refuses a second folder', () => {
		const query = parseQuery(
			'from:alice from:ALICE from:carol with:dave with:erin in:inbox in:sent'
		);
		expect(query).toMatchObject({
			from: ['alice', 'carol'],
			with: ['dave', 'erin'],
			folder: 'inbox',
			unknown: ['in:sent'],
			words: 'in:sent'
		});
	});

	it('allows a query of operators only, and tells an empty one', () => {
		expect(isEmpty(parseQuery('in:deleted')!)).toBe(false);
		expect(parseQuery('in:deleted')?.words).toBe('');
		expect(isEmpty(parseQuery(' \t\n ')!)).toBe(true);
		expect(isEmpty(parseQuery('')!)).toBe(true);
	});

	it('turns NUL into a space, keeps an unclosed quote, and refuses what is too long', () => {
		expect(parseQuery('a\0b "open')?.words).toBe('a b "open');
		expect(parseQuery('x'.repeat(QUERY_MAX))).not.toBeNull();
		expect(parseQuery('x'.repeat(QUERY_MAX + 1))).toBeNull();
	});
});
