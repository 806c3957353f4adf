// The production server (`node build`) on 127.0.0.1, its output kept for the checks.
import { spawn } from 'node:child_process';
import { createServer } from 'node:net';

/** A port on 127.0.0.1 that is free now. */
export async function freePort() {
	const probe = createServer().listen(0, '127.0.0.1');
	await new Promise((resolve) => probe.once('listening', resolve));
	const { port } = probe.address();
	await new Promise((resolve) => probe.close(resolve));
	return port;
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** Starts the server with `env` on `port` and waits until it answers, for `timeoutMs` at most. */
export async function startServer(env, port, timeoutMs = 30_000) {
	const base = `http://127.0.0.1:${port}`;
	const child = spawn(process.execPath, ['build'], {
		env: {
			...process.env,
			// Eight users posting as fast as they can is the load here, not abuse.
			LIMIT_MESSAGES_PER_MINUTE: '0',
			LIMIT_THREADS_PER_DAY: '0',
			LIMIT_SIGNUP_PER_ADDRESS: '0',
			LIMIT_LOGIN_PER_ADDRESS: '0',
			...env,
			PORT: String(port),
			HOST: '127.0.0.1',
			ORIGIN: base
		},
		stdio: ['ignore', 'pipe', 'pipe']
	});
	let output = '';
	child.stdout.on('data', (chunk) => (output += chunk));
	child.stderr.on('data', (chunk) => (output += chunk));
	const exited = new Promise((resolve) =>
		child.once('exit', (code, signal) => resolve({ code, signal }))
	);
	const server = {
		base,
		pid: child.pid,
		/** What its connections are called in pg_stat_activity (postgres.js reads PGAPPNAME). */
		appName: env.PGAPPNAME,
		exited,
		output: () => output,
		running: () => child.exitCode === null && child.signalCode === null,
		/** Sends `signal` and waits for the process to end; SIGKILL after `timeoutMs`. */
		async stop(signal = 'SIGTERM', timeoutMs = 15_000) {
			if (child.exitCode !== null || child.signalCode !== null) return exited;
			child.kill(signal);
			const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
			const result = await exited;
			clearTimeout(timer);
			return result;
		}
	};
	const started = Date.now();
	while (Date.now() - started < timeoutMs) {
		if (child.exitCode !== null) break;
		const up = await fetch(`${base}/status`, { signal: AbortSignal.timeout(2_000) }).then(
			(response) => response.ok,
			() => false
		);
		if (up) return { ...server, startSeconds: (Date.now() - started) / 1000 };
		await sleep(100);
	}
	await server.stop('SIGKILL');
	throw new Error(`The server did not start in ${timeoutMs / 1000} s:\n${output}`);
}
