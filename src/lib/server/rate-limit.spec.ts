import { eq, sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { rateLimits } from './db/schema';
import { clearHits, hitAll, sweepRateLimits, type RateLimit } from './rate-limit';
import { databases, useDatabase } from './http/testing';

const uniqueKey = () => `test:${Math.random().toString(36).slice(2)}`;

describe.each(databases)('rate limits on %s', (_, options) => {
	const db = useDatabase(options);
	const limit = { max: 3, windowSeconds: 600 };
	/** One counter's hit, as a request with one limit makes it. */
	const hit = (key: string, limit: RateLimit) => hitAll(db(), [{ key, limit }]);

	it('allows max hits per window, then gives the seconds left in it', async () => {
		const key = uniqueKey();
		for (let i = 0; i < 3; i++) expect(await hit(key, limit)).toBeNull();
		const wait = await hit(key, limit);
		expect(wait).toBeGreaterThan(0);
		expect(wait).toBeLessThanOrEqual(600);
		// Other keys count on their own.
		expect(await hit(uniqueKey(), limit)).toBeNull();
	});

	it('lets no more than max through when hits arrive together', async () => {
		const key = uniqueKey();
		const waits = await Promise.all(Array.from({ length: 20 }, () => hit(key, limit)));
		expect(waits.filter((wait) => wait === null)).toHaveLength(3);
	});

	it('counts several counters in one statement, and waits for the longest exceeded window', async () => {
		const [minute, hour, spare] = [uniqueKey(), uniqueKey(), uniqueKey()];
		const counters = [
			{ key: minute, limit: { max: 1, windowSeconds: 60 } },
			{ key: hour, limit: { max: 2, windowSeconds: 3600 } },
			{ key: spare, limit: { max: 100, windowSeconds: 60 } }
		];
		// Seconds left in the current window of this length (windows follow the clock).
		const left = (window: number) => window - ((Date.now() / 1000) % window);
		expect(await hitAll(db(), counters)).toBeNull();
		// Only the minute counter is over: its wait.
		expect(Math.abs((await hitAll(db(), counters))! - left(60))).toBeLessThanOrEqual(2);
		// Both over: the longer of the two waits.
		const both = await hitAll(db(), counters);
		expect(Math.abs(both! - Math.max(left(60), left(3600)))).toBeLessThanOrEqual(2);
		const rows = await db().select().from(rateLimits);
		const hitsOf = (key: string) => rows.find((row) => row.key === key)?.hits;
		expect([hitsOf(minute), hitsOf(hour), hitsOf(spare)]).toEqual([3, 3, 3]);
	});

	it('starts counting again in a new window', async () => {
		const key = uniqueKey();
		for (let i = 0; i < 4; i++) await hit(key, limit);
		expect(await hit(key, limit)).not.toBeNull();
		// As if the window had begun an hour ago.
		await db()
			.update(rateLimits)
			.set({ windowStart: sql`${rateLimits.windowStart} - interval '1 hour'` })
			.where(eq(rateLimits.key, key));
		expect(await hit(key, limit)).toBeNull();
		const [row] = await db().select().from(rateLimits).where(eq(rateLimits.key, key));
		expect(row.hits).toBe(1);
	});

	it('forgets a key on clearHits, and does nothing with a max of 0', async () => {
		const key = uniqueKey();
		for (let i = 0; i < 4; i++) await hit(key, limit);
		await clearHits(db(), key);
		expect(await hit(key, limit)).toBeNull();

		const off = uniqueKey();
		for (let i = 0; i < 5; i++) expect(await hit(off, { max: 0, windowSeconds: 60 })).toBeNull();
		expect(await db().select().from(rateLimits).where(eq(rateLimits.key, off))).toEqual([]);
	});

	it('sweeps counters whose window ended days ago, and only those', async () => {
		const [old, recent] = [uniqueKey(), uniqueKey()];
		await hit(old, limit);
		await hit(recent, limit);
		await db()
			.update(rateLimits)
			.set({ windowStart: sql`now() - interval '3 days'` })
			.where(eq(rateLimits.key, old));

		await sweepRateLimits(db());

		const left = await db().select({ key: rateLimits.key }).from(rateLimits);
		expect(left.map((row) => row.key)).toContain(recent);
		expect(left.map((row) => row.key)).not.toContain(old);
	});
});
