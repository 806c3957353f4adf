import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { linkify, type Segment } from './linkify';

const links = (text: string) => linkify(text).filter((segment) => segment.href);

describe('linkify', () => {
	it('turns http and https addresses into links and keeps the rest as text', () => {
		expect(linkify('See https://example.org/a?b=1#c and http://x.test.')).toEqual([
			{ text: 'See ' },
			{ text: 'https://example.org/a?b=1#c', href: 'https://example.org/a?b=1#c' },
			{ text: ' and ' },
			{ text: 'http://x.test', href: 'http://x.test/' },
			{ text: '.' }
		]);
	});

	it('gives back the text unchanged, piece by piece', () => {
		for (const text of ['', 'no links', 'a https://a.test/(b) c', '(see https://a.test/x)']) {
			expect(
				linkify(text)
					.map((s) => s.text)
					.join('')
			).toBe(text);
		}
	});

	it('leaves sentence punctuation out, but keeps a bracket the address opened', () => {
		expect(links('(see https://a.test/x).')).toEqual([
			{ text: 'https://a.test/x', href: 'https://a.test/x' }
		]);
		expect(links('https://en.wikipedia.org/wiki/Svelte_(software)!')[0].text).toBe(
			'https://en.wikipedia.org/wiki/Svelte_(software)'
		);
	});

	it('never links other schemes or markup', () => {
		for (const text of [
			'javascript:alert(1)',
			'data:text/html,<script>alert(1)</script>',
			'vbscript:msgbox',
			'www.example.org',
			'<a href="https://evil.test">x</a>'
		]) {
			for (const link of links(text)) expect(link.href).toMatch(/^https?:\/\/[^"<>]*$/);
		}
		expect(links('javascript:alert(1)')).toEqual([]);
		expect(links('a "https://q.test/"onmouseover=x" b')[0].href).toBe('https://q.test/');
	});

	it('trims the punctuation after an address as the regular expression it replaced did', () => {
		// The old rule, exact but with a cost that grows with the square of a run of punctuation.
		const byRegex = (text: string): Segment[] => {
			const segments: Segment[] = [];
			let last = 0;
			for (const match of text.matchAll(/\bhttps?:\/\/[^\s<>"]+/gi)) {
				const trailing = match[0].match(/[.,:;!?'")\]}]+$/)?.[0] ?? '';
				const kept = trailing.startsWith(')') && match[0].includes('(') ? ')' : '';
				const address = match[0].slice(0, match[0].length - trailing.length) + kept;
				const href = URL.canParse(address) ? new URL(address).href : null;
				if (!href) continue;
				if (match.index > last) segments.push({ text: text.slice(last, match.index) });
				segments.push({ text: address, href });
				last = match.index + address.length;
			}
			if (last < text.length) segments.push({ text: text.slice(last) });
			return segments;
		};
		const piece = fc.constantFrom(
			'http://',
			'https://a.b',
			'x',
			'(',
			')',
			'.',
			',',
			'!',
			'"',
			' ',
			'}',
			']',
			':'
		);
		fc.assert(
			fc.property(fc.array(piece, { maxLength: 30 }), (pieces) => {
				const text = pieces.join('');
				expect(linkify(text)).toEqual(byRegex(text));
			}),
			{ numRuns: 2000 }
		);
	});

	it('links the first 50 addresses of a message and leaves the rest as text', () => {
		const text = Array.from({ length: 60 }, (_, i) => `https://a.test/${i}`).join(' ');
		const segments = linkify(text);
		expect(links(text)).toHaveLength(50);
		expect(links(text)[49].href).toBe('https://a.test/49');
		expect(segments.at(-1)).toEqual({ text: ` ${text.split(' ').slice(50).join(' ')}` });
		expect(segments.map((s) => s.text).join('')).toBe(text);
	});
});
