import { createHmac, timingSafeEqual } from 'node:crypto';

// The signed links of mails: HMACs under COURIER_SECRET, so no table holds them.

const VERIFY_DAYS = 7;

function mac(secret: string, payload: string): string {
	return createHmac('sha256', secret).update(payload).digest('base64url');
}

function same(a: string, b: string): boolean {
	const [x, y] = [Buffer.from(a), Buffer.from(b)];
	return x.length === y.length && timingSafeEqual(x, y);
}

/** A link's token that proves `email` is the user's; it lapses after a week. */
export function verifyToken(secret: string, userId: number, email: string, now = Date.now()) {
	const expires = Math.floor(now / 1000) + VERIFY_DAYS * 86_400;
	return `${userId}.${expires}.${mac(secret, `verify:${userId}:${expires}:${email}`)}`;
}

const VERIFY = /^(\d{1,10})\.(\d{1,12})\.([\w-]{43})$/;

/** The user a verification token claims to be for (unchecked), or null if it is not one. */
export function verifyTokenUser(token: string): number | null {
	const match = VERIFY.exec(token);
	return match ? Number(match[1]) : null;
}

/** Whether `token` is signed for `email` (the user's address now) and has not lapsed. */
export function isVerifyToken(secret: string, token: string, email: string, now = Date.now()) {
	const match = VERIFY.exec(token);
	if (!match || Number(match[2]) * 1000 < now) return false;
	return same(match[3], mac(secret, `verify:${match[1]}:${match[2]}:${email}`));
}

/** Whose mail a token stops: of one thread, or (`all`) every notification. */
export interface Unsubscribe {
	userId: number;
	threadId: string | 'all';
}

export function unsubscribeToken(secret: string, { userId, threadId }: Unsubscribe): string {
	return `${userId}.${threadId}.${mac(secret, `unsubscribe:${userId}:${threadId}`)}`;
}

export function checkUnsubscribeToken(secret: string, token: string): Unsubscribe | null {
	const match = /^(\d{1,10})\.(all|[a-z2-7]{16})\.([\w-]{43})$/.exec(token);
	if (!match) return null;
	const [userId, threadId] = [Number(match[1]), match[2]];
	return same(match[3], mac(secret, `unsubscribe:${userId}:${threadId}`))
		? { userId, threadId }
		: null;
}
