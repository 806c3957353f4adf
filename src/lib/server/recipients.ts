import { isolate } from '$lib/bidi';
import { m } from '$lib/paraglide/messages';
import { canonicalUsername, parseRecipients } from '../schemas';
import type { SessionUser } from './auth';
import type { DB } from './db/client';
import { maxRecipients } from './limits';
import { findUsersByName } from './users';

/** The people a To field names, or why it names no one a message can go to. */
export type Recipients = { users: SessionUser[]; error?: never } | { error: string; users?: never };

/**
 * The recipient rules of SPEC §5 in one place: the To field's names, each once in any case, at
 * most the maximum (the schema's, or the deployer's lower one), every one a user, and not the
 * sender. The names are parsed once, and looked up in one statement.
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

	const users = await findUsersByName(db, names);
	const found = new Set(users.map((user) => canonicalUsername(user.username)));
	const unknown = names.filter((name) => !found.has(canonicalUsername(name)));
	if (unknown.length) {
		const quoted = unknown.map((name) => m.quoted({ text: isolate(name) }));
		return { error: m.no_user_named({ names: quoted.join(', ') }) };
	}
	if (users.some((user) => user.id === sender.id)) return { error: m.not_to_yourself() };
	return { users };
}
