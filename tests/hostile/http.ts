import type { APIRequestContext, APIResponse, PlaywrightWorkerArgs } from '@playwright/test';
import { appOrigin, expect, PASSWORD, uniqueName } from '../helpers';

/** The bytes a client sends for a value: UTF-8, with U+FFFD for a lone surrogate. */
export const bytesOf = (value: string | Uint8Array) => Buffer.from(value);

/** What the server reads from those bytes: UTF-8 with U+FFFD for bad bytes, a BOM kept. */
export const received = (value: string | Uint8Array) =>
	new TextDecoder('utf-8', { ignoreBOM: true }).decode(bytesOf(value));

/** Percent-encodes every byte but ASCII letters and digits. */
export function encode(value: string | Uint8Array): string {
	let encoded = '';
	for (const byte of bytesOf(value)) {
		const char = String.fromCharCode(byte);
		encoded += /[A-Za-z0-9]/.test(char) ? char : `%${byte.toString(16).padStart(2, '0')}`;
	}
	return encoded;
}

/** Form fields in order; a name may repeat. */
export type Fields = [string, string | Uint8Array][];

export const urlEncoded = (fields: Fields) =>
	fields.map(([name, value]) => `${encode(name)}=${encode(value)}`).join('&');

export interface Sent {
	status: number;
	location: string | undefined;
	setCookie: string;
	body: string;
}

async function settle(response: APIResponse): Promise<Sent> {
	const headers = response.headers();
	return {
		status: response.status(),
		location: headers['location'],
		setCookie: headers['set-cookie'] ?? '',
		body: await response.text()
	};
}

export interface PostOptions {
	/** `null`: no Content-Type header of our own (Playwright then says application/octet-stream). */
	contentType?: string | null;
	/** `null`: no Origin header. */
	origin?: string | null;
	headers?: Record<string, string>;
}

/** A POST as a browser without JavaScript sends a form, or whatever body the case needs. */
export async function post(
	request: APIRequestContext,
	path: string,
	body: Fields | string | Buffer | undefined,
	{ contentType = 'application/x-www-form-urlencoded', origin, headers }: PostOptions = {}
): Promise<Sent> {
	const data = Array.isArray(body) ? urlEncoded(body) : body;
	const response = await request.fetch(path, {
		method: 'POST',
		data,
		headers: {
			accept: 'text/html',
			...(origin === null ? {} : { origin: origin ?? appOrigin() }),
			...(contentType === null ? {} : { 'content-type': contentType }),
			...headers
		},
		maxRedirects: 0,
		failOnStatusCode: false
	});
	return settle(response);
}

/** How a form enhanced by JavaScript posts: SvelteKit then answers with JSON. */
export const ENHANCED: PostOptions = {
	headers: { accept: 'application/json', 'x-sveltekit-action': 'true' }
};

/** An enhanced form's answer: `{ type: 'redirect' | 'failure' | 'error' | 'success', … }`. */
export interface ActionResult {
	type: string;
	status?: number;
	location?: string;
	/** devalue's flat array, as JSON: every string in the data is one of its items. */
	data?: string;
	error?: { message: string };
}

export function actionResult(sent: Sent): ActionResult | null {
	try {
		return JSON.parse(sent.body);
	} catch {
		return null;
	}
}

/** Where a form sent the user: the Location header, or an enhanced form's redirect. */
export const redirectOf = (sent: Sent) =>
	sent.location ??
	(actionResult(sent)?.type === 'redirect' ? actionResult(sent)?.location : undefined);

export async function get(
	request: APIRequestContext,
	path: string,
	headers?: Record<string, string>
): Promise<Sent> {
	return settle(await request.get(path, { headers, maxRedirects: 0 }));
}

/** Runs `send` over the items a few at a time, in order; `batch` tells which group it was in. */
export async function inBatches<T, R>(
	items: T[],
	send: (item: T, batch: number) => Promise<R>,
	size = 6
): Promise<R[]> {
	const results: R[] = [];
	for (let start = 0; start < items.length; start += size) {
		const batch = start / size;
		results.push(
			...(await Promise.all(items.slice(start, start + size).map((item) => send(item, batch))))
		);
	}
	return results;
}

export function decodeHtml(text: string): string {
	return text
		.replace(/&#x([0-9a-f]+);/gi, (_, code) => String.fromCodePoint(parseInt(code, 16)))
		.replace(/&#(\d+);/g, (_, code) => String.fromCodePoint(Number(code)))
		.replace(/&lt;/g, '<')
		.replace(/&gt;/g, '>')
		.replace(/&quot;/g, '"')
		.replace(/&#39;/g, "'")
		.replace(/&amp;/g, '&');
}

// Attribute values are double-quoted, with any `"` inside escaped: `"[^"]*"` never overruns.
const ATTRIBUTES = /\s+([\w:-]+)(?:="([^"]*)")?/g;
const FIELD = /<(input|textarea)((?:\s+[\w:-]+(?:="[^"]*")?)*)\s*\/?>/g;

function fieldTag(html: string, name: string) {
	for (const tag of html.matchAll(FIELD)) {
		const attributes = Object.fromEntries(
			[...tag[2].matchAll(ATTRIBUTES)].map(([, key, value]) => [key, decodeHtml(value ?? '')])
		);
		if (attributes.name === name)
			return { element: tag[1], attributes, end: tag.index! + tag[0].length };
	}
	return null;
}

/**
 * The error shown next to the form field `name` (SPEC §5), or null when it has none; one that
 * is on the page but not tied to the field comes back marked so.
 */
export function fieldError(html: string, name: string): string | null {
	const field = fieldTag(html, name);
	if (!field) return `(no field named ${name})`;
	const { id, 'aria-invalid': invalid, 'aria-describedby': describedBy = '' } = field.attributes;
	const shown = html.match(new RegExp(`<p [^>]*id="${id}-error"[^>]*>([^<]*)</p>`));
	if (!shown) return null;
	const tied = invalid === 'true' && describedBy.split(' ').includes(`${id}-error`);
	return `${tied ? '' : '(not tied to the field) '}${decodeHtml(shown[1])}`;
}

/** What the form field `name` holds as the page is served. */
export function fieldValue(html: string, name: string): string {
	const field = fieldTag(html, name);
	if (!field) return `(no field named ${name})`;
	if (field.element === 'input') return field.attributes.value ?? '';
	return decodeHtml(html.slice(field.end, html.indexOf('</textarea>', field.end)));
}

/** The message of the whole form (`role="alert"`), as the login page gives a wrong password. */
export function formMessage(html: string): string | null {
	const shown = html.match(/<p [^>]*role="alert"[^>]*>([^<]*)<\/p>/);
	return shown ? decodeHtml(shown[1]) : null;
}

/** The error page's heading and message, or null when the page is not the error page. */
export function errorPage(html: string): { heading: string; message: string } | null {
	const main = html.slice(html.indexOf('<main'), html.indexOf('</main>'));
	// The message is left out when it would only say the heading again.
	const shown = main.match(/<h1[^>]*>([^<]*)<\/h1>(?:\s|<!--[^>]*-->)*(?:<p[^>]*>([^<]*)<\/p>)?/);
	return shown ? { heading: decodeHtml(shown[1]), message: decodeHtml(shown[2] ?? '') } : null;
}

export interface ShownThread {
	/** Its pages as served, oldest first. */
	html: string;
	subject: string;
	messages: { id: number; sender: string; content: string }[];
}

const MESSAGE =
	/<article id="message-(\d+)" data-message="\1"[^>]*><header[^>]*><strong[^>]*>([^<]*)<\/strong>[\s\S]*?<\/header>\s*<p[^>]*>([\s\S]*?)<\/p><\/article>/g;

/** The text of a bit of server-rendered markup: Svelte's comment markers and tags (links) out. */
const textOf = (html: string) =>
	decodeHtml(html.replace(/<!--[\s\S]*?-->/g, '').replace(/<[^>]*>/g, ''));

/**
 * The `<main>` of each page of a listing or a thread, newest first, following the "Older" links
 * (`?before=`) from `path` to the last page.
 */
async function* pagesOf(request: APIRequestContext, path: string) {
	for (let next: string | null = path; next;) {
		const page = await get(request, next);
		expect(page.status, `GET ${next}`).toBe(200);
		const main = page.body.slice(page.body.indexOf('<main'), page.body.indexOf('</main>'));
		yield { path: next, body: page.body, main };
		const older = main.match(/href="\?before=(\d+)"/);
		next = older ? `${path}?before=${older[1]}` : null;
	}
}

/** A thread as its pages show it: every message, oldest first, through all its "Older" links. */
export async function shownThread(request: APIRequestContext, id: string): Promise<ShownThread> {
	const pages: { html: string; messages: ShownThread['messages'] }[] = [];
	let subject: string | undefined;
	for await (const { path, body, main } of pagesOf(request, `/messages/thread/${id}`)) {
		const heading = main.match(/<h1[^>]*>([^<]*)<\/h1>/);
		expect(heading, 'the thread page has a heading').not.toBeNull();
		subject ??= decodeHtml(heading![1]);
		const messages = [...main.matchAll(MESSAGE)].map(([, messageId, sender, content]) => ({
			id: Number(messageId),
			sender: decodeHtml(sender),
			content: textOf(content)
		}));
		expect(messages.length, `every message on ${path} is read`).toBe(
			main.match(/\sdata-message="/g)?.length ?? 0
		);
		pages.unshift({ html: body, messages });
	}
	return {
		html: pages.map((page) => page.html).join('\n'),
		subject: subject!,
		messages: pages.flatMap((page) => page.messages)
	};
}

export interface ListedThread {
	id: string;
	subject: string;
	/** "sender: excerpt of the newest message" */
	excerpt: string;
}

const ROW =
	/\sdata-thread="([^"]*)"[\s\S]*?<a [^>]*href="\/messages\/thread\/\1"[^>]*>(?:<!--[^>]*-->|<span class="visually-hidden[^"]*">Unread: ?<\/span>)*([\s\S]*?)<\/a>\s*<p class="excerpt[^"]*">([\s\S]*?)<\/p>/g;

/** Every thread in a folder, newest first, through all its pages (the "Older" links). */
export async function folder(request: APIRequestContext, path: string): Promise<ListedThread[]> {
	const threads: ListedThread[] = [];
	for await (const { path: shown, main } of pagesOf(request, path)) {
		const rows = [...main.matchAll(ROW)].map(([, id, subject, excerpt]) => ({
			id,
			subject: textOf(subject),
			excerpt: textOf(excerpt)
		}));
		expect(rows.length, `every thread listed on ${shown} is read`).toBe(
			main.match(/\sdata-thread="/g)?.length ?? 0
		);
		threads.push(...rows);
	}
	return threads;
}

export interface ApiUser {
	name: string;
	request: APIRequestContext;
	/** The value of the session cookie. */
	token: string;
}

/** A fresh account, signed in, in a request context of its own (no browser). */
export async function signUpOverHttp(
	playwright: PlaywrightWorkerArgs['playwright'],
	prefix: string
): Promise<ApiUser> {
	const request = await playwright.request.newContext({ baseURL: appOrigin() });
	const name = uniqueName(prefix);
	const signedUp = await post(request, '/signup', [
		['username', name],
		['password', PASSWORD]
	]);
	expect([signedUp.status, signedUp.location], `sign up ${name}`).toEqual([303, '/messages']);
	const { cookies } = await request.storageState();
	const token = cookies.find((cookie) => cookie.name === 'session')?.value;
	if (!token) throw new Error('no session cookie after signing up');
	return { name, request, token };
}
