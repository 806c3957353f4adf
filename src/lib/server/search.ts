import { DrizzleQueryError, eq, sql, type SQL } from 'drizzle-orm';
import type { DB } from './db/client';
import { folderPredicates } from './db/folders';
import { users } from './db/schema';
import { isEmpty, parseQuery, type SearchFolder, type SearchQuery } from './search-query';

// Full-text search over the messages a user can read today, newest first: one statement per page
// at any mailbox size (docs/BENCHMARKS.md, Search).

export const SEARCH_PAGE_SIZE = 20;

/** How long one search may run before it is "too many results" (PostgreSQL; PGlite has no timer). */
export const SEARCH_TIMEOUT_MS = 2_000;

// Each folder as its index's predicate (db/folders.ts); no `in:` searches all but Deleted.
const folders: Record<SearchFolder | 'all', SQL> = {
	...folderPredicates('p'),
	all: sql`p.deleted_at is null`
};

// Where ts_headline marks a matched word. The message's own control characters of these two are
// taken out first, so a marker can only be ours. ts_headline drops what looks like a markup tag,
// so `<` is a third one while it runs (`ours`), and put back after.
const START = '\u0001';
const STOP = '\u0002';
const LESS_THAN = '\u0003';
const ours = sql`${START + STOP + LESS_THAN + '<'}, ${'   ' + LESS_THAN}`;
const MARKS = `StartSel=${START}, StopSel=${STOP}`;
/** A short message is shown whole; of a longer one, the passages around its matches. */
const EXCERPT_CHARS = 200;
const WHOLE = `${MARKS}, HighlightAll=true`;
const PASSAGES = `${MARKS}, MaxFragments=2, MaxWords=30, MinWords=12, ShortWord=0, FragmentDelimiter=" … "`;

const usernameIn = (names: string[]) =>
	sql.join(
		names.map((name) => sql`${name}`),
		sql`, `
	);

/** The moment a calendar day begins in a time zone (before midnight UTC east of Greenwich). */
export function startOfDay(day: string, timeZone: string): Date {
	const utc = Date.parse(`${day}T00:00:00Z`);
	const format = new Intl.DateTimeFormat('en-US', {
		timeZone,
		hourCycle: 'h23',
		...{ year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric' }
	});
	const offsetAt = (time: number) => {
		const part = Object.fromEntries(format.formatToParts(time).map((p) => [p.type, p.value]));
		const local = Date.UTC(+part.year, +part.month - 1, +part.day, +part.hour, +part.minute);
		return local - Math.floor(time / 60_000) * 60_000;
	};
	// Twice: the offset at the first guess may not be the one in force at midnight.
	let time = utc - offsetAt(utc);
	time = utc - offsetAt(time);
	return new Date(time);
}

/** The statement's conditions on the participant `p` and the message `m`, besides visibility. */
function conditions(query: SearchQuery, timeZone: string, before?: number): SQL[] {
	const where = [folders[query.folder ?? 'all']];
	// Written as the index is (schema.ts: `messages_search_idx`), or it is not used.
	if (query.words.trim()) {
		where.push(
			sql`to_tsvector('simple', m.content) @@ websearch_to_tsquery('simple', ${query.words})`
		);
	}
	if (query.from.length) {
		where.push(sql`m.sender_id in (select id from users
			where lower(username collate "C") in (${usernameIn(query.from)}))`);
	}
	for (const name of query.with) {
		where.push(sql`exists (select from participants w join users wu on wu.id = w.user_id
			where w.thread_id = p.thread_id and lower(wu.username collate "C") = ${name})`);
	}
	if (query.unread) where.push(sql`m.id > p.read_message_id`);
	if (query.after)
		where.push(sql`m.sent_at >= ${startOfDay(query.after, timeZone).toISOString()}::timestamptz`);
	if (query.before) {
		where.push(sql`m.sent_at < ${startOfDay(query.before, timeZone).toISOString()}::timestamptz`);
	}
	if (before !== undefined) where.push(sql`m.id < ${before}`);
	return where;
}

/**
 * A page of matches as JSON text, on the user's own row. The inner query finds one more than a
 * page: the messages of threads the user is in, within the history they can see (after where it
 * starts for them, and up to their newest, which stops moving when they leave). It orders by
 * `m.id + 0` so that the planner cannot read the primary key backwards, filtering every message
 * ever sent, when a word is rare (docs/BENCHMARKS.md). Only the rows shown get a headline.
 */
function pageJson(userId: number, query: SearchQuery, timeZone: string, before?: number) {
	const excerpt = query.words.trim()
		? sql`ts_headline('simple', translate(f.content, ${ours}),
			websearch_to_tsquery('simple', ${query.words}),
			case when length(f.content) <= ${EXCERPT_CHARS} then ${WHOLE} else ${PASSAGES} end)`
		: sql`translate(left(f.content, ${EXCERPT_CHARS}), ${ours})`;
	return sql<string>`(select coalesce(json_agg(found order by found.id desc), '[]')::text from (
		select f.id, f.thread_id as "threadId", t.subject, u.username as sender,
			f.sender_id = ${userId} as "senderIsUser", f.sent_at as "sentAt", ${excerpt} as excerpt
		from (
			select m.id, m.thread_id, m.sender_id, m.sent_at, m.content
			from participants p
			join messages m on m.thread_id = p.thread_id
				and m.id <= p.last_message_id and m.id > p.visible_from_message_id
			where p.user_id = ${userId} and m.kind = 0
				and ${sql.join(conditions(query, timeZone, before), sql` and `)}
			order by m.id + 0 desc
			limit ${SEARCH_PAGE_SIZE + 1}
		) f
		join threads t on t.id = f.thread_id
		join users u on u.id = f.sender_id
	) found)`;
}

/** A piece of an excerpt: `mark` when it is a matched word. */
export interface ExcerptPart {
	text: string;
	mark: boolean;
}

export interface SearchResult {
	/** The message's id. */
	id: number;
	threadId: string;
	subject: string;
	sender: string;
	senderIsUser: boolean;
	sentAt: Date;
	excerpt: ExcerptPart[];
}

export type SearchOutcome =
	| { status: 'empty' | 'tooLong' | 'tooMany'; unknown: string[] }
	| { status: 'found'; results: SearchResult[]; older: number | null; unknown: string[] };

/** An excerpt with its markers, as pieces: text between START and STOP is a match. */
function partsOf(excerpt: string): ExcerptPart[] {
	const parts: ExcerptPart[] = [];
	for (const [index, piece] of excerpt.split(START).entries()) {
		const [marked, rest] = index === 0 ? [null, piece] : piece.split(STOP, 2);
		if (marked) parts.push({ text: marked.replaceAll(LESS_THAN, '<'), mark: true });
		if (rest) parts.push({ text: rest.replaceAll(LESS_THAN, '<'), mark: false });
	}
	return parts;
}

/** Whether the statement was cancelled by its timeout. */
function timedOut(error: unknown) {
	const cause = (error instanceof DrizzleQueryError ? error.cause : error) as { code?: string };
	return cause?.code === '57014';
}

export interface SearchOptions {
	/** The `older` cursor of the previous page. */
	before?: number;
	/** Where `before:`/`after:` days begin and end. */
	timeZone?: string;
	timeoutMs?: number;
}

/**
 * The messages `userId` can read that match the search box's `text`, newest first, a page at a
 * time: one statement, cancelled after `timeoutMs` (then `tooMany`). Never throws for any text.
 */
export async function searchMessages(
	db: DB,
	userId: number,
	text: string,
	{ before, timeZone = 'UTC', timeoutMs = SEARCH_TIMEOUT_MS }: SearchOptions = {}
): Promise<SearchOutcome> {
	const query = parseQuery(text);
	if (!query) return { status: 'tooLong', unknown: [] };
	const { unknown } = query;
	if (isEmpty(query)) return { status: 'empty', unknown };
	let json: string;
	try {
		json = await db.transaction(async (tx) => {
			await tx.execute(sql`select set_config('statement_timeout', ${`${timeoutMs}ms`}, true)`);
			const [row] = await tx
				.select({ page: pageJson(userId, query, timeZone, before) })
				.from(users)
				.where(eq(users.id, userId));
			return row?.page ?? '[]';
		});
	} catch (error) {
		if (timedOut(error)) return { status: 'tooMany', unknown };
		throw error;
	}
	const rows = JSON.parse(json) as (Omit<SearchResult, 'sentAt' | 'excerpt'> & {
		sentAt: string;
		excerpt: string;
	})[];
	const results = rows.slice(0, SEARCH_PAGE_SIZE).map((row) => ({
		...row,
		sentAt: new Date(row.sentAt),
		excerpt: partsOf(row.excerpt)
	}));
	const older = rows.length > SEARCH_PAGE_SIZE ? results[SEARCH_PAGE_SIZE - 1].id : null;
	return { status: 'found', results, older, unknown };
}
