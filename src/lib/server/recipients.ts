import { isolate } from '$lib/bidi';
import { m } from '$lib/paraglide/messages';
import { canonicalUsername, parseRecipients } from '../schemas';
import type { SessionUser } from './auth';
import type { DB } from './db/client';
import { DmPolicy } from './db/schema';
import { maxRecipients } from './limits';
import { closeMatches, findRecipients, type Recipient } from './reach';

/**
 * The people a To field names, and which of them get it as a message request; or why it names
 * no one a message can go to.
 */
export type Recipients =
	| { users: SessionUser[]; requests: number[]; error?: never }
	| { error: string; users?: never; requests?: never };

const quote = (names: string[]) =>
	names.map((name) => m.quoted({ text: isolate(name) })).join(', ');

/** Whether `writer` may start a thread with the user, or add them to one (their `DmPolicy`). */
function mayReach(user: Recipient): boolean {
	if (user.blocked) return false;
	if (user.dmPolicy === DmPolicy.nobody) return false;
	if (user.dmPolicy === DmPolicy.writtenWith) return user.writtenWith;
	return true;
}

/**
 * The recipient rules of SPEC §5 and of who may be reached, in one place (compose, and adding
 * people): the To field's names, each once in any case, at most the maximum (the schema's, or
 * the deployer's lower one), every one a user (else close matches are offered), the writer
 * among others dropped, and each one willing to hear from them. The names are parsed once, and
 * looked up, with all that the rules ask of each, in one statement. Someone who cannot be
 * reached is told so in the same words whatever the reason: a block is never revealed.
 */
export async function resolveRecipients(
	db: DB,
	sender: Pick<SessionUser, 'id'>,
	to: string
): Promise<Recipients> {
	const names = parseRecipients(to);
	if (names.length === 0) return { error: m.rule_to_required() };
	const max = maxRecipients();
	if (names.length > max) return { error: m.rule_too_many_recipients({ max }) };

	const found = await findRecipients(db, sender.id, names);
	const known = new Set(found.map((user) => canonicalUsername(user.username)));
	const unknown = names.filter((name) => !known.has(canonicalUsername(name)));
	if (unknown.length) {
		const error = m.no_user_named({ names: quote(unknown) });
		const matches = await closeMatches(db, unknown);
		return {
			error: matches.length ? `${error} ${m.did_you_mean({ names: quote(matches) })}` : error
		};
	}
	// Oneself among others is dropped; alone, it is a mistake worth saying.
	const users = found.filter((user) => user.id !== sender.id);
	if (users.length === 0) return { error: m.not_to_yourself() };
	const unreachable = users.filter((user) => !mayReach(user));
	if (unreachable.length) {
		return { error: m.cannot_be_messaged({ names: quote(unreachable.map((u) => u.username)) }) };
	}
	const waiting = users.filter((user) => user.requestPending);
	if (waiting.length) {
		return { error: m.request_not_accepted({ names: quote(waiting.map((u) => u.username)) }) };
	}
	const requests = users.filter((user) => user.dmPolicy === DmPolicy.requests && !user.writtenWith);
	return {
		users: users.map(({ id, username }) => ({ id, username })),
		requests: requests.map((user) => user.id)
	};
}
