import { beforeAll, describe, expect, it } from 'vitest';
import { openDb } from './db';
import { checkLimits, clearLimit } from './limits';

describe('checkLimits', () => {
	beforeAll(() => openDb({ dataDir: 'memory://' }));

	it('counts any key a user can type: NUL, lone surrogates, 100,000 characters', async () => {
		const typed = `mallory\0\ud800${'x'.repeat(100_000)}`;
		for (let attempt = 1; attempt <= 10; attempt++) {
			expect(await checkLimits([['loginPerAccount', typed]])).toBeNull();
		}
		expect(await checkLimits([['loginPerAccount', typed]])).toBeGreaterThan(0);
		// Other accounts count on their own; clearing forgets this one.
		expect(await checkLimits([['loginPerAccount', 'mallory']])).toBeNull();
		await clearLimit('loginPerAccount', typed);
		expect(await checkLimits([['loginPerAccount', typed]])).toBeNull();
	});

	it('gives the longest wait when several limits are over', async () => {
		const user = `user-${Math.random()}`;
		let wait: number | null = null;
		for (let sent = 0; sent <= 100; sent++) {
			wait = await checkLimits([
				['messagesPerMinute', user],
				['threadsPerDay', user]
			]);
		}
		// Over both: the day's window ends later than the minute's.
		expect(wait).toBeGreaterThan(60);
	});
});
