import { describe, expect, it } from 'vitest';
import { groupByDayAndSender } from './message-groups';

const at = (iso: string, sender: string, id: number) => ({ id, sender, sentAt: new Date(iso) });

describe('groupByDayAndSender', () => {
	const messages = [
		at('2026-11-29T22:00:00Z', 'ann', 1),
		at('2026-11-29T23:59:00Z', 'ann', 2),
		at('2026-11-30T00:01:00Z', 'ann', 3),
		at('2026-11-30T01:00:00Z', 'ben', 4),
		at('2026-11-30T02:00:00Z', 'ann', 5),
		at('2026-11-30T03:00:00Z', 'ann', 6),
		at('2026-11-30T10:30:00Z', 'ann', 7)
	];
	const runs = (days: ReturnType<typeof groupByDayAndSender<(typeof messages)[number]>>) =>
		days.map((day) => day.runs.map((run) => run.map((m) => m.id)));

	it('splits by day, then by runs of one sender, in order', () => {
		const days = groupByDayAndSender(messages, 'UTC');
		expect(days.map((day) => day.key)).toEqual(['2026-11-29', '2026-11-30']);
		expect(runs(days)).toEqual([[[1, 2]], [[3], [4], [5, 6, 7]]]);
	});

	it('splits at midnight in the reader’s time zone', () => {
		// 14 hours ahead of UTC: 10:00 UTC is midnight.
		const kiritimati = groupByDayAndSender(messages, 'Pacific/Kiritimati');
		expect(kiritimati.map((day) => day.key)).toEqual(['2026-11-30', '2026-12-01']);
		expect(runs(kiritimati)).toEqual([[[1, 2, 3], [4], [5, 6]], [[7]]]);
		// 8 hours behind: 08:00 UTC is midnight.
		const losAngeles = groupByDayAndSender(messages, 'America/Los_Angeles');
		expect(losAngeles.map((day) => day.key)).toEqual(['2026-11-29', '2026-11-30']);
		expect(runs(losAngeles)).toEqual([[[1, 2, 3], [4], [5, 6]], [[7]]]);
	});

	it('gives nothing for no messages', () => {
		expect(groupByDayAndSender([], 'UTC')).toEqual([]);
	});
});
