/**
 * Requests as a client can shape them, for any path: odd methods, action names, bodies, headers,
 * path endings and query strings. Each is sent to every route (tests/hostile/routes.ts).
 */
export interface Shape {
	name: string;
	method: string;
	/** Added to the path: a query string, or more path. */
	suffix?: string;
	body?: string | Buffer;
	/** Content-Type of the body; with no body none is sent. */
	contentType?: string;
	headers?: Record<string, string>;
}

const FORM = 'application/x-www-form-urlencoded';

/** What `?/<name>` may say: the names SvelteKit reserves or every object has, and odd ones. */
export const ACTION_NAMES = [
	'default',
	'DEFAULT',
	'constructor',
	'__proto__',
	'toString',
	'valueOf',
	'hasOwnProperty',
	'__defineGetter__',
	'',
	'nope',
	'restore',
	'%ff',
	'..%2F..',
	'default&/nope',
	'nope&/default'
];

const methods: Shape[] = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'].map(
	(method) => ({
		name: `method ${method}`,
		method,
		...(method === 'GET' || method === 'HEAD' ? {} : { body: 'a=1', contentType: FORM })
	})
);

// Every name with and without JavaScript's headers is in the test of action names; here, plain.
const actionNames: Shape[] = ACTION_NAMES.map((name) => ({
	name: `action ?/${name}`,
	method: 'POST',
	suffix: `?/${name}`,
	body: 'a=1',
	contentType: FORM
}));

const bodies: Shape[] = (
	[
		['no body', undefined, undefined],
		['an empty form', '', FORM],
		['JSON', '{"a":1}', 'application/json'],
		['text', 'a=1', 'text/plain'],
		['XML', '<a/>', 'application/xml'],
		['a type with bad parameters', 'a=1', `${FORM}; charset=utf-16; ;=;`],
		['multipart without a boundary', 'garbage', 'multipart/form-data'],
		['broken multipart', '--b\r\ngarbage', 'multipart/form-data; boundary=b'],
		['bytes that are not UTF-8', Buffer.from([0x61, 0x3d, 0xff, 0xfe]), FORM],
		['percent escapes that are not', 'a=%zz%E0%A4%A&%=%', FORM]
	] as const
).map(([name, body, contentType]) => ({
	name: `body: ${name}`,
	method: 'POST',
	body,
	contentType
}));

const accepts: Shape[] = ['application/json', '*/*', '', 'garbage;q=x, */*;q=-1'].flatMap(
	(accept) =>
		['GET', 'POST'].map((method) => ({
			name: `Accept ${JSON.stringify(accept)}, ${method}`,
			method,
			headers: { accept },
			...(method === 'POST' ? { body: 'a=1', contentType: FORM } : {})
		}))
);

const headers: Shape[] = Object.entries<Record<string, string>>({
	'Accept-Language: *': { 'accept-language': '*' },
	'Accept-Language of nonsense': { 'accept-language': 'zz-ZZ;q=abc, ;;, de-;q=2' },
	'Accept-Language of 4,000 characters': { 'accept-language': 'de,'.repeat(1_000) },
	'X-SvelteKit-Action on a GET': { 'x-sveltekit-action': 'true', accept: 'application/json' },
	'a range': { range: 'bytes=5-1' },
	'If-None-Match: *': { 'if-none-match': '*' },
	'forwarded headers': { 'x-forwarded-for': '::1, nonsense', 'x-forwarded-host': 'evil.example' }
}).map(([name, values]) => ({ name, method: 'GET', headers: values }));

const endings: Shape[] = [
	'/',
	'/%ff',
	'/%00',
	'%2f',
	'/__data.json',
	'/__data.json?x-sveltekit-invalidated=01z',
	'/__route.js',
	'/%E0%A4%A'
].flatMap((suffix) => [
	{ name: `path + ${suffix}`, method: 'GET', suffix },
	{ name: `path + ${suffix}, POST`, method: 'POST', suffix, body: 'a=1', contentType: FORM }
]);

const queries: Shape[] = [
	'?before=%ff',
	'?before=-1',
	'?before=1e999',
	'?redirectTo=%ff',
	'?redirectTo=//evil.example',
	'?changed',
	'?%ff=%ff',
	`?${'x'.repeat(6_000)}`
].map((suffix) => ({ name: `query ${suffix.slice(0, 40)}`, method: 'GET', suffix }));

/** The shapes, by what they vary. */
export const shapeGroups: Record<string, Shape[]> = {
	methods,
	'action names': actionNames,
	bodies,
	'Accept headers': accepts,
	'other headers': headers,
	'path endings': endings,
	'query strings': queries
};
