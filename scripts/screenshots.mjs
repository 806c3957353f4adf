// Screenshots of every page at phone and desktop width, in the light and dark schemes, for the
// README: builds the app, seeds the demo data into a throwaway database, serves it on
// 127.0.0.1 and drives Chromium through the pages as the demo user alice.
//
//   npm run screenshots [-- --no-build]
import { chromium } from '@playwright/test';
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

const PORT = 4610;
const BASE = `http://127.0.0.1:${PORT}`;
const OUT = 'docs/screenshots';
const SIZES = { phone: { width: 320, height: 640 }, desktop: { width: 1280, height: 800 } };
const CHROMIUM = '/usr/bin/chromium';

if (!process.argv.includes('--no-build'))
	execFileSync('npx', ['vite', 'build'], { stdio: 'inherit' });

const dataDir = mkdtempSync(path.join(tmpdir(), 'courier-screens-'));
const env = { ...process.env, PGLITE_DIR: path.join(dataDir, 'pglite') };
delete env.DATABASE_URL;
execFileSync('npx', ['tsx', '--tsconfig', 'scripts/tsconfig.json', 'scripts/seed-demo.ts'], {
	env,
	stdio: 'inherit'
});

const server = spawn('node', ['build'], {
	env: { ...env, PORT: String(PORT), HOST: '127.0.0.1', ORIGIN: BASE },
	stdio: ['ignore', 'ignore', 'inherit']
});
const browser = await chromium.launch(
	existsSync(CHROMIUM)
		? { executablePath: CHROMIUM, args: ['--no-sandbox', '--disable-gpu', '--no-first-run'] }
		: {}
);

try {
	await waitForServer();
	mkdirSync(OUT, { recursive: true });
	for (const [size, viewport] of Object.entries(SIZES)) {
		for (const colorScheme of ['light', 'dark']) {
			const context = await browser.newContext({ viewport, colorScheme });
			const page = await context.newPage();
			const shoot = async (name) => {
				await page.screenshot({
					path: `${OUT}/${name}-${size}-${colorScheme}.png`,
					fullPage: true
				});
			};

			await page.goto(`${BASE}/login`);
			await shoot('login');
			await page.getByLabel('Username').fill('alice');
			await page.getByLabel('Password').fill('demo-password');
			await page.getByRole('button', { name: 'Log in' }).click();
			await page.waitForURL(/\/messages$/);
			await shoot('inbox');

			await page.getByRole('link', { name: /Lunch on Friday/ }).click();
			await page.waitForURL(/\/messages\/thread\//);
			await shoot('thread');

			await page.goto(`${BASE}/messages/create`);
			await page.getByRole('button', { name: 'Send', exact: true }).click();
			await page.getByText('Enter at least one username.').waitFor();
			await shoot('compose-errors');

			await page.goto(`${BASE}/messages/deleted`);
			await shoot('deleted-empty');
			await context.close();
		}
	}
	console.log(`Screenshots written to ${OUT}/.`);
} finally {
	await browser.close();
	server.kill();
	rmSync(dataDir, { recursive: true, force: true });
}

async function waitForServer() {
	for (let i = 0; i < 120; i++) {
		try {
			if ((await fetch(`${BASE}/login`)).ok) return;
		} catch {
			// not listening yet
		}
		await new Promise((resolve) => setTimeout(resolve, 250));
	}
	throw new Error('The server did not start.');
}
