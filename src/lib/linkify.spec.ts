import { describe, expect, it } from 'vitest';
import { linkify } from './linkify';

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
});
