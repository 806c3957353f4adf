import { beforeAll, describe, expect, it } from 'vitest';
import { openDb } from './db';
import { env } from '$env/dynamic/private';
import {
	checkLimits,
	clearLimits,
	isLoopback,
	perAccount,
	perAddress,
	type LimitName
} from './limits';

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
		await clearLimits([['loginPerAccount', typed]]);
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
			// The messages limit (120 a minute) is far off; the day's is over until midnight UTC.
			const untilMidnight = 86_400 - (Math.floor(Date.now() / 1000) % 86_400);
			expect(Math.abs(wait! - untilMidnight)).toBeLessThanOrEqual(2);
		} finally {
			delete env.LIMIT_THREADS_PER_DAY;
		}
	});
});

describe('perAccount', () => {
	it('counts a log-in name under its canonical form', () => {
		for (const typed of ['alice', 'ALICE', ' Alice\t', '\u3000aLiCe\u2003']) {
			expect(perAccount(typed), typed).toEqual([['loginPerAccount', 'alice']]);
		}
	});

	it('counts no name that an account cannot have, look-alikes included', () => {
		for (const typed of [
			'alİce',
			'alıce',
			'ａｌｉｃｅ',
			'al\u00a0ice',
			'alice\u200b',
			'al',
			'',
			'a\0b'
		]) {
			expect(perAccount(typed), typed).toEqual([]);
		}
	});
});

describe('perAddress', () => {
	const from = (address: string) => ({ getClientAddress: () => address });

	it('counts every address but the machine itself', () => {
		for (const address of ['127.0.0.1', '127.8.9.10', '::1', '::ffff:127.0.0.1']) {
			expect(isLoopback(address), address).toBe(true);
			expect(perAddress('signupPerAddress', from(address))).toEqual([]);
		}
		for (const address of [
			'10.0.0.1',
			'128.0.0.1',
			'::2',
			'::ffff:10.0.0.1',
			'1270.0.0.1',
			'unknown'
		]) {
			expect(isLoopback(address), address).toBe(false);
			expect(perAddress('loginPerAddress', from(address))).toEqual([['loginPerAddress', address]]);
		}
	});

	it('counts requests whose address cannot be told under one key', () => {
		const unknown = {
			getClientAddress: () => {
				throw new Error('Address header was requested, but was absent');
			}
		};
		expect(perAddress('signupPerAddress', unknown)).toEqual([['signupPerAddress', 'unknown']]);
	});
});
