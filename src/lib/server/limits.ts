import { sha256 } from '@oslojs/crypto/sha2';
import { encodeHexLowerCase } from '@oslojs/encoding';
import { type RequestEvent } from '@sveltejs/kit';
import { message, type SuperValidated } from 'sveltekit-superforms';
import { env } from '$env/dynamic/private';
import { MAX_RECIPIENTS, canonicalUsername } from '$lib/schemas';
import { db } from './db';
import { waitText } from '$lib/time';
import { clearHits, hitAll, type RateLimit } from './rate-limit';

const MINUTE = 60;

// The abuse limits and their defaults; each `max` can be changed by the environment variable
// named beside it (0 turns that limit off). The README's configuration table lists them. The
// log-in and sign-up limits guard against strangers; the sending ones, against a runaway script
// on an account, so they sit above anything a person or a test of the forms does.
const LIMITS = {
	loginPerAccount: { variable: 'LIMIT_LOGIN_PER_ACCOUNT', max: 10, windowSeconds: 15 * MINUTE },
	loginPerAddress: { variable: 'LIMIT_LOGIN_PER_ADDRESS', max: 100, windowSeconds: 15 * MINUTE },
	signupPerAddress: { variable: 'LIMIT_SIGNUP_PER_ADDRESS', max: 30, windowSeconds: 60 * MINUTE },
	messagesPerMinute: { variable: 'LIMIT_MESSAGES_PER_MINUTE', max: 120, windowSeconds: MINUTE },
	threadsPerDay: { variable: 'LIMIT_THREADS_PER_DAY', max: 1000, windowSeconds: 24 * 60 * MINUTE },
	lookupsPerMinute: { variable: 'LIMIT_LOOKUPS_PER_MINUTE', max: 300, windowSeconds: MINUTE }
};

export type LimitName = keyof typeof LIMITS;

/** A limit with the environment's setting applied. Read on each use, so tests can change it. */
function limitOf(name: LimitName): RateLimit {
	const { variable, max, windowSeconds } = LIMITS[name];
	const setting = Number(env[variable]);
	return { max: env[variable] && Number.isInteger(setting) ? setting : max, windowSeconds };
}

/** Recipients one message may have: `LIMIT_RECIPIENTS`, never more than the rule of SPEC §5. */
export function maxRecipients(): number {
	const setting = Number(env.LIMIT_RECIPIENTS);
	return setting > 0 && setting < MAX_RECIPIENTS ? Math.floor(setting) : MAX_RECIPIENTS;
}

/**
 * The request's address, as adapter-node reports it (behind a proxy: set `ADDRESS_HEADER`).
 * When the configured header is missing, all such requests share one counter rather than none.
 */
function clientAddress(event: Pick<RequestEvent, 'getClientAddress'>): string {
	try {
		return event.getClientAddress();
	} catch {
		return 'unknown';
	}
}

/** 127.0.0.0/8 and ::1, also written as IPv4-mapped IPv6 addresses. */
export function isLoopback(address: string): boolean {
	return /^(::ffff:)?127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/i.test(address) || address === '::1';
}

let loopbackNoted = false;

/**
 * The hit against a per-address limit for this request, or none when it comes from the machine
 * itself. Such a request is local tooling (a test suite signs up many people), or a reverse proxy
 * that does not pass the client's address on, where one counter for everybody would turn away
 * every visitor once a few had signed up; the per-account and per-user limits still apply.
 */
export function perAddress(
	name: 'loginPerAddress' | 'signupPerAddress',
	event: Pick<RequestEvent, 'getClientAddress'>
): [LimitName, string][] {
	const address = clientAddress(event);
	if (!isLoopback(address)) return [[name, address]];
	if (!loopbackNoted && !env.ADDRESS_HEADER && limitOf(name).max > 0) {
		loopbackNoted = true;
		console.warn(
			'Requests from this machine are not limited per address. Behind a reverse proxy, set ADDRESS_HEADER so that they are.'
		);
	}
	return [];
}

/**
 * The hit against the per-account limit for a log-in name, counted under its canonical form (white
 * space around it ignored, as log-in ignores it), so that ` Alice`, `ALICE` and `alice` share one
 * counter. A name that no account can have gets none: it is refused as unknown however often it
 * is tried, and the per-address limit counts it.
 */
export function perAccount(username: string): [LimitName, string][] {
	const account = canonicalUsername(username.trim());
	return account === null ? [] : [['loginPerAccount', account]];
}

/**
 * A counter's key: the limit's name and a hash of what is counted (a username as typed can be
 * anything, NUL and lone surrogates included, and any length).
 */
function counterKey(name: LimitName, key: string): string {
	return `${name}:${encodeHexLowerCase(sha256(new TextEncoder().encode(key)))}`;
}

/**
 * Counts a hit against each named limit for its key, and gives the seconds to wait when any of
 * them is exceeded (the longest wait), or null when the request may go ahead.
 */
export function checkLimits(hits: [name: LimitName, key: string][]): Promise<number | null> {
	return hitAll(
		db,
		hits.map(([name, key]) => ({ key: counterKey(name, key), limit: limitOf(name) }))
	);
}

/** The form again with a 429 and a message (given how long to wait) that says so. */
export function tooMany<T extends Record<string, unknown>, In extends Record<string, unknown>>(
	event: RequestEvent,
	form: SuperValidated<T, string, In>,
	say: (inputs: { wait: string }) => string,
	seconds: number
) {
	event.setHeaders({ 'retry-after': String(seconds) });
	return message(form, say({ wait: waitText(seconds) }), { status: 429 });
}

/** Forgets the hits counted for these keys, e.g. an account's failed log-ins once it gets in. */
export async function clearLimits(hits: [name: LimitName, key: string][]) {
	for (const [name, key] of hits) await clearHits(db, counterKey(name, key));
}
