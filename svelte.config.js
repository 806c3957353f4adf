import adapter from '@sveltejs/adapter-node';
import { vitePreprocess } from '@sveltejs/vite-plugin-svelte';

/**
 * Warnings about dependencies' code, known and harmless, that adapter-node's Rollup build of the
 * server prints (it takes no `onwarn`): some 150 circular imports inside typebox, zod and
 * zod-v3-to-json-schema (pulled in by superforms; ES modules allow cycles), comments in zod that
 * Rollup cannot read as annotations, and the empty chunk of SvelteKit's own env module. Left in,
 * they bury a warning that matters; any other warning, and every one about the app's code, shows.
 */
const KNOWN_WARNINGS = [
	/^Circular dependency: node_modules\/\S+( -> node_modules\/\S+)+$/,
	/^node_modules\/\S+ \(\d+:\d+\): A comment\n[\s\S]*contains an annotation that Rollup cannot interpret/,
	/^Generated an empty chunk: "chunks\/env\.js"\.?$/
];

/** @param {import('@sveltejs/kit').Adapter} adapter */
function withoutKnownWarnings(adapter) {
	return {
		...adapter,
		/** @param {import('@sveltejs/kit').Builder} builder */
		async adapt(builder) {
			const { warn } = console;
			console.warn = (...args) => {
				if (!KNOWN_WARNINGS.some((known) => known.test(String(args[0])))) warn(...args);
			};
			try {
				await adapter.adapt(builder);
			} finally {
				console.warn = warn;
			}
		}
	};
}

/** @type {import('@sveltejs/kit').Config} */
const config = {
	preprocess: vitePreprocess(),
	compilerOptions: {
		runes: true
	},
	kit: {
		adapter: withoutKnownWarnings(adapter()),
		// The origin check of form posts is the handle hook's (src/lib/server/http/same-origin.ts),
		// which lets mail providers' one-click unsubscribe through and nothing else.
		csrf: { trustedOrigins: ['*'] },
		// Only this site's own scripts and styles run; SvelteKit adds a nonce to its inline script.
		csp: {
			mode: 'auto',
			directives: {
				'default-src': ['self'],
				'script-src': ['self'],
				'style-src': ['self'],
				// SvelteKit's route announcer (a screen-reader live region) has this one style attribute.
				'style-src-attr': ['unsafe-hashes', 'sha256-S8qMpvofolR8Mpjy4kQvEm7m1q8clzU4dfDH0AmvZjo='],
				'img-src': ['self', 'data:'],
				'object-src': ['none'],
				'base-uri': ['self'],
				'form-action': ['self'],
				'frame-ancestors': ['none']
			}
		}
	}
};

export default config;
