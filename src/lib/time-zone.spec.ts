import { describe, expect, it } from 'vitest';
import { shownTimeZone, timeZoneNames, timeZoneOf } from './time-zone';

describe('timeZoneOf', () => {
	it('names IANA zones as Intl spells them, and nothing else', () => {
		expect(timeZoneOf('Europe/Berlin')).toBe('Europe/Berlin');
		expect(timeZoneOf('america/los_angeles')).toBe('America/Los_Angeles');
		expect(timeZoneOf('UTC')).toBe('UTC');
		expect(timeZoneOf('Etc/GMT+5')).toBe('Etc/GMT+5');
		for (const value of [
			'',
			'Mars/Olympus_Mons',
			'+05:00',
			'../../etc',
			'x'.repeat(100),
			5,
			null
		]) {
			expect(timeZoneOf(value), String(value)).toBeNull();
		}
	});
});

describe('shownTimeZone', () => {
	it('takes the browser’s cookie, then the saved zone, then UTC', () => {
		expect(shownTimeZone('Asia/Tokyo', 'Europe/Berlin')).toBe('Asia/Tokyo');
		expect(shownTimeZone(undefined, 'Europe/Berlin')).toBe('Europe/Berlin');
		expect(shownTimeZone('not a zone', 'Europe/Berlin')).toBe('Europe/Berlin');
		expect(shownTimeZone(undefined, null)).toBe('UTC');
	});
});

describe('timeZoneNames', () => {
	it('offers UTC first and every zone once, and a saved zone this runtime does not list', () => {
		const names = timeZoneNames(null);
		expect(names[0]).toBe('UTC');
		expect(new Set(names).size).toBe(names.length);
		expect(names).toContain('Pacific/Kiritimati');
		expect(timeZoneNames('Europe/Kyiv')).toContain('Europe/Kyiv');
	});
});
