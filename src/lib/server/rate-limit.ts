import { eq, sql } from 'drizzle-orm';
import { preparedPerDb, type DB } from './db/client';
import { rateLimits } from './db/schema';

/** At most `max` hits per window of `windowSeconds`; a `max` of 0 turns the limit off. */
export interface RateLimit {
	max: number;
	windowSeconds: number;
}

/** A counter to hit, and the limit it is held to. */
export interface Counter {
	key: string;
	limit: RateLimit;
}

/**
 * Counts one hit against each counter (distinct keys) and says whether the request is allowed:
 * `null` when every counter is within its limit, or else the seconds until the last exceeded
 * window ends. Counting first and deciding after, in one statement, means concurrent requests
 * cannot slip past a limit together. Windows are fixed and follow the database's clock, so every
 * instance of the app agrees on them.
 */
export async function hitAll(db: DB, counters: Counter[]): Promise<number | null> {
	// In key order, so two requests hitting the same counters lock their rows in the same order.
	const counted = counters
		.filter(({ limit }) => limit.max > 0)
		.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
	if (counted.length === 0) return null;
	const rows = await hitStatement(db).execute({
		keys: counted.map((counter) => counter.key),
		windows: counted.map((counter) => counter.limit.windowSeconds)
	});
	const waits = rows.flatMap(({ key, hits, elapsed }) => {
		const { max, windowSeconds } = counted.find((counter) => counter.key === key)!.limit;
		return hits > max ? [Math.max(1, Math.ceil(windowSeconds - elapsed))] : [];
	});
	return waits.length ? Math.max(...waits) : null;
}

// Prepared once (a request's counters come as two arrays): every post runs it.
const hitStatement = preparedPerDb((db) =>
	db
		.insert(rateLimits)
		.select(
			sql`select key, to_timestamp(floor(extract(epoch from now()) / seconds) * seconds), 1
				from unnest(${sql.placeholder('keys')}::text[], ${sql.placeholder('windows')}::int[])
					as counter (key, seconds)`
		)
		.onConflictDoUpdate({
			target: rateLimits.key,
			set: {
				hits: sql`case when ${rateLimits.windowStart} = excluded.window_start
					then ${rateLimits.hits} + 1 else 1 end`,
				windowStart: sql`excluded.window_start`
			}
		})
		.returning({
			key: rateLimits.key,
			hits: rateLimits.hits,
			elapsed: sql<number>`extract(epoch from now() - ${rateLimits.windowStart})::float8`
		})
		.prepare('hit_limits')
);

/** Forgets the hits against `key`, e.g. a user's failed log-ins once they get in. */
export async function clearHits(db: DB, key: string) {
	await db.delete(rateLimits).where(eq(rateLimits.key, key));
}

/** Deletes counters whose window ended long ago; any instance may run it at any time. */
export async function sweepRateLimits(db: DB) {
	await db.delete(rateLimits).where(sql`${rateLimits.windowStart} < now() - interval '2 days'`);
}
