import { describe, expect, it } from 'vitest';
import { extractLocaleFromHeader } from '$lib/paraglide/runtime';
import { preferredLocale } from './language';

const paraglides = (header: string) =>
	extractLocaleFromHeader(
		new Request('http://courier.test/', { headers: { 'accept-language': header } })
	);

describe('preferredLocale', () => {
	it('reads Accept-Language as paraglide does', () => {
		for (const header of [
			'de',
			'de-DE,de;q=0.9,en;q=0.8',
			'en-US,en;q=0.9,de;q=0.95',
			'fr-CH, fr;q=0.9, de;q=0.7, *;q=0.5',
			'EN-gb',
			'fr, it',
			'*',
			'de;q=0, en;q=0.1',
			';q=1, ,de',
			'de;q=abc,en'
		]) {
			expect(preferredLocale(header), header).toBe(paraglides(header));
		}
		expect(preferredLocale(null)).toBeUndefined();
		expect(preferredLocale('')).toBeUndefined();
	});

	it('reads only the first 16 languages', () => {
		const others = Array.from({ length: 15 }, (_, i) => `x${i}`).join(',');
		expect(preferredLocale(`${others},de`)).toBe('de');
		expect(preferredLocale(`${others},fr,de`)).toBeUndefined();
	});
});
