/**
 * Hostile values for any text a client sends: a form field, a route parameter, a query string.
 * Each is sent as UTF-8 (a lone surrogate then becomes U+FFFD, as a browser sends it) or, for
 * byte sequences that are not UTF-8 at all, as the bytes themselves.
 */
export interface Payload {
	name: string;
	value: string | Uint8Array;
}

const hex = (code: number) => code.toString(16).toUpperCase().padStart(4, '0');
const of = (group: string, values: Record<string, string | Uint8Array>): Payload[] =>
	Object.entries(values).map(([name, value]) => ({ name: `${group}: ${name}`, value }));

/** Every character JavaScript's trim() removes, so every one that "after trimming" drops. */
export const WHITE_SPACE: string[] = [
	...'\t\n\v\f\r \u00a0\u1680\u2028\u2029\u202f\u205f\u3000\ufeff',
	...Array.from({ length: 11 }, (_, i) => String.fromCharCode(0x2000 + i))
];

const blank: Payload[] = [
	...of('blank', {
		empty: '',
		'one space': ' ',
		'spaces, tabs and newlines': ' \t\n\r\n \t ',
		'every white space character': WHITE_SPACE.join('')
	}),
	...WHITE_SPACE.map((c) => ({ name: `white space alone: U+${hex(c.charCodeAt(0))}`, value: c }))
];

// C0 controls and DEL inside text, U+0000 among them (PostgreSQL's text cannot hold it).
const controls: Payload[] = [
	...Array.from({ length: 32 }, (_, code) => code)
		.concat(0x7f, 0x80, 0x85, 0x9f)
		.map((code) => ({
			name: `control character U+${hex(code)}`,
			value: `a${String.fromCharCode(code)}b`
		})),
	...of('NUL', {
		alone: '\0',
		'at the end': 'text\0',
		'ten of them': '\0'.repeat(10),
		'between spaces': ' \0 ',
		'percent-encoded twice': '%2500',
		'as a text escape': '\\u0000 \\x00 \\0'
	})
];

const bytes = (...values: number[]) => Uint8Array.from(values);
const text = (s: string) => [...Buffer.from(s)];

const notUtf8: Payload[] = [
	...of('invalid UTF-8', {
		'byte FF': bytes(0xff),
		'bytes FE FF': bytes(0xfe, 0xff),
		'a lone continuation byte': bytes(0x80),
		'overlong "/" (C0 AF)': bytes(0xc0, 0xaf),
		'overlong NUL (C0 80)': bytes(0xc0, 0x80),
		'overlong "<" (E0 80 BC)': bytes(0xe0, 0x80, 0xbc),
		'truncated euro sign': bytes(0xe2, 0x82),
		'truncated at the end': bytes(...text('abc'), 0xc3),
		'above U+10FFFF': bytes(0xf4, 0x90, 0x80, 0x80),
		'five-byte form': bytes(0xf8, 0x88, 0x80, 0x80, 0x80),
		'in the middle of text': bytes(...text('hello '), 0xff, 0xfe, ...text(' world')),
		'Latin-1 "café"': bytes(...text('caf'), 0xe9)
	}),
	...of('surrogates', {
		'high surrogate as CESU-8 bytes': bytes(0xed, 0xa0, 0x80),
		'low surrogate as CESU-8 bytes': bytes(0xed, 0xbf, 0xbf),
		'a pair as CESU-8 bytes': bytes(0xed, 0xa0, 0xbd, 0xed, 0xb8, 0x80),
		'lone high surrogate': '\ud800',
		'lone low surrogate': '\udfff',
		'half an emoji': 'smile \ud83d',
		'a pair reversed': '\ude00\ud83d'
	})
];

const scripts: Payload[] = of('scripts and invisible characters', {
	'right-to-left override': 'invoice\u202efdp.exe',
	'left-to-right and right-to-left marks': '\u200eabc\u200f',
	'Arabic letter mark': '\u061cمرحبا',
	Arabic: 'مرحبا بالعالم',
	Hebrew: 'שלום עולם',
	'mixed directions': 'abc שלום 123 مرحبا',
	'directional isolates': '\u2066a\u2067b\u2068c\u2069',
	'zero-width space only': '\u200b',
	'zero-width joiner only': '\u200d',
	'zero-width non-joiner and word joiner': '\u200c\u2060',
	'Mongolian vowel separator (no longer white space)': '\u180e',
	'soft hyphen only': '\u00ad',
	'Hangul filler only': '\u3164',
	'combining acute accent alone': '\u0301',
	'combining marks piled up': `Z${'\u0336\u0337\u0338\u0335'.repeat(20)}`,
	'decomposed é': 'caf\u0065\u0301',
	Devanagari: 'नमस्ते दुनिया',
	Chinese: '你好，世界',
	Japanese: 'こんにちは世界',
	Thai: 'สวัสดีชาวโลก',
	'Cyrillic look-alike of "admin"': 'аdmіn',
	'fullwidth letters': 'ａｄｍｉｎ',
	'mathematical bold letters': '𝐚𝐝𝐦𝐢𝐧',
	'the replacement character': '\ufffd',
	'a noncharacter': '\uffff',
	'private use': '\ue000\u{f0000}',
	'the widest ligature': '\ufdfd'
});

const emoji: Payload[] = of('emoji', {
	one: '😀',
	'family (joined)': '👨‍👩‍👧‍👦',
	flag: '🇺🇳',
	'skin tone': '👍🏽',
	keycap: '1️⃣',
	'rainbow flag': '🏳️‍🌈',
	'emoji and text': 'Lunch? 🍕🍔🌮',
	'a regional indicator alone': '🇦',
	'variation selector alone': '\ufe0f'
});

const injection: Payload[] = [
	...of('SQL', {
		'quote or true': "' OR '1'='1",
		'drop table': "'; DROP TABLE messages; --",
		'drop table, double quote': '"; DROP TABLE users; --',
		'union select': "' UNION SELECT password_hash FROM users --",
		'stacked sleep': '1; SELECT pg_sleep(10)',
		'dollar quoting': '$$; DELETE FROM threads; $$',
		'backslash quote': "\\'; --",
		'E string': "E'\\x27'",
		comment: '/* */ -- #',
		'LIKE wildcards': '%_%',
		'concatenated subquery': "' || (SELECT username FROM users LIMIT 1) || '"
	}),
	...of('HTML', {
		'script tag': '<script>window.__xss = 1</script>',
		'img onerror': '<img src=x onerror="window.__xss = 2">',
		'svg onload': '"><svg onload=alert(3)>',
		'closing the textarea': '</textarea><script>window.__xss = 4</script>',
		'closing the title': '</title><script>window.__xss = 5</script>',
		'closing a script': '</script><script>window.__xss = 6</script>',
		'javascript link': '<a href="javascript:alert(7)">click</a>',
		'iframe srcdoc': '<iframe srcdoc="<script>alert(8)</script>"></iframe>',
		'style tag': '<style>body { display: none }</style>',
		'meta refresh': '<meta http-equiv="refresh" content="0;url=http://evil.example">',
		'comment opener': '<!--',
		'CDATA end': ']]>',
		entities: '&lt;b&gt; &amp;amp; &#60;script&#62; &#x3C;',
		'attribute breakout': `" onmouseover="alert(9)" x="`,
		'single-quote breakout': "' autofocus onfocus='alert(10)",
		'base tag': '<base href="http://evil.example/">',
		'form tag': '<form action="http://evil.example"><button>Win</button></form>'
	}),
	...of('template', {
		mustache: '{{7*7}}',
		'template literal': '${7*7}',
		ERB: '<%= 7*7 %>',
		'Svelte expression': '{7*7}',
		'Svelte html tag': '{@html "<b>x</b>"}',
		'Svelte block': '{#if true}yes{/if}',
		'constructor chain': '{{constructor.constructor("return process")()}}',
		'printf formats': '%s%s%s%n%d %(name)s',
		'Jinja config': '{{config.items()}}',
		'SvelteKit data marker': '__sveltekit_data',
		'devalue-looking JSON': '[{"a":1},"x"]'
	}),
	...of('prototype keys', {
		['__proto__']: '__proto__',
		constructor: 'constructor',
		prototype: 'prototype',
		'proto JSON': '{"__proto__": {"polluted": true}}',
		'constructor prototype path': 'constructor.prototype.polluted',
		toString: 'toString',
		hasOwnProperty: 'hasOwnProperty'
	}),
	...of('other', {
		null: 'null',
		undefined: 'undefined',
		NaN: 'NaN',
		'negative zero': '-0',
		'huge number': '1e309',
		'empty array': '[]',
		'path traversal': '../../../../etc/passwd',
		'Windows path': '..\\..\\windows\\win.ini',
		URL: 'http://evil.example/',
		'protocol-relative URL': '//evil.example',
		'data URL': 'data:text/html,<script>alert(1)</script>',
		'header injection': 'x\r\nSet-Cookie: session=stolen',
		'form separators': 'a=b&c=d;e=f',
		'a lone percent': '%',
		'bad percent escape': '%zz%E0%A4%A',
		plus: 'a+b',
		'only commas': ',,,',
		backslashes: '\\\\\\',
		'LDAP filter': '*)(uid=*))(|(uid=*',
		'shell command': '$(rm -rf /) `id` | cat /etc/passwd',
		'log forging': 'ok\n[INFO] admin logged in'
	})
];

/** A few thousand characters of each kind, for fields without a small limit. */
export const long: Payload[] = of('long', {
	'a 5,000-character line': 'w'.repeat(5_000),
	'2,000 newlines in text': `start${'\n'.repeat(2_000)}end`,
	'1,000 emoji': '😀'.repeat(1_000),
	'3,000 CJK characters': '字'.repeat(3_000)
});

/** Values at and over a field's length limit, in characters (code points: an emoji is one). */
export function sized(max: number): Payload[] {
	return of(`length, limit ${max}`, {
		'at the limit': 'x'.repeat(max),
		'one over': 'x'.repeat(max + 1),
		'at the limit, padded with spaces': `  ${'x'.repeat(max)}  `,
		'at the limit in two-byte characters': 'é'.repeat(max),
		'at the limit in emoji (twice as many UTF-16 units)': '😀'.repeat(max),
		'one over in emoji': '😀'.repeat(max + 1),
		'far over': 'y'.repeat(max * 3 + 7)
	});
}

/** Every value above that suits any field; add `long` and `sized(max)` for a field's limits. */
export const corpus: Payload[] = [
	...blank,
	...controls,
	...notUtf8,
	...scripts,
	...emoji,
	...injection
];

/** `count` payloads spread evenly over the corpus, for the costly targets (password hashing). */
export function sample<T>(payloads: T[], count: number): T[] {
	const step = payloads.length / count;
	return Array.from({ length: count }, (_, i) => payloads[Math.floor(i * step)]);
}

/** Hostile query strings and paths for `redirectTo`: ways off the site, or odd ways around it. */
export const redirectTargets: Payload[] = of('redirectTo', {
	'another site': 'http://evil.example/',
	'protocol-relative': '//evil.example/messages',
	'backslash host': '/\\evil.example',
	'dot segment to a double slash': '/.//evil.example/messages',
	'encoded dot segment': '/%2e//evil.example',
	'dot-dot to a double slash': '/a/..//evil.example',
	'backslash after a dot': '/./\\evil.example',
	'tab inside the scheme': 'java\tscript:alert(1)',
	javascript: 'javascript:alert(1)',
	'data URL': 'data:text/html,x',
	'user info': '/@evil.example',
	'userinfo with host': 'http://127.0.0.1@evil.example/',
	'header injection': '/messages\r\nSet-Cookie: x=y',
	'encoded CRLF': '/messages%0d%0aSet-Cookie:%20x=y',
	'NUL in the path': '/messages\0',
	'a fragment': '/messages#top',
	'a query string': '/messages?before=5',
	'a thread': '/messages/thread/aaaaaaaaaaaaaaaa',
	'non-ASCII path': '/messages/ünïcödé/😀',
	'very long': `/${'a'.repeat(4_000)}`,
	'the login page itself': '/login?redirectTo=%2F%2Fevil.example',
	'triple slash': '///evil.example',
	'slashes alone': '///',
	'a malformed host after two slashes': '//[',
	'a port out of range': '//evil.example:99999',
	'only a slash': '/'
});

/** To fields naming real users in odd ways, and lists past the 50-recipient limit. */
export function recipientLists(sender: string, recipient: string): Payload[] {
	const nobody = (count: number) => Array.from({ length: count }, (_, i) => `nobody_${i}`);
	const lists: Record<string, string> = {
		'the recipient': recipient,
		'the recipient in capitals': recipient.toUpperCase(),
		'the recipient padded': `  ${recipient}\t`,
		'the recipient twice': `${recipient}, ${recipient}`,
		'the recipient 60 times in mixed case': Array.from({ length: 60 }, (_, i) =>
			i % 2 ? recipient.toUpperCase() : recipient
		).join(' '),
		'the recipient and a trailing comma': `${recipient},`,
		'the recipient between every white space': WHITE_SPACE.join(recipient),
		'the recipient with a zero-width space': `${recipient}\u200b`,
		'the recipient with a NUL': `${recipient}\0`,
		'the recipient with a right-to-left override': `\u202e${recipient}`,
		oneself: sender,
		'oneself in capitals, and the recipient': `${sender.toUpperCase()} ${recipient}`,
		'50 unknown names': nobody(50).join(','),
		'51 names': [recipient, ...nobody(50)].join(' '),
		'51 names, one repeated in capitals': [...nobody(50), 'NOBODY_0'].join(' '),
		'an unknown name and the recipient': `nobody_x ${recipient}`,
		'the recipient as @name, semicolons after': `@${recipient};;`,
		'@ alone, and the recipient': `@ ; ${recipient}`,
		'@@ before the recipient': `@@${recipient}`,
		'a name of 5,000 characters': 'n'.repeat(5_000)
	};
	return Object.entries(lists).map(([name, value]) => ({ name: `To: ${name}`, value }));
}
