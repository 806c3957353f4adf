import { DrizzleQueryError } from 'drizzle-orm/errors';

/**
 * An error as the server log may show it. drizzle puts a failed query's parameters into its
 * message and stack, and they can be a password's hash or the text of a private message; the log
 * gets the statement and PostgreSQL's own error instead.
 */
export function loggable(error: unknown): unknown {
	if (!(error instanceof DrizzleQueryError)) return error;
	const logged = new Error(`Failed query: ${error.query}`, { cause: error.cause });
	logged.stack = error.stack?.replace(error.message, logged.message);
	return logged;
}
