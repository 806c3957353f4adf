import { canonicalUsername } from '$lib/schemas';

// What a search box's text asks for: words for `websearch_to_tsquery`, and operators that
// narrow by person, folder, read state and date. Anything not understood is searched as words.

/** Longer queries are refused before any parsing: the box is for words, not documents. */
export const QUERY_MAX = 1_000;

export const SEARCH_FOLDERS = ['inbox', 'archive', 'sent', 'deleted', 'requests'] as const;
export type SearchFolder = (typeof SEARCH_FOLDERS)[number];

export interface SearchQuery {
	/** The words, quotes and `-` as typed, for `websearch_to_tsquery`; '' for none. */
	words: string;
	/** Sent by one of these (canonical usernames). */
	from: string[];
	/** In threads with each of these. */
	with: string[];
	folder: SearchFolder | null;
	unread: boolean;
	/** Sent before / on or after this day (YYYY-MM-DD), in the reader's time zone. */
	before: string | null;
	after: string | null;
	/** Operators not understood (a bad value), searched as words instead. */
	unknown: string[];
}

const OPERATOR = /^(from|with|in|is|before|after):(.*)$/is;

/** A real day of the calendar, YYYY-MM-DD. */
function isDay(value: string): boolean {
	if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) return false;
	const date = new Date(`${value}T00:00:00Z`);
	return !Number.isNaN(date.getTime()) && date.toISOString().startsWith(value);
}

/** Takes an operator into `query`; false when its value is not understood. */
function take(query: SearchQuery, name: string, value: string): boolean {
	switch (name) {
		case 'from':
		case 'with': {
			const user = canonicalUsername(value.replace(/^@/, ''));
			if (!user) return false;
			if (!query[name].includes(user)) query[name].push(user);
			return true;
		}
		case 'in': {
			const folder = SEARCH_FOLDERS.find((known) => known === value);
			if (!folder || (query.folder && query.folder !== folder)) return false;
			query.folder = folder;
			return true;
		}
		case 'is':
			return value === 'unread' && (query.unread = true);
		default: {
			const day = name === 'before' ? 'before' : 'after';
			if (!isDay(value)) return false;
			query[day] = value;
			return true;
		}
	}
}

/** The query of a search box's text; null when it is longer than `QUERY_MAX`. */
export function parseQuery(text: string): SearchQuery | null {
	if (text.length > QUERY_MAX) return null;
	const query: SearchQuery = {
		words: '',
		from: [],
		with: [],
		folder: null,
		unread: false,
		before: null,
		after: null,
		unknown: []
	};
	const words: string[] = [];
	// Quoted phrases stay whole (an operator inside quotes is words); PostgreSQL's text cannot
	// hold U+0000, so it is a space.
	for (const [token] of text.replaceAll('\0', ' ').matchAll(/"[^"]*"?|[^\s"]+/g)) {
		const operator = token.startsWith('"') ? null : OPERATOR.exec(token);
		if (!operator) words.push(token);
		else if (!take(query, operator[1].toLowerCase(), operator[2].toLowerCase())) {
			query.unknown.push(token);
			words.push(token);
		}
	}
	query.words = words.join(' ');
	return query;
}

/** Whether the query asks for anything at all (words or an operator). */
export const isEmpty = (query: SearchQuery) =>
	!query.words.trim() &&
	!query.from.length &&
	!query.with.length &&
	!query.folder &&
	!query.unread &&
	!query.before &&
	!query.after;
