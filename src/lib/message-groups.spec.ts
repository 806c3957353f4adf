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
	it('splits by UTC day, then by runs of one sender, in order', () => {
		const days = groupByDayAndSender(messages);
		expect(days.map((day) => day.key)).toEqual(['2026-11-29', '2026-11-30']);
		expect(idsOf(days)).toEqual([[[1, 2]], [[3], [4], [5, 6]]]);
		expect(days.map((day) => day.newFrom)).toEqual([null, null]);
	});

	it('begins a run at the first new message, and says which', () => {
		const days = groupByDayAndSender(messages, 6);
		expect(idsOf(days)).toEqual([[[1, 2]], [[3], [4], [5], [6]]]);
		expect(days.map((day) => day.newFrom)).toEqual([null, 3]);
		// One that begins a run already, or a day.
		expect(groupByDayAndSender(messages, 4).map((day) => day.newFrom)).toEqual([null, 1]);
		expect(groupByDayAndSender(messages, 3).map((day) => day.newFrom)).toEqual([null, 0]);
		expect(idsOf(groupByDayAndSender(messages, 3))).toEqual(idsOf(groupByDayAndSender(messages)));
	});

	it('gives nothing for no messages', () => {
		expect(groupByDayAndSender([])).toEqual([]);
	});
});
