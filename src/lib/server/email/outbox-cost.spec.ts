import { eq } from 'drizzle-orm';
import { SMTPServer } from 'smtp-server';
import { describe, expect, it } from 'vitest';
import { users } from '../db/schema';
import { databases, makeUsers, skipWithout, useDatabase } from '../http/testing';
import { reply, startThread } from '../threads';
import { useEmailSettings, type EmailSettings } from './settings';
import { startEmailWorker } from './worker';

// docs/BENCHMARKS.md, "Email": what the outbox costs a reply, and how fast a worker mails.
// A measurement, not a check: run with BENCH_EMAIL=1 (and TEST_DATABASE_URL for PostgreSQL).

const settings: EmailSettings = {
	smtpUrl: 'smtp://127.0.0.1:9',
	from: 'Courier <courier@bench.test>',
	delaySeconds: 0,
	secret: 'bench',
	origin: 'https://bench.test'
};
const median = (values: number[]) => [...values].sort((x, y) => x - y)[values.length >> 1];

describe.skipIf(skipWithout('the outbox measurements', 'BENCH_EMAIL'))('outbox cost', () => {
	for (const [name, options] of databases) {
		const db = useDatabase(options);

		it(`${name}: the reply's CPU with the outbox on and off, alternating`, async () => {
			const [a, b] = await makeUsers(db(), 2);
			await db()
				.update(users)
				.set({ email: 'b@bench.test', emailVerifiedAt: new Date() })
				.where(eq(users.id, b.id));
			const { thread } = await startThread(db(), {
				from: a.id,
				to: [b.id],
				subject: 's',
				content: 'x'
			});
			const cpu: Record<'on' | 'off', number[]> = { on: [], off: [] };
			for (let round = 0; round < 6; round++) {
				for (const mode of round % 2 ? (['on', 'off'] as const) : (['off', 'on'] as const)) {
					useEmailSettings(mode === 'on' ? settings : null);
					const start = process.cpuUsage();
					for (let i = 0; i < 400; i++)
						await reply(db(), { from: a.id, threadId: thread.id, content: 'hi' });
					const used = process.cpuUsage(start);
					cpu[mode].push((used.user + used.system) / 400);
				}
			}
			useEmailSettings(null);
			console.info(
				`${name}: µs of this process's CPU per reply: off ${median(cpu.off).toFixed(0)}, on ${median(cpu.on).toFixed(0)}`
			);
		}, 600_000);

		it(`${name}: mails per second to a local SMTP server`, async () => {
			let received = 0;
			const server = new SMTPServer({
				authOptional: true,
				disabledCommands: ['STARTTLS'],
				logger: false,
				onData(stream, _session, callback) {
					stream.on('data', () => {});
					stream.on('end', () => (received++, callback()));
				}
			});
			await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
			const port = (server.server.address() as { port: number }).port;
			const mailing = { ...settings, smtpUrl: `smtp://127.0.0.1:${port}` };
			const people = await makeUsers(db(), 501);
			const [sender, ...recipients] = people;
			for (const user of recipients) {
				await db()
					.update(users)
					.set({ email: `${user.username}@bench.test`, emailVerifiedAt: new Date() })
					.where(eq(users.id, user.id));
			}
			useEmailSettings(mailing);
			for (const user of recipients) {
				await startThread(db(), { from: sender.id, to: [user.id], subject: 'Hi', content: 'x' });
			}
			const worker = startEmailWorker(db(), mailing, { pollMs: 3_600_000 });
			const start = performance.now();
			await worker.runOnce();
			const seconds = (performance.now() - start) / 1000;
			await worker.stop();
			useEmailSettings(null);
			await new Promise<void>((resolve) => server.close(() => resolve()));
			expect(received).toBeGreaterThanOrEqual(500);
			console.info(
				`${name}: ${received} mails in ${seconds.toFixed(2)} s: ${(received / seconds).toFixed(0)} per second`
			);
		}, 600_000);
	}
});
