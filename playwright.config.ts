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

// Playwright's request contexts keep idle connections open. A server that closes one (Node's
// default: after 5 s idle) just as a request goes out on it answers ECONNRESET; kept for 50 s
// (under Node's 60 s headers timeout), longer than a test's context idles, the two never race.
const keepAlive = { KEEP_ALIVE_TIMEOUT: '50' };

// Every instance mails through scripts/test-smtp.mjs, at once (tests/email.test.ts reads its mails
// over HTTP, one port up). Only users with a verified address are mailed: no other test has one.
const smtp = { smtpPort: basePort + 8, httpPort: basePort + 9 };
const emailOn = {
	SMTP_URL: `smtp://127.0.0.1:${smtp.smtpPort}`,
	MAIL_FROM: 'Courier <courier@e2e.test>',
	COURIER_SECRET: 'the e2e secret',
	EMAIL_DELAY_SECONDS: '0'
};

interface Server {
	name: string;
	port: number;
	command: string;
	env: Record<string, string>;
	/** Only these tests run against it. */
	testMatch?: string;
	/** Not a project of its own: an instance that tests reach through nginx. */
	behindProxy?: boolean;
	/** Given to the tests as `testInfo.project.metadata`. */
	metadata?: Record<string, unknown>;
}

const postgresUrl = process.env.TEST_DATABASE_URL;
const nginx = ['/usr/sbin/nginx', '/usr/bin/nginx'].some((path) => existsSync(path));
if (postgresUrl && !nginx) {
	console.warn('nginx is not installed: the PostgreSQL flows run against one instance, not two.');
}

/**
 * PostgreSQL as a deployer runs it: two instances behind nginx (deploy/nginx), which passes on
 * the client's address, protocol and host, so no ORIGIN is set. The `postgres` project goes
 * through nginx's round robin, so consecutive requests land on either instance; the live tests
 * also reach each instance through a port of nginx's of its own.
 */
function postgresServers(url: string): Server[] {
	const instance = (name: string, port: number): Server => ({
		name,
		port,
		command: 'node build',
		env: {
			DATABASE_URL: url,
			PROTOCOL_HEADER: 'x-forwarded-proto',
			ADDRESS_HEADER: 'x-forwarded-for',
			XFF_DEPTH: '1',
			...limitsOff,
			...emailOn,
			...keepAlive
		},
		behindProxy: true
	});
	const [a, b] = [instance('postgres-a', basePort + 3), instance('postgres-b', basePort + 4)];
	// `gone` leads to no instance at all (port 9 of this machine: nothing listens there).
	const proxy = { round: basePort + 1, a: basePort + 5, b: basePort + 6, gone: basePort + 7 };
	const config = {
		dir: '.e2e-data/nginx',
		upstreams: { both: [a.port, b.port], a: [a.port], b: [b.port], gone: [9] },
		servers: [
			{ port: proxy.round, upstream: 'both' },
			{ port: proxy.a, upstream: 'a' },
			{ port: proxy.b, upstream: 'b' },
			{ port: proxy.gone, upstream: 'gone' }
		]
	};
	return [
		a,
		b,
		{
			name: 'postgres',
			port: proxy.round,
			command: 'node scripts/e2e-nginx.mjs',
			env: { E2E_NGINX: JSON.stringify(config) },
			metadata: {
				proxy: 'nginx',
				instances: [proxy.a, proxy.b].map((port) => `http://127.0.0.1:${port}`),
				noInstance: `http://127.0.0.1:${proxy.gone}`
			}
		}
	];
}

/** One server on the embedded database, and PostgreSQL's when TEST_DATABASE_URL is set. */
const servers: Server[] = [
	{
		name: 'pglite',
		port: basePort,
		command: 'rm -rf .e2e-data/pglite && node build',
		env: { PGLITE_DIR: '.e2e-data/pglite', ...limitsOff, ...emailOn, ...keepAlive }
	},
	...(postgresUrl && nginx ? postgresServers(postgresUrl) : []),
	...(postgresUrl && !nginx
		? [
				{
					name: 'postgres',
					port: basePort + 1,
					command: 'node build',
					env: { DATABASE_URL: postgresUrl, ...limitsOff, ...emailOn, ...keepAlive }
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
			LIMIT_RECIPIENTS: '2',
			...keepAlive
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
	'**/unavailable.test.ts',
	'**/writing.test.ts'
];
/** Checks of the rendered pages alone (slow, and the same on any database): once in all. */
const RENDERING_TESTS = ['**/accessibility.test.ts'];
/** Tours of every page, with and without JavaScript; what they check is the same on any database. */
const TOUR_TESTS = ['**/csp.test.ts', '**/i18n.test.ts'];

// Every flow runs with JavaScript (enhanced forms) and without (plain HTML forms).
const projects: PlaywrightTestProject[] = servers
	.filter((server) => !server.behindProxy)
	.flatMap((server) =>
		[true, false].map((javaScriptEnabled) => ({
			name: `${server.name}-${javaScriptEnabled ? 'js' : 'no-js'}`,
			testMatch: server.testMatch,
			testIgnore: [
				...(server.testMatch ? [] : [RATE_LIMIT_TESTS]),
				...(javaScriptEnabled ? [] : JS_ONLY_TESTS),
				...(server.name === 'pglite' && javaScriptEnabled ? [] : RENDERING_TESTS),
				...(server.name === 'pglite' ? [] : TOUR_TESTS)
			],
			metadata: server.metadata,
			use: {
				browserName: 'chromium' as const,
				baseURL: `http://127.0.0.1:${server.port}`,
				javaScriptEnabled,
				// Times show in the browser's zone: the same on any machine (tests/time-zone.test.ts
				// sets others).
				timezoneId: 'UTC',
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
	webServer: [
		...servers.map((server) => ({
			command: server.command,
			url: `http://127.0.0.1:${server.port}/login`,
			env: {
				...(server.behindProxy ? {} : { ORIGIN: `http://127.0.0.1:${server.port}` }),
				...server.env,
				PORT: String(server.port),
				HOST: '127.0.0.1',
				SQL_COUNT: '1'
			},
			reuseExistingServer: !process.env.CI,
			timeout: 60_000
		})),
		{
			command: 'node scripts/test-smtp.mjs',
			url: `http://127.0.0.1:${smtp.httpPort}/mails`,
			env: { PORT: String(smtp.httpPort), SMTP_PORT: String(smtp.smtpPort) },
			reuseExistingServer: !process.env.CI
		}
	]
});
