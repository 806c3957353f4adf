import type { APIRequestContext } from '@playwright/test';
import { appOrigin } from '../helpers';
import { encode, urlEncoded, type Fields, type PostOptions } from './http';
import type { Outcome } from './rules';

/** What superforms' JSON mode posts: devalue's flat form of an object, `[{ key: 1 }, value]`. */
function superformJson(data: Record<string, unknown>): string {
	const keys = Object.keys(data);
	const index = Object.fromEntries(keys.map((key, i) => [key, i + 1]));
	return JSON.stringify([index, ...keys.map((key) => data[key])]);
}

/** A multipart/form-data body; a part with a filename is a file. */
function multipart(
	parts: { name: string; value: string; filename?: string }[],
	boundary = 'b0undary'
) {
	const part = ({ name, value, filename }: (typeof parts)[number]) =>
		`--${boundary}\r\nContent-Disposition: form-data; name="${name}"` +
		(filename === undefined ? '' : `; filename="${filename}"\r\nContent-Type: text/plain`) +
		`\r\n\r\n${value}\r\n`;
	return `${parts.map(part).join('')}--${boundary}--\r\n`;
}

/** A form action, and how it answers. */
export interface FormTarget {
	name: string;
	path: string;
	/** A valid form for case `n`, its fields in order; `field` is the one the cases play with. */
	fields(n: number): Fields;
	field: string;
	/** A value the action must not use, sent before the valid one in "the field twice". */
	decoy: string;
	/** The answer when the field is missing or blank, and when it is not text (JSON, a file). */
	blank: Outcome;
	wrongType(received: 'number' | 'File' | 'undefined'): Outcome;
	accepted: Outcome;
	/** Whether any text goes in the field, so the cases of odd encodings apply. */
	text: boolean;
	request(): Promise<APIRequestContext>;
}

export interface RawCase {
	name: string;
	path?: string;
	body: Fields | string | Buffer | undefined;
	options?: PostOptions;
	expected: Outcome;
	/** What the field holds when the case is accepted. */
	value?: string;
}

/** Bodies no browser sends, each with the answer the design gives; case `n` uses `fields(n)`. */
export function rawCases(t: FormTarget): RawCase[] {
	const count = casesFor(t, t.fields(0)).length;
	return Array.from({ length: count }, (_, n) => casesFor(t, t.fields(n))[n]);
}

function casesFor(t: FormTarget, fields: Fields): RawCase[] {
	const good = String(fields.find(([name]) => name === t.field)![1]);
	const others = fields.filter(([name]) => name !== t.field);
	const form = (...pairs: Fields): Fields => [...pairs, ...others];
	const record = Object.fromEntries(fields);
	const encoded = urlEncoded(fields);
	const accepted = (value = good) => ({ expected: t.accepted, value });
	const unreadable = { status: 400, message: 'This form could not be read.' } as const;
	const unsupported = {
		status: 415,
		message: 'Send forms URL-encoded or as multipart/form-data.'
	} as const;
	const forbidden = {
		status: 403,
		text: 'Cross-site POST form submissions are forbidden'
	} as const;
	const cases: RawCase[] = [
		{
			name: 'the field twice: the last one counts',
			body: form([t.field, t.decoy], [t.field, good]),
			...accepted()
		},
		{
			name: 'the field twice, the last one blank',
			body: form([t.field, good], [t.field, '']),
			expected: t.blank
		},
		{ name: 'the field missing', body: others, expected: t.blank },
		{ name: 'an empty body', body: '', expected: t.blank },
		{ name: 'no body at all', body: undefined, expected: t.blank },
		{
			name: 'prototype keys beside the fields',
			body: form(
				[t.field, good],
				['__proto__', 'x'],
				['constructor', 'x'],
				['prototype', 'x'],
				['__proto__[polluted]', '1'],
				['constructor[prototype][polluted]', '1'],
				['__proto__.polluted', '1'],
				[`__proto__[${t.field}]`, 'x']
			),
			...accepted()
		},
		{
			name: 'prototype keys in place of the field',
			body: form(
				[`__proto__[${t.field}]`, good],
				[`constructor[prototype][${t.field}]`, good],
				[`__proto__.${t.field}`, good]
			),
			expected: t.blank
		},
		{
			name: 'the field name with brackets',
			body: form([`${t.field}[]`, good], [`${t.field}[0]`, good]),
			expected: t.blank
		},
		{
			name: 'the field name in capitals',
			body: form([t.field.toUpperCase(), good]),
			expected: t.blank
		},
		{ name: 'a NUL after the field name', body: form([`${t.field}\0`, good]), expected: t.blank },
		{
			name: 'the field name percent-encoded',
			body: `%${t.field.charCodeAt(0).toString(16)}${t.field.slice(1)}=${encode(good)}&${urlEncoded(others)}`,
			...accepted()
		},
		{
			name: '10,000 other fields',
			body: form(
				[t.field, good],
				...Array.from({ length: 10_000 }, (_, n): [string, string] => [`x${n}`, '1'])
			),
			...accepted()
		},
		{ name: 'superforms JSON', body: [['__superform_json', superformJson(record)]], ...accepted() },
		{
			name: 'superforms JSON, the field a number',
			body: [['__superform_json', superformJson({ ...record, [t.field]: 7 })]],
			expected: t.wrongType('number')
		},
		{
			name: 'superforms JSON that does not parse',
			body: [['__superform_json', '[{'], ...fields],
			...accepted()
		},
		{
			name: 'superforms JSON with __proto__',
			body: [['__superform_json', '[{"__proto__":1},{}]'], ...fields],
			...accepted()
		},
		{
			name: 'as JSON',
			body: JSON.stringify(record),
			options: { contentType: 'application/json' },
			expected: unsupported
		},
		{
			name: 'as text/plain',
			body: encoded,
			options: { contentType: 'text/plain' },
			expected: { status: 415, message: 'Send forms URL-encoded or as multipart/form-data.' }
		},
		{
			name: 'as XML',
			body: '<form/>',
			options: { contentType: 'application/xml' },
			expected: unsupported
		},
		{
			name: 'with no Content-Type',
			body: Buffer.from(encoded),
			options: { contentType: null },
			expected: unsupported
		},
		{
			name: 'with charset=iso-8859-1 (read as UTF-8 all the same)',
			body: encoded,
			options: { contentType: 'application/x-www-form-urlencoded; charset=iso-8859-1' },
			...accepted()
		},
		{
			name: 'with the type in capitals',
			body: encoded,
			options: { contentType: 'APPLICATION/X-WWW-FORM-URLENCODED' },
			...accepted()
		},
		{
			name: 'as multipart',
			body: multipart(fields.map(([name, value]) => ({ name, value: String(value) }))),
			options: { contentType: 'multipart/form-data; boundary=b0undary' },
			...accepted()
		},
		{
			name: 'as multipart without a boundary',
			body: multipart([{ name: t.field, value: good }]),
			options: { contentType: 'multipart/form-data' },
			expected: unreadable
		},
		{
			name: 'as multipart with another boundary',
			body: multipart([{ name: t.field, value: good }]),
			options: { contentType: 'multipart/form-data; boundary=other' },
			expected: unreadable
		},
		{
			name: 'as multipart, the field a file',
			body: multipart([
				{ name: t.field, value: good, filename: 'x.txt' },
				...others.map(([name, value]) => ({ name, value: String(value) }))
			]),
			options: { contentType: 'multipart/form-data; boundary=b0undary' },
			expected: t.wrongType('File')
		},
		{
			name: 'as multipart, the field an empty file',
			body: multipart([
				{ name: t.field, value: '', filename: 'empty.txt' },
				...others.map(([name, value]) => ({ name, value: String(value) }))
			]),
			options: { contentType: 'multipart/form-data; boundary=b0undary' },
			// superforms reads an empty file as no value: zod's words, next to the field.
			expected: t.wrongType('undefined')
		},
		{
			name: 'a body over BODY_SIZE_LIMIT (512 KB)',
			body: form([t.field, good], ['padding', 'x'.repeat(600_000)]),
			expected: { status: 413, message: 'This form is too large to send.' }
		},
		{ name: 'no Origin header', body: fields, options: { origin: null }, expected: forbidden },
		{ name: 'Origin: null', body: fields, options: { origin: 'null' }, expected: forbidden },
		{
			name: 'the Origin of another site',
			body: fields,
			options: { origin: 'http://evil.example' },
			expected: forbidden
		},
		{
			name: 'the Origin with a trailing slash',
			body: fields,
			options: { origin: `${appOrigin()}/` },
			expected: forbidden
		},
		{
			name: 'an action that does not exist',
			path: `${t.path.split('?')[0]}?/nope`,
			body: fields,
			expected: { status: 404 }
		}
	];
	if (!t.text) return cases;
	const raw = (value: string | Buffer) =>
		Buffer.concat([Buffer.from(`${urlEncoded(others)}&${t.field}=`), Buffer.from(value)]);
	const read = (body: Buffer) =>
		new URLSearchParams(new TextDecoder().decode(body)).get(t.field)!.trim();
	return [
		...cases,
		...(
			[
				['+ and %20 for spaces', raw('+a+%20b+')],
				['percent escapes that are not', raw('%zz%E0%A4%A%')],
				['UTF-8 not percent-encoded', raw('héllo 😀')],
				['bytes that are not UTF-8', raw(Buffer.from([0x31, 0xff, 0xfe, 0x78]))],
				['semicolons in the value', raw('x;a=b;c')]
			] as const
		).map(([name, body]) => ({ name, body, ...accepted(read(body)) }))
	];
}
