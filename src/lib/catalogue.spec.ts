import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

// The message catalogue (README, "Languages"): the same keys in every language, and a German
// that tells apart what the English tells apart (the appearance page once said "Darstellung"
// for both its heading and the colour-scheme switch under it, "Appearance" and "Theme").
const read = (locale: string): Record<string, string> => {
	const { $schema, ...messages } = JSON.parse(readFileSync(`messages/${locale}.json`, 'utf8'));
	void $schema;
	return messages;
};
const en = read('en');

describe.each(['de'])('messages/%s.json', (locale) => {
	const other = read(locale);

	it('has the keys of messages/en.json, and no others', () => {
		expect(Object.keys(other).sort()).toEqual(Object.keys(en).sort());
	});

	it('says two things alike exactly where English does', () => {
		const keys = Object.keys(en);
		const differences = keys.flatMap((a, i) =>
			keys
				.slice(i + 1)
				.filter((b) => (en[a] === en[b]) !== (other[a] === other[b]))
				.map((b) => `${a} and ${b}: ${[en[a], en[b], other[a], other[b]].join(' | ')}`)
		);
		expect(differences).toEqual([]);
	});
});
