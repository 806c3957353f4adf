import { paraglideVitePlugin } from '@inlang/paraglide-js';
import { sveltekit } from '@sveltejs/kit/vite';
import { defineConfig } from 'vitest/config';
import { themeOverrides } from './theme-overrides.js';

export default defineConfig({
	// THEME_OVERRIDES points the build at another folder of overrides (the theming test does).
	plugins: [
		themeOverrides({ overrides: process.env.THEME_OVERRIDES }),
		// The message catalogue (messages/*.json) compiled to typed functions; the language is the
		// browser's (Accept-Language on the server, navigator.languages in the browser).
		paraglideVitePlugin({
			project: './project.inlang',
			outdir: './src/lib/paraglide',
			strategy: ['preferredLanguage', 'baseLocale']
		}),
		sveltekit()
	],
	build: {
		rolldownOptions: {
			// Rolldown names the plugins that took much of the build's time: SvelteKit's, whose
			// adapter bundles the server once the client is built. Nothing here can speed them up.
			checks: { bundlerTimings: false }
		}
	},
	test: {
		include: ['src/**/*.spec.ts', '*.spec.ts'],
		environment: 'node',
		testTimeout: 30_000,
		hookTimeout: 60_000,
		reporters: process.env.CI ? ['default', 'json'] : ['default'],
		outputFile: { json: 'test-results/unit.json' }
	}
});
