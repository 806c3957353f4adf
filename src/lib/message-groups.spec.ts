import { describe, expect, it } from 'vitest';
import { groupByDayAndSender } from './message-groups';

const at = (iso: string, sender: string, id: number) => ({ id, sender, sentAt: new Date(iso) });

const messages = [
	at('2026-11-29T22:00:00Z', 'ann', 1),
	at('2026-11-29T23:59:00Z', 'ann', 2),
	at('2026-11-30T00:01:00Z', 'ann', 3),
	at('2026-11-30T01:00:00Z', 'ben', 4),
	at('2026-11-30T02:00:00Z', 'ann', 5),
	at('2026-11-30T03:00:00Z', 'ann', 6)
];

const idsOf = (days: ReturnType<typeof groupByDayAndSender>) =>
	days.map((day) => day.runs.map((run) => run.map((m) => m.id)));

describe('groupByDayAndSender', () => {
	const days7 = [
		at('2026-11-29T22:00:00Z', 'ann', 1),
		at('2026-11-29T23:59:00Z', 'ann', 2),
		at('2026-11-30T00:01:00Z', 'ann', 3),
		at('2026-11-30T01:00:00Z', 'ben', 4),
		at('2026-11-30T02:00:00Z', 'ann', 5),
		at('2026-11-30T03:00:00Z', 'ann', 6),
		at('2026-11-30T10:30:00Z', 'ann', 7)
	];
	const runs = (days: ReturnType<typeof groupByDayAndSender<(typeof days7)[number]>>) =>
		days.map((day) => day.runs.map((run) => run.map((m) => m.id)));

	it('splits by day, then by runs of one sender, in order', () => {
		const days = groupByDayAndSender(days7, 'UTC');
		expect(days.map((day) => day.key)).toEqual(['2026-11-29', '2026-11-30']);
		expect(runs(days)).toEqual([[[1, 2]], [[3], [4], [5, 6, 7]]]);
	});

	it('splits at midnight in the reader’s time zone', () => {
		// 14 hours ahead of UTC: 10:00 UTC is midnight.
		const kiritimati = groupByDayAndSender(days7, 'Pacific/Kiritimati');
		expect(kiritimati.map((day) => day.key)).toEqual(['2026-11-30', '2026-12-01']);
		expect(runs(kiritimati)).toEqual([[[1, 2, 3], [4], [5, 6]], [[7]]]);
		// 8 hours behind: 08:00 UTC is midnight.
		const losAngeles = groupByDayAndSender(days7, 'America/Los_Angeles');
		expect(losAngeles.map((day) => day.key)).toEqual(['2026-11-29', '2026-11-30']);
		expect(runs(losAngeles)).toEqual([[[1, 2, 3], [4], [5, 6]], [[7]]]);
	});

	it('begins a run at the first new message, and says which', () => {
		expect(groupByDayAndSender(messages, 'UTC').map((day) => day.newFrom)).toEqual([null, null]);
		const days = groupByDayAndSender(messages, 'UTC', 6);
		expect(idsOf(days)).toEqual([[[1, 2]], [[3], [4], [5], [6]]]);
		expect(days.map((day) => day.newFrom)).toEqual([null, 3]);
		// One that begins a run already, or a day.
		expect(groupByDayAndSender(messages, 'UTC', 4).map((day) => day.newFrom)).toEqual([null, 1]);
		expect(groupByDayAndSender(messages, 'UTC', 3).map((day) => day.newFrom)).toEqual([null, 0]);
		expect(idsOf(groupByDayAndSender(messages, 'UTC', 3))).toEqual(
			idsOf(groupByDayAndSender(messages, 'UTC'))
		);
	});

	it('gives nothing for no messages', () => {
		expect(groupByDayAndSender([], 'UTC')).toEqual([]);
	});
});
