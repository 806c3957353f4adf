import { sveltekit } from '@sveltejs/kit/vite';
import { defineConfig } from 'vitest/config';

export default defineConfig({
	plugins: [sveltekit()],
	test: {
		include: ['src/**/*.spec.ts'],
		environment: 'node',
		testTimeout: 30_000,
		hookTimeout: 60_000,
		reporters: process.env.CI ? ['default', 'json'] : ['default'],
		outputFile: { json: 'test-results/unit.json' }
	}
});
