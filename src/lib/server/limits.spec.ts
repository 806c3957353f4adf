import { beforeAll, describe, expect, it } from 'vitest';
import { openDb } from './db';
import { env } from '$env/dynamic/private';
import { checkLimits, clearLimit, type LimitName } from './limits';

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

	it('refuses when any one of the limits is over, saying how long it has left', async () => {
		const user = `user-${Math.random()}`;
		const hits: [LimitName, string][] = [
			['messagesPerMinute', user],
			['threadsPerDay', user]
		];
		env.LIMIT_THREADS_PER_DAY = '1';
		try {
			expect(await checkLimits(hits)).toBeNull();
			const wait = await checkLimits(hits);
			// The messages limit (30 a minute) is far off; the day's is over until midnight UTC.
			const untilMidnight = 86_400 - (Math.floor(Date.now() / 1000) % 86_400);
			expect(Math.abs(wait! - untilMidnight)).toBeLessThanOrEqual(2);
		} finally {
			delete env.LIMIT_THREADS_PER_DAY;
		}
	});
});
