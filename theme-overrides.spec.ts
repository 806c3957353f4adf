import { execFile, spawn } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// Builds the real app with a fixture folder of overrides, in a copy of the project so the
// suite's own build is left alone, then serves it and looks at the page.

const run = promisify(execFile);
const fixtures = path.resolve('tests/fixtures/theme');
const PORT = 4390 + (process.pid % 10);

let copy: string;

beforeAll(() => {
	copy = mkdtempSync(path.join(tmpdir(), 'courier-theme-'));
	for (const entry of ['src', 'static', 'drizzle', 'package.json', 'tsconfig.json']) {
		cpSync(entry, path.join(copy, entry), { recursive: true });
	}
	for (const entry of ['svelte.config.js', 'vite.config.ts', 'theme-overrides.js']) {
		cpSync(entry, path.join(copy, entry));
	}
	symlinkSync(path.resolve('node_modules'), path.join(copy, 'node_modules'));
});

afterAll(() => rmSync(copy, { recursive: true, force: true }));

const build = (overrides: string) =>
	run('npx', ['vite', 'build'], {
		cwd: copy,
		env: { ...process.env, THEME_OVERRIDES: path.join(fixtures, overrides) }
	});

async function serve(url: string): Promise<string> {
	const server = spawn('node', ['build'], {
		cwd: copy,
		env: {
			...process.env,
			PORT: String(PORT),
			HOST: '127.0.0.1',
			ORIGIN: `http://127.0.0.1:${PORT}`,
			PGLITE_DIR: 'memory://'
		},
		stdio: 'ignore'
	});
	try {
		for (let i = 0; i < 120; i++) {
			try {
				const response = await fetch(`http://127.0.0.1:${PORT}${url}`);
				if (response.ok) return await response.text();
			} catch {
				// not listening yet
			}
			await new Promise((resolve) => setTimeout(resolve, 250));
		}
		throw new Error('the built app did not start');
	} finally {
		server.kill();
	}
}

describe('theme overrides', () => {
	it('replace components in the built pages, nested ones too, and may wrap the default', async () => {
		await build('wrapping');
		const html = await serve('/login');

		// AuthPage, imported by the route, replaced outright.
		expect(html).toContain('data-theme-override="AuthPage"');
		expect(html).toContain('Log in, the fixture theme’s way');
		// Field, imported by CredentialsForm with a relative path, wraps the default, which still
		// renders its label and input.
		expect(html.match(/data-theme-override="Field"/g)).toHaveLength(2);
		expect(html).toMatch(/<label[^>]*>Username<\/label>/);
		expect(html).toMatch(/<input[^>]+name="password"/);
		// Components without an override are the defaults: the app shell's header is there.
		expect(html).toMatch(/<nav aria-label="Main"[^>]*><a class="brand/);
	}, 240_000);

	it('stop the build, naming the file, when an override matches no component', async () => {
		const failure = await build('unmatched').then(
			() => null,
			(error: { stderr: string; stdout: string }) => error.stderr + error.stdout
		);
		expect(failure).toMatch(
			/Theme override \S*unmatched\/ThreadRows\.svelte matches no component of the default theme/
		);
		expect(failure).toContain('ThreadRow.svelte');
	}, 240_000);
});
