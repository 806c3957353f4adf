import { eq, sql } from 'drizzle-orm';
import type { DB } from './db/client';
import { rateLimits } from './db/schema';

/** At most `max` hits per window of `windowSeconds`; a `max` of 0 turns the limit off. */
export interface RateLimit {
	max: number;
	windowSeconds: number;
}

/**
 * Counts one hit against `key` and says whether it is allowed: `null` when it is, or the seconds
 * until the window ends when it is not. Counting first and deciding after (one statement) means
 * concurrent requests cannot slip past the limit together. Windows are fixed and follow the
 * database's clock, so every instance of the app agrees on them.
 */
export async function hit(db: DB, key: string, limit: RateLimit): Promise<number | null> {
	if (limit.max <= 0) return null;
	const window = limit.windowSeconds;
	const [row] = await db
		.insert(rateLimits)
		.values({
			key,
			windowStart: sql`to_timestamp(floor(extract(epoch from now()) / ${window}) * ${window})`,
			hits: 1
		})
		.onConflictDoUpdate({
			target: rateLimits.key,
			set: {
				hits: sql`case when ${rateLimits.windowStart} = excluded.window_start
					then ${rateLimits.hits} + 1 else 1 end`,
				windowStart: sql`excluded.window_start`
			}
		})
		.returning({
			hits: rateLimits.hits,
			secondsLeft: sql<number>`ceil(extract(epoch from
				${rateLimits.windowStart} + make_interval(secs => ${window}) - now()))::int`
		});
	return row.hits > limit.max ? Math.max(1, row.secondsLeft) : null;
}

/** Forgets the hits against `key`, e.g. a user's failed log-ins once they get in. */
export async function clearHits(db: DB, key: string) {
	await db.delete(rateLimits).where(eq(rateLimits.key, key));
}

/** Deletes counters whose window ended long ago; any instance may run it at any time. */
export async function sweepRateLimits(db: DB) {
	await db.delete(rateLimits).where(sql`${rateLimits.windowStart} < now() - interval '2 days'`);
}
