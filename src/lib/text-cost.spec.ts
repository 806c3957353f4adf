import { render } from 'svelte/server';
import { describe, expect, it, vi } from 'vitest';
import Message from './components/Message.svelte';
import { linkify } from './linkify';
import {
	CONTENT_MAX,
	canonicalUsername,
	composeSchema,
	loginSchema,
	namesBefore,
	parseRecipients,
	replySchema,
	signupSchema
} from './schemas';
import { preferredLocale } from './server/http/language';
import { isLoopback } from './server/limits';
import { loginRedirect, pathOnSite } from './server/session';
import { excerptOf } from './server/threads';
import { match as isThreadIdParam } from '../params/threadId';

// Message.svelte is rendered here outside a request: the page data it reads (the time zone) is
// SvelteKit's, so give it a page's.
vi.mock('$app/state', () => ({ page: { data: { timeZone: 'UTC' } } }));

// Every function that runs over what a user typed or sent, fed text crafted to cost it the most,
// at the most that input can hold, must cost at most BOUND times what plain prose of the same
// length costs, measured in the same run (never an absolute time: the machine may be busy).
// Linear code stays within a small factor: the worst here is about 5 (Svelte escaping markup, zod
// counting the code points of lone surrogates). A cost that grows with the square of the length
// (a regular expression that backtracks) is hundreds or thousands of times over at these lengths.
const BOUND = 10;

/** A form field as posted: adapter-node's default body limit, 512 KiB. */
const FIELD_MAX = 512 * 1024;
/** A path, query or header: Node's limit on a request's head, 16 KiB. */
const HEAD_MAX = 16 * 1024;

const fill = (unit: string, length: number) =>
	unit.repeat(Math.ceil(length / unit.length)).slice(0, length);
const prose = (length: number) => fill('The quick brown fox jumps over the lazy dog. ', length);

/** Text crafted against each kind of processing, `length` code units long. */
function craftedTexts(length: number): [string, string][] {
	const run = (start: string, unit: string, end = '') =>
		start + fill(unit, length - start.length - end.length) + end;
	return [
		['an address and a run of dots, then a letter', run('http://a', '.', 'x')],
		['an address ending in a run of dots', run('http://a', '.')],
		['an address and closing brackets', run('http://a(', ')')],
		['an address and mixed punctuation', run('http://a', `.,:;!?'")]}`)],
		['as many addresses as fit', fill('http://a ', length)],
		['addresses, each with punctuation', fill('http://a.), ', length)],
		['malformed addresses', fill('http://[ ', length)],
		['addresses with bad ports', fill('http://a:99999 ', length)],
		['schemes with nothing after', fill('https://', length)],
		['one long address', run('http://a/', 'a.b/')],
		['brackets', fill('([{<', length)],
		['one long word', fill('a', length)],
		['one long word, then a comma', run('', 'a', ',')],
		['white space, then a word', run('', ' ', 'a')],
		['Unicode white space, then a word', run('', '\u00a0\u2003\u3000\u2028', 'a')],
		['one-letter words', fill('a ', length)],
		['separators', fill(', \n\t', length)],
		['emoji with skin tones', fill('👍🏽', length)],
		['combining marks', fill('e\u0301\u0301\u0301', length)],
		['lone surrogates', fill('\ud800a', length)],
		['NUL characters', fill('\0', length)],
		['markup', fill('<a href="&">', length)],
		['letters that lower-case longer', fill('İ', length)],
		['right-to-left text and controls', fill('שלום \u202e', length)]
	];
}

/** The same texts as they reach the server in a path or header: percent-encoded, or bare ASCII. */
function craftedPaths(length: number): [string, string][] {
	return [
		...craftedTexts(length).map(([name, text]): [string, string] => [
			`${name}, percent-encoded`,
			encodeURIComponent(text.toWellFormed()).slice(0, length)
		]),
		['slashes', fill('/', length)],
		['encoded slashes', fill('%2F', length)],
		['dot segments', fill('/..', length)],
		['question marks', fill('?', length)],
		['digits and dots', fill('127.', length)]
	];
}

// Some functions do next to nothing with prose (linkify skips from one "h" to the next, trim
// looks only at the ends), so what plain text costs is taken as at least what showing it costs,
// which every message of that length pays.
const show = (content: string) =>
	render(Message, {
		props: { message: { id: 1, sender: 'ann', mine: false, content, sentAt: new Date(0) } }
	}).body;

interface Case {
	name: string;
	/** The most text this function can be given. */
	length: number;
	run: (text: string) => unknown;
	crafted: (length: number) => [string, string][];
}

const cases: Case[] = [
	{
		name: 'showing a message (Message.svelte)',
		length: CONTENT_MAX,
		run: show,
		crafted: craftedTexts
	},
	{ name: 'linkify', length: CONTENT_MAX, run: linkify, crafted: craftedTexts },
	{ name: 'excerptOf', length: CONTENT_MAX, run: excerptOf, crafted: craftedTexts },
	{ name: 'parseRecipients', length: FIELD_MAX, run: parseRecipients, crafted: craftedTexts },
	{
		name: 'namesBefore (compose’s suggestions)',
		length: FIELD_MAX,
		run: namesBefore,
		crafted: craftedTexts
	},
	{ name: 'canonicalUsername', length: FIELD_MAX, run: canonicalUsername, crafted: craftedTexts },
	{
		name: 'composeSchema',
		length: FIELD_MAX,
		// As a post is read: the schema, then the To field's names (recipients.ts).
		run: (text) => [
			composeSchema.safeParse({ to: text, subject: text, message: text }),
			parseRecipients(text)
		],
		crafted: craftedTexts
	},
	{
		name: 'replySchema',
		length: FIELD_MAX,
		run: (content) => replySchema.safeParse({ content }),
		crafted: craftedTexts
	},
	{
		name: 'signupSchema and loginSchema',
		length: FIELD_MAX,
		run: (username) => [
			signupSchema.safeParse({ username, password: username }),
			loginSchema.safeParse({ username, password: username })
		],
		crafted: craftedTexts
	},
	{
		name: 'the redirect to log-in and back (loginRedirect, pathOnSite)',
		length: HEAD_MAX,
		run: (path) => {
			const url = new URL(`http://courier.test/${path}`);
			return [loginRedirect(url), pathOnSite(`/${path}`, url)];
		},
		crafted: craftedPaths
	},
	{
		name: 'the route’s thread id matcher',
		length: HEAD_MAX,
		run: isThreadIdParam,
		crafted: craftedPaths
	},
	{
		name: 'isLoopback (a forwarded address)',
		length: HEAD_MAX,
		run: isLoopback,
		crafted: craftedPaths
	},
	{
		name: 'the language from Accept-Language',
		length: HEAD_MAX,
		run: preferredLocale,
		crafted: (length) => [
			...craftedPaths(length),
			['many languages', fill('de-DE;q=0.5,', length)],
			['empty entries', fill(',', length)],
			['many weights', fill(';q=', length)]
		]
	}
];

/**
 * The CPU time one batch of `count` calls takes, in milliseconds: CPU time, not the clock, which
 * other processes on a busy machine stretch.
 */
function batch(call: () => unknown, count: number): number {
	const start = process.cpuUsage();
	for (let i = 0; i < count; i++) call();
	const { user, system } = process.cpuUsage(start);
	return (user + system) / 1000;
}

/** How many calls make a batch long enough to time (about 2 ms), at least one. */
function batchSize(call: () => unknown): number {
	let count = 1;
	while (batch(call, count) < 2) count *= 2;
	return count;
}

/** The cost of one call, in milliseconds: the best of a few batches. */
function cost(call: () => unknown): number {
	const size = batchSize(call);
	return Math.min(...[1, 2, 3].map(() => batch(call, size) / size));
}

describe('text processing costs a constant times what plain text does', () => {
	it.each(cases)('$name', ({ length, run, crafted }) => {
		const plain = prose(length);
		const plainCost = Math.max(
			cost(() => run(plain)),
			cost(() => show(plain))
		);
		const over = crafted(length).flatMap(([name, text]) => {
			expect(text.length, name).toBeLessThanOrEqual(length);
			const ratio = cost(() => run(text)) / plainCost;
			return ratio > BOUND ? [`${name}: ${ratio.toFixed(1)}×`] : [];
		});
		expect(over, `over ${BOUND}× plain text`).toEqual([]);
	});
});
