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

// E2E_PORT moves the servers, so two checkouts can run their suites side by side.
const basePort = Number(process.env.E2E_PORT ?? 4173);

// The abuse limits are off on the main servers, which serve many users from one address; the
// `limits` server has small ones, for tests/rate-limits.test.ts alone, and reads the client
// address from X-Forwarded-For so that test can act from several addresses.
const limitsOff = {
	LIMIT_LOGIN_PER_ACCOUNT: '0',
	LIMIT_LOGIN_PER_ADDRESS: '0',
	LIMIT_SIGNUP_PER_ADDRESS: '0',
	LIMIT_MESSAGES_PER_MINUTE: '0',
	LIMIT_THREADS_PER_DAY: '0'
};
const RATE_LIMIT_TESTS = '**/rate-limits.test.ts';

interface Server {
	name: string;
	port: number;
	command: string;
	env: Record<string, string>;
	/** Only these tests run against it. */
	testMatch?: string;
}

/** One server on the embedded database, and one on PostgreSQL when TEST_DATABASE_URL is set. */
const servers: Server[] = [
	{
		name: 'pglite',
		port: basePort,
		command: 'rm -rf .e2e-data/pglite && node build',
		env: { PGLITE_DIR: '.e2e-data/pglite', ...limitsOff }
	},
	...(process.env.TEST_DATABASE_URL
		? [
				{
					name: 'postgres',
					port: basePort + 1,
					command: 'node build',
					env: { DATABASE_URL: process.env.TEST_DATABASE_URL, ...limitsOff }
				}
			]
		: []),
	{
		name: 'limits',
		port: basePort + 2,
		command: 'rm -rf .e2e-data/limits && node build',
		env: {
			PGLITE_DIR: '.e2e-data/limits',
			ADDRESS_HEADER: 'x-forwarded-for',
			LIMIT_LOGIN_PER_ACCOUNT: '3',
			LIMIT_LOGIN_PER_ADDRESS: '5',
			LIMIT_SIGNUP_PER_ADDRESS: '2',
			LIMIT_MESSAGES_PER_MINUTE: '4',
			LIMIT_THREADS_PER_DAY: '2',
			LIMIT_RECIPIENTS: '2'
		},
		testMatch: RATE_LIMIT_TESTS
	}
];

/**
 * Run with JavaScript only: checks made over plain HTTP, with no browser (once per database is
 * enough), and what only an enhanced form can do (stay on screen when the server fails).
 */
const JS_ONLY_TESTS = [
	'**/statement-count.test.ts',
	'**/authorisation.test.ts',
	'**/hostile-input.test.ts',
	'**/hostile-requests.test.ts',
	'**/unavailable.test.ts'
];
/** Checks of the rendered pages alone (slow, and the same on any database): once in all. */
const RENDERING_TESTS = ['**/accessibility.test.ts'];
/** Tours of every page, with and without JavaScript; what they check is the same on any database. */
const TOUR_TESTS = ['**/csp.test.ts', '**/i18n.test.ts'];

// Every flow runs with JavaScript (enhanced forms) and without (plain HTML forms).
const projects: PlaywrightTestProject[] = servers.flatMap((server) =>
	[true, false].map((javaScriptEnabled) => ({
		name: `${server.name}-${javaScriptEnabled ? 'js' : 'no-js'}`,
		testMatch: server.testMatch,
		testIgnore: [
			...(server.testMatch ? [] : [RATE_LIMIT_TESTS]),
			...(javaScriptEnabled ? [] : JS_ONLY_TESTS),
			...(server.name === 'pglite' && javaScriptEnabled ? [] : RENDERING_TESTS),
			...(server.name === 'pglite' ? [] : TOUR_TESTS)
		],
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
