import { describe, expect, it } from 'vitest';
import { groupByDayAndSender } from './message-groups';

const at = (iso: string, sender: string, id: number) => ({ id, sender, sentAt: new Date(iso) });

describe('groupByDayAndSender', () => {
	it('splits by UTC day, then by runs of one sender, in order', () => {
		const messages = [
			at('2026-11-29T22:00:00Z', 'ann', 1),
			at('2026-11-29T23:59:00Z', 'ann', 2),
			at('2026-11-30T00:01:00Z', 'ann', 3),
			at('2026-11-30T01:00:00Z', 'ben', 4),
			at('2026-11-30T02:00:00Z', 'ann', 5),
			at('2026-11-30T03:00:00Z', 'ann', 6)
		];
		const days = groupByDayAndSender(messages);
		expect(days.map((day) => day.key)).toEqual(['2026-11-29', '2026-11-30']);
		expect(days.map((day) => day.runs.map((run) => run.map((m) => m.id)))).toEqual([
			[[1, 2]],
			[[3], [4], [5, 6]]
		]);
	});

	it('gives nothing for no messages', () => {
		expect(groupByDayAndSender([])).toEqual([]);
	});
});
