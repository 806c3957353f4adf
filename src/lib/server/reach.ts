import { desc, eq, inArray, sql, type SQL } from 'drizzle-orm';
import { unionAll } from 'drizzle-orm/pg-core';
import { canonicalUsername } from '../schemas';
import type { SessionUser } from './auth';
import type { DB } from './db/client';
import { folderPredicates } from './db/folders';
import { DmPolicy, usernameKey, users } from './db/schema';

// Who can reach whom: what the recipient rules (recipients.ts) need to know of each name, read
// in the one statement that looks the names up, so that a refusal costs no statement more.

/** A named user, as the one who writes to them stands with them. */
export interface Recipient extends SessionUser {
	/** Their `DmPolicy`. */
	dmPolicy: number;
	/** Either of the two has blocked the other. */
	blocked: boolean;
	/** Both have written in a thread they share (asked only when their policy needs it). */
	writtenWith: boolean;
	/** A thread the writer started waits in their Requests (asked only when it can). */
	requestPending: boolean;
}

/** `key like 'prefix%'` on a username key, its wildcards escaped: a range of the key's index. */
export const keyStartsWith = (key: SQL, prefix: string) =>
	sql`${key} like ${prefix.replace(/[\\%_]/g, '\\$&') + '%'}`;

// The folders of the participants rows named so below (db/folders.ts).
const inFolder = {
	mine: folderPredicates('mine'),
	r: folderPredicates('r'),
	p: folderPredicates('p')
};

/**
 * Whether `a` and `b` have both written in a thread they share. From the threads either has sent
 * in (the Sent index), each probing the other's row by primary key.
 */
export const haveWrittenWith = (a: SQL | number, b: SQL | number) => {
	const sentBy = (x: SQL | number, y: SQL | number) => sql`exists (
		select from participants mine
		join participants theirs on theirs.thread_id = mine.thread_id and theirs.user_id = ${y}
			and theirs.last_sent_message_id > 0
		where mine.user_id = ${x} and ${inFolder.mine.sent})`;
	return sql<boolean>`(${sentBy(a, b)} or ${sentBy(b, a)})`;
};

/** Whether a thread `from` started waits in `to`'s Requests (the Requests index). */
export const requestWaiting = (from: SQL | number, to: SQL | number) => sql<boolean>`exists (
	select from participants r
	where r.user_id = ${to} and ${inFolder.r.requests}
		and (select sender_id from messages where thread_id = r.thread_id order by id limit 1) = ${from})`;

/** Whether either of the two has blocked the other (the key's and the reverse index). */
export const blockedEitherWay = (a: SQL | number, b: SQL | number) => sql<boolean>`(
	exists (select from user_blocks where blocker_id = ${a} and blocked_id = ${b})
	or exists (select from user_blocks where blocker_id = ${b} and blocked_id = ${a}))`;

/**
 * The users with these usernames (in any case; unknown names left out), each with how `writerId`
 * stands with them: one statement, its subqueries run only where the user's policy asks them.
 */
export async function findRecipients(
	db: DB,
	writerId: number,
	names: string[]
): Promise<Recipient[]> {
	const keys = names.map(canonicalUsername).filter((key) => key !== null);
	if (keys.length === 0) return [];
	const { writtenWith, requests } = DmPolicy;
	const id = sql`${users.id}`;
	return db
		.select({
			id: users.id,
			username: users.username,
			dmPolicy: users.dmPolicy,
			blocked: blockedEitherWay(id, writerId),
			writtenWith: sql<boolean>`case when ${users.dmPolicy} in (${writtenWith}, ${requests})
				then ${haveWrittenWith(id, writerId)} else false end`,
			requestPending: sql<boolean>`case when ${users.dmPolicy} = ${requests}
				then ${requestWaiting(writerId, id)} else false end`
		})
		.from(users)
		.where(inArray(usernameKey(users.username), keys));
}

/**
 * Usernames close to names no one has: for each name, its neighbours in the username index on
 * either side and those sharing its first two characters (three short range scans), kept when
 * one starts with the other or they are within two edits, nearest first. One statement, asked
 * only when a name is unknown.
 */
export async function closeMatches(db: DB, unknown: string[], max = 3): Promise<string[]> {
	const names = unknown
		.map(canonicalUsername)
		.filter((key): key is string => key !== null)
		.slice(0, 3);
	if (names.length === 0) return [];
	const key = usernameKey(users.username);
	const range = (where: SQL, order: SQL, limit: number) =>
		db.select({ username: users.username }).from(users).where(where).orderBy(order).limit(limit);
	const [first, ...more] = names.flatMap((name) => [
		range(sql`${key} >= ${name}`, key, 10),
		range(sql`${key} < ${name}`, desc(key), 10),
		range(keyStartsWith(key, name.slice(0, 2)), key, 50)
	]);
	const rows = more.length ? await unionAll(first, more[0], ...more.slice(1)) : await first;
	const near = new Map<string, number>();
	for (const { username } of rows) {
		const distance = Math.min(...names.map((name) => closeness(name, username.toLowerCase())));
		if (distance <= 2) near.set(username, distance);
	}
	return [...near]
		.sort(([a, x], [b, y]) => x - y || a.localeCompare(b))
		.slice(0, max)
		.map(([username]) => username);
}

/** 0 when one starts with the other (three characters at least), else the edit distance. */
function closeness(name: string, key: string): number {
	if (key.length >= 3 && name.length >= 3 && (key.startsWith(name) || name.startsWith(key)))
		return 0;
	if (Math.abs(name.length - key.length) > 2) return 3;
	// Levenshtein over two rows; names are at most 32 characters.
	let previous = Array.from({ length: key.length + 1 }, (_, j) => j);
	for (let i = 1; i <= name.length; i++) {
		const row = [i];
		for (let j = 1; j <= key.length; j++) {
			const substitution = previous[j - 1] + (name[i - 1] === key[j - 1] ? 0 : 1);
			row.push(Math.min(previous[j] + 1, row[j - 1] + 1, substitution));
		}
		previous = row;
	}
	return previous[key.length];
}

/** How many names the To field suggests at most. */
export const LOOKUP_MAX = 10;

/**
 * The usernames starting with `prefix` (in any case) to suggest to `user` as they type a
 * recipient: first the people of their newest inbox threads (those they write with), then
 * anyone, in order; never themselves. One statement: the newest rows of the inbox index, and a
 * range of the username index, each a few rows at most.
 */
export async function lookUpUsernames(db: DB, user: SessionUser, prefix: string) {
	// The start of a name an account can have, or nothing to look for.
	if (!/^[A-Za-z0-9_.-]{1,32}$/.test(prefix)) return [];
	const key = prefix.toLowerCase();
	const [row] = await db
		.select({
			known: sql<string[]>`array(
				select distinct name from (
					select t.participant_names from participants p join threads t on t.id = p.thread_id
					where p.user_id = ${user.id} and ${inFolder.p.inbox}
					order by p.last_message_id desc limit 100
				) recent, unnest(recent.participant_names) name
				where ${keyStartsWith(sql`lower(name collate "C")`, key)})`,
			anyone: sql<string[]>`array(
				select username from users
				where ${keyStartsWith(usernameKey(users.username), key)}
				order by ${usernameKey(users.username)} limit ${LOOKUP_MAX + 1})`
		})
		.from(users)
		.where(eq(users.id, user.id));
	if (!row) return [];
	const byName = (a: string, b: string) => a.toLowerCase().localeCompare(b.toLowerCase());
	const names = new Set([...row.known.sort(byName), ...row.anyone]);
	names.delete(user.username);
	return [...names].slice(0, LOOKUP_MAX);
}
