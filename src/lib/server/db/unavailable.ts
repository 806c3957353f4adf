// Errors that mean the database could not be reached or dropped the connection: a restart, a
// failover, a killed backend. The same request may well succeed a few seconds later, so it is
// answered 503, not 500. Anything else (a constraint, a syntax error, a bug) is not one of them.

const unavailableCodes = new Set([
	// postgres.js: a connection that closed, was ended, or never opened.
	'CONNECTION_CLOSED',
	'CONNECTION_ENDED',
	'CONNECTION_DESTROYED',
	'CONNECT_TIMEOUT',
	// Node's sockets.
	'ECONNREFUSED',
	'ECONNRESET',
	'EPIPE',
	'ETIMEDOUT',
	'EHOSTUNREACH',
	'EAI_AGAIN',
	// SQLSTATE: admin_shutdown, crash_shutdown, cannot_connect_now (starting or shutting down).
	'57P01',
	'57P02',
	'57P03'
]);

interface CodedError {
	code: string;
	message?: string;
}

function isUnavailableCode(code: unknown): boolean {
	// SQLSTATE class 08: connection exceptions.
	return typeof code === 'string' && (unavailableCodes.has(code) || /^08[0-9A-Z]{3}$/.test(code));
}

/**
 * The error inside `error` that says the database is out of reach, if there is one. drizzle wraps
 * the driver's error (as its `cause`), and Node reports a failed connection to several addresses
 * as an AggregateError (`errors`), so both are looked into.
 */
export function unavailableCause(error: unknown, depth = 0): CodedError | undefined {
	if (!error || typeof error !== 'object' || depth > 4) return undefined;
	if ('code' in error && isUnavailableCode(error.code)) return error as CodedError;
	const inner = [
		'cause' in error ? error.cause : undefined,
		...('errors' in error && Array.isArray(error.errors) ? error.errors : [])
	];
	for (const candidate of inner) {
		const found = unavailableCause(candidate, depth + 1);
		if (found) return found;
	}
	return undefined;
}

export function isDatabaseUnavailable(error: unknown): boolean {
	return unavailableCause(error) !== undefined;
}
