import { sveltekit } from '@sveltejs/kit/vite';
import { defineConfig } from 'vitest/config';
import { themeOverrides } from './theme-overrides.js';

export default defineConfig({
	// THEME_OVERRIDES points the build at another folder of overrides (the theming test does).
	plugins: [themeOverrides({ overrides: process.env.THEME_OVERRIDES }), sveltekit()],
	test: {
		include: ['src/**/*.spec.ts', '*.spec.ts'],
		environment: 'node',
		testTimeout: 30_000,
		hookTimeout: 60_000,
		reporters: process.env.CI ? ['default', 'json'] : ['default'],
		outputFile: { json: 'test-results/unit.json' }
	}
});
