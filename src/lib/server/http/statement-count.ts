import { AsyncLocalStorage } from 'node:async_hooks';
import type { Logger } from 'drizzle-orm';

/**
 * Counts the SQL statements each request runs, when `SQL_COUNT` is set: tests and the benchmark
 * read the count from the `x-sql-statements` response header to prove it does not grow with data.
 */
const counter = new AsyncLocalStorage<{ statements: number }>();

export const statementLogger: Logger = {
	logQuery() {
		const store = counter.getStore();
		if (store) store.statements += 1;
	}
};

export async function countStatements<T>(work: () => Promise<T>): Promise<[T, number]> {
	const store = { statements: 0 };
	const result = await counter.run(store, work);
	return [result, store.statements];
}
