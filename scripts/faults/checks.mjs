// What the fault run asserts about each answer, and the figures it reports.
import { parseJson } from './client.mjs';

// Signs of an error's inside shown to a user: a file with line and column (a stack frame), the
// server's paths, error class names, the driver's or the server's error codes.
const LEAKS = [
	/[\w/.-]+\.(?:js|ts|mjs|cjs|svelte):\d+:\d+/,
	/node_modules|node:internal|\/build\/server/,
	/\b(?:PostgresError|DrizzleQueryError|TypeError|ReferenceError|RangeError)\b/,
	/\b(?:CONNECTION_(?:CLOSED|ENDED|DESTROYED)|CONNECT_TIMEOUT|ECONNREFUSED|ECONNRESET|57P0[123])\b/
];

export const leaks = (text) => LEAKS.some((pattern) => pattern.test(text ?? ''));

/** Whether the answer is the one a working app gives. */
export function succeeded(answer) {
	return answer.kind === 'reply' ? answer.acknowledged : answer.status === 200;
}

/**
 * What is wrong with one answer, or null. A 503 is allowed (that is the point) but must say so
 * clearly, carry Retry-After, and keep what was typed. No answer at all is allowed only where
 * the scenario kills or stops the server.
 */
export function problemWith(answer, { noAnswerAllowed = false } = {}) {
	const what = `${answer.kind === 'reply' ? `reply (${answer.enhanced ? 'enhanced' : 'plain'})` : `GET ${answer.path}`}`;
	if (answer.status === 0) return noAnswerAllowed ? null : `${what}: no answer (${answer.error})`;
	if (leaks(answer.body)) return `${what}: ${answer.status} shows an error's inside`;
	if (answer.status === 503) {
		if (!answer.retryAfter) return `${what}: 503 without Retry-After`;
		if (answer.kind === 'reply' && answer.enhanced) {
			const result = parseJson(answer.body);
			if (result?.type !== 'error' || !/temporarily unavailable/i.test(result.error?.message))
				return `${what}: 503 is not an action error saying so: ${answer.body.slice(0, 200)}`;
			return null;
		}
		if (!/temporarily unavailable/i.test(answer.body)) return `${what}: 503 page does not say so`;
		if (answer.kind === 'reply' && !answer.body.includes(answer.content))
			return `${what}: the 503 page lost the typed reply`;
		return null;
	}
	if (!succeeded(answer)) {
		const where = answer.location ? ` to ${answer.location}` : '';
		return `${what}: ${answer.status}${where}: ${answer.body?.replace(/\s+/g, ' ').slice(0, 160)}`;
	}
	return null;
}

const seconds = (ms) => Math.round(ms) / 1000;

/**
 * Per fault: the failed answers, when the last failure ended and when the first request sent
 * after the database was back succeeded (both from that moment), and whether every request
 * sent `limitMs` after it succeeded.
 */
export function recoveryOf(answers, fault, nextFaultAt, limitMs) {
	// An answer belongs to the fault before it ended: one cut by the next fault is the next's.
	const during = answers.filter((a) => a.ended >= fault.at && a.ended < nextFaultAt);
	const failed = during.filter((a) => !succeeded(a));
	const afterBack = during.filter((a) => a.started >= fault.back);
	const firstSuccess = afterBack.find(succeeded);
	const lateFailures = failed.filter((a) => a.started >= fault.back + limitMs);
	return {
		fault: fault.name,
		failed: failed.length,
		lastFailure: failed.length
			? seconds(Math.max(...failed.map((a) => a.ended)) - fault.back)
			: null,
		recovery: firstSuccess ? seconds(firstSuccess.ended - fault.back) : null,
		lateFailures: lateFailures.length
	};
}

/**
 * Compares the replies the app acknowledged with the rows stored: each acknowledged reply is
 * there exactly once, with the id it was acknowledged with; no content is stored twice.
 */
export function durabilityProblems(answers, rows) {
	const stored = new Map();
	for (const row of rows) stored.set(row.content, [...(stored.get(row.content) ?? []), row.id]);
	const problems = [];
	const acknowledged = answers.filter((a) => a.kind === 'reply' && a.acknowledged);
	for (const answer of acknowledged) {
		const ids = stored.get(answer.content) ?? [];
		if (ids.length !== 1 || Number(ids[0]) !== answer.messageId)
			problems.push(
				`acknowledged reply ${answer.content} (#${answer.messageId}) stored as [${ids}]`
			);
	}
	for (const [content, ids] of stored)
		if (ids.length > 1) problems.push(`${content} stored ${ids.length} times`);
	const acknowledgedContents = new Set(acknowledged.map((a) => a.content));
	const unacknowledgedStored = [...stored.keys()].filter((c) => !acknowledgedContents.has(c));
	return {
		problems,
		acknowledged: acknowledged.length,
		unacknowledgedStored: unacknowledgedStored.length
	};
}

// What a server says in the normal course of things: it started, a request met the database
// down (one line), its LISTEN connection came back after a drop.
const EXPECTED_OUTPUT = [
	/^Listening on /,
	/^503 \w+ \S+: database unavailable \(/,
	/^Listening for mailbox changes again; every open stream re-syncs\.$/
];

/** Server output other than the lines above: errors, traces. */
export function unexpectedOutput(output) {
	return output
		.split('\n')
		.filter((line) => line.trim() && !EXPECTED_OUTPUT.some((pattern) => pattern.test(line)));
}
