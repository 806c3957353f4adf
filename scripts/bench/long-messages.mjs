// The thread pages of long messages that the benchmark compares (seed.ts makes the threads,
// server.mjs the endpoints): 50 messages as long as a message may be (SPEC §5), plain prose
// against text crafted to cost the most to show. Each crafted page should cost at most twice
// the plain one.
const LENGTH = 20_000;
const fill = (unit) => unit.repeat(Math.ceil(LENGTH / unit.length)).slice(0, LENGTH);

export const LONG_MESSAGES = [
	{
		key: 'plain',
		what: 'plain prose',
		content: fill('The quick brown fox jumps over the lazy dog. ')
	},
	{
		key: 'punctuation',
		what: 'an address and 19,991 dots',
		content: `http://a${'.'.repeat(LENGTH - 9)}x`
	},
	{ key: 'links', what: '2,223 addresses', content: fill('http://a ') },
	{ key: 'markup', what: 'markup characters', content: fill('<a href="&">') }
];
