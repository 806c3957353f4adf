import { existsSync } from 'node:fs';
import { defineConfig, type PlaywrightTestProject } from '@playwright/test';

// Debian's Chromium where it is installed (CI, offline machines), else Playwright's own browser.
const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const launchOptions = existsSync(chromiumPath)
	? {
			executablePath: chromiumPath,
			args: [
				'--no-sandbox',
				'--disable-gpu',
				'--disable-background-networking',
				'--disable-component-update',
				'--disable-sync',
				'--no-first-run',
				'--disable-quic'
			]
		}
	: {};

// E2E_PORT moves both servers, so two checkouts can run their suites side by side.
const basePort = Number(process.env.E2E_PORT ?? 4173);

/** One server on the embedded database, and one on PostgreSQL when TEST_DATABASE_URL is set. */
const servers = [
	{
		name: 'pglite',
		port: basePort,
		command: 'rm -rf .e2e-data && node build',
		env: { PGLITE_DIR: '.e2e-data/pglite' }
	},
	...(process.env.TEST_DATABASE_URL
		? [
				{
					name: 'postgres',
					port: basePort + 1,
					command: 'node build',
					env: { DATABASE_URL: process.env.TEST_DATABASE_URL }
				}
			]
		: [])
];

// Every flow runs with JavaScript (enhanced forms) and without (plain HTML forms).
const projects: PlaywrightTestProject[] = servers.flatMap((server) =>
	[true, false].map((javaScriptEnabled) => ({
		name: `${server.name}-${javaScriptEnabled ? 'js' : 'no-js'}`,
		// Checks made over plain HTTP, with no browser: once per database is enough.
		testIgnore: javaScriptEnabled
			? undefined
			: ['**/statement-count.test.ts', '**/hostile-input.test.ts'],
		use: {
			browserName: 'chromium' as const,
			baseURL: `http://127.0.0.1:${server.port}`,
			javaScriptEnabled,
			launchOptions
		}
	}))
);

export default defineConfig({
	testDir: 'tests',
	// Playwright empties its output folder on start; keep it apart from the unit test report.
	outputDir: 'test-results/playwright',
	fullyParallel: true,
	workers: 2,
	retries: process.env.CI ? 1 : 0,
	reporter: process.env.CI ? [['list'], ['json', { outputFile: 'test-results/e2e.json' }]] : 'list',
	projects,
	webServer: servers.map((server) => ({
		command: server.command,
		url: `http://127.0.0.1:${server.port}/login`,
		env: {
			...server.env,
			PORT: String(server.port),
			HOST: '127.0.0.1',
			ORIGIN: `http://127.0.0.1:${server.port}`,
			SQL_COUNT: '1'
		},
		reuseExistingServer: !process.env.CI,
		timeout: 60_000
	}))
});
