import { readFileSync } from 'node:fs';
import type { Page } from '@playwright/test';

/**
 * Words on a page that are not its language's: each piece of text must be made of the
 * catalogue's messages (messages/<locale>.json, a `{param}` standing for any text that is itself
 * made so), user text, digits, and the punctuation the catalogue uses. Text in a `<time>` may also
 * use the words `Intl` writes dates and times with in that language.
 */
export type Locale = 'en' | 'de';

interface Message {
	pattern: RegExp;
	/** How many `{param}`s it has. */
	params: number;
}

const LETTER = /[\p{L}\p{N}]/u;
const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

function catalogue(locale: Locale) {
	const messages: Record<string, string> = JSON.parse(
		readFileSync(`messages/${locale}.json`, 'utf8')
	);
	delete messages.$schema;
	const texts = Object.values(messages);
	const literal = (text: string) => text.replace(/\{\w+\}/g, '');
	const patterns: Message[] = texts
		.filter((text) => literal(text).trim())
		.sort((a, b) => literal(b).length - literal(a).length)
		.map((text) => {
			const parts = text.split(/\{\w+\}/);
			// A message starting or ending in a letter stands alone, not inside a longer word.
			const before = LETTER.test(text[0]) ? '(?<![\\p{L}\\p{N}])' : '';
			const after = LETTER.test(text.at(-1)!) ? '(?![\\p{L}\\p{N}])' : '';
			const source = parts.map(escape).join('(.+?)');
			return { pattern: new RegExp(before + source + after, 'u'), params: parts.length - 1 };
		});
	const punctuation = new Set(
		[...texts.map(literal).join('')].filter((c) => !LETTER.test(c) && !/\s/.test(c))
	);
	return { patterns, punctuation };
}

/** The words `Intl` writes dates, times and relative times with, as the app uses it. */
function intlWords(locale: Locale): Set<string> {
	const tag = locale === 'en' ? 'en-GB' : locale;
	const words = new Set<string>();
	const add = (text: string) => text.match(/\p{L}+/gu)?.forEach((word) => words.add(word));
	const options: Intl.DateTimeFormatOptions[] = [
		{ dateStyle: 'full', timeStyle: 'short' },
		{ dateStyle: 'long' },
		{ day: 'numeric', month: 'short' },
		{ day: 'numeric', month: 'short', year: 'numeric' },
		{ dateStyle: 'full', timeStyle: 'long' }
	];
	for (let day = 0; day < 366; day += 5) {
		const date = new Date(Date.UTC(2026, 0, 1 + day));
		for (const option of options) add(new Intl.DateTimeFormat(tag, option).format(date));
	}
	const relative = new Intl.RelativeTimeFormat(tag, { numeric: 'auto' });
	for (const unit of ['second', 'minute', 'hour', 'day', 'week', 'month', 'year'] as const) {
		for (let n = -3; n <= 3; n++) add(relative.format(n, unit));
	}
	return words;
}

/** What is left of `text` once user text and the catalogue's messages are taken out. */
function leftOf(text: string, messages: Message[], userText: string[]): string {
	// The marks that isolate user text's direction (U+2066 to U+2069) belong to it.
	let rest = ` ${text.replace(/[\u2066-\u2069]/g, '')} `;
	for (const typed of userText) rest = rest.replaceAll(typed, ' ');
	for (let changed = true; changed;) {
		changed = false;
		for (const { pattern, params } of messages) {
			// The message goes; what its params hold stays, to be taken out in turn.
			const next = rest.replace(pattern, (...match) => ` ${match.slice(1, params + 1).join(' ')} `);
			if (next !== rest) [rest, changed] = [next, true];
		}
	}
	return rest;
}

export interface Shown {
	lang: string;
	title: string;
	body: string;
	/** The text of each `<time>`, and its title. */
	times: string[];
	/** Text in attributes: accessible names and descriptions, titles, placeholders. */
	attributes: string[];
	/** The lines of elements marked `translate="no"`: names in no language (time zones). */
	untranslated: string[];
}

export function shownOn(page: Page): Promise<Shown> {
	return page.evaluate(() => {
		const named = ['aria-label', 'aria-description', 'title', 'placeholder', 'alt'];
		const elements = [...document.querySelectorAll(named.map((name) => `[${name}]`).join())];
		const times = [...document.querySelectorAll('time')];
		const untranslated = [...document.querySelectorAll<HTMLElement>('[translate="no"] option')];
		return {
			untranslated: untranslated.map((option) => (option.textContent ?? '').trim()),
			lang: document.documentElement.lang,
			title: document.title,
			body: document.body.innerText,
			times: times.flatMap((time) => [time.innerText, time.title]).filter(Boolean),
			attributes: elements
				.filter((element) => !element.closest('time'))
				.flatMap((element) => named.map((name) => element.getAttribute(name) ?? ''))
				.filter(Boolean)
		};
	});
}

/** Text on the page that is not from the locale's catalogue or the user, in words. */
export async function strayText(page: Page, locale: Locale, userText: string[]) {
	const { patterns, punctuation } = catalogue(locale);
	const dateWords = intlWords(locale);
	const typed = [...userText].sort((a, b) => b.length - a.length);
	const shown = await shownOn(page);
	const problems: string[] = [];
	if (shown.lang !== locale) problems.push(`<html lang="${shown.lang}">`);
	const check = (where: string, text: string, dates = false) => {
		const left = leftOf(text, patterns, typed);
		const words = (left.match(/[\p{L}\p{N}]+/gu) ?? []).filter(
			(word) =>
				!/^\p{N}+$/u.test(word) && !(dates && (dateWords.has(word) || /^[A-Z]{2,5}$/.test(word)))
		);
		const marks = [...left].filter((c) => !LETTER.test(c) && !/\s/.test(c) && !punctuation.has(c));
		if (words.length || marks.length) {
			problems.push(`${where} ${JSON.stringify(text)}: ${JSON.stringify([...words, ...marks])}`);
		}
	};
	let body = shown.body;
	for (const time of shown.times) {
		check('in a <time>', time, true);
		body = body.replaceAll(time, ' ');
	}
	check('the title', shown.title);
	const untranslated = new Set(shown.untranslated);
	for (const line of body.split('\n').filter((line) => line.trim())) {
		if (!untranslated.has(line.trim())) check('the text', line);
	}
	for (const text of shown.attributes) check('an attribute', text);
	return problems;
}
