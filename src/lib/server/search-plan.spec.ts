import type { PGlite } from '@electric-sql/pglite';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ELSEWHERE, HEAVY, RARE, seedSearch } from '../../../scripts/bench/search-seed';
import { createDb, type DbHandle } from './db/client';
import { searchMessages } from './search';

// The plan of a search for a rare word by a user in many threads, on a generated data set of its
// own (the bench's, smaller): newest first, PostgreSQL's planner would walk the messages' primary
// key backwards through every message ever sent, testing each, unless the order is `m.id + 0`
// (docs/BENCHMARKS.md, Search). It must start from the full-text index instead.

let handle: DbHandle;
const captured: { query: string; params: unknown[] }[] = [];

beforeAll(async () => {
	handle = createDb({
		dataDir: 'memory://',
		logger: { logQuery: (query, params) => captured.push({ query, params }) }
	});
	await handle.migrate();
	await seedSearch(handle.db, 50_000);
}, 120_000);
afterAll(() => handle.close());

/** The plan of the search statement that `text` makes for `user`, and what it found. */
async function planOf(user: string, text: string) {
	const found = await handle.db.query.users.findFirst({
		where: (u, { eq }) => eq(u.username, user)
	});
	captured.length = 0;
	const outcome = await searchMessages(handle.db, found!.id, text);
	const { query, params } = captured.find((c) => c.query.includes('websearch_to_tsquery'))!;
	const client = (handle.db as unknown as { $client: PGlite }).$client;
	const rows = await client.query<{ 'QUERY PLAN': string }>(`explain ${query}`, params);
	return { outcome, plan: rows.rows.map((row) => row['QUERY PLAN']).join('\n') };
}

describe('the search plan, on 50,000 generated messages', () => {
	// A word rare everywhere, and one common in others' threads but rare in the user's: the
	// planner expects to find a page of the second soon, walking back from the newest message.
	// It does so most readily when it knows nothing of how common words are, as before the word
	// statistics (migration 0009) are first analysed, which the second pass reproduces.
	for (const statistics of ['with', 'without']) {
		it.each([RARE, ELSEWHERE])(
			`finds "%s" from the full-text index, not by walking the primary key, ${statistics} word statistics`,
			async (word) => {
				if (statistics === 'without') {
					await handle.db.execute(sql`drop statistics if exists messages_search_stats`);
					await handle.db.execute(sql`analyze messages`);
				}
				const { outcome, plan } = await planOf(HEAVY, word);
				expect(outcome.status === 'found' && outcome.results.length).toBeGreaterThan(0);
				expect(plan).toMatch(/Bitmap Index Scan on messages_search_idx/);
				expect(plan, plan).not.toMatch(/Index Scan Backward using messages_pkey/);
				// At this size the planner would not walk back even ordered by `m.id` (at a million
				// messages it does: docs/BENCHMARKS.md); what keeps it from ever doing so is that the
				// order is one no index gives.
				expect(plan).toMatch(/Sort Key: \(\(m\.id \+ 0\)\) DESC/);
			}
		);
	}
});
