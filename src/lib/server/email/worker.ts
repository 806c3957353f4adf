import { AsyncResource } from 'node:async_hooks';
import nodemailer, { type Transporter } from 'nodemailer';
import type { DB } from '../db/client';
import { unavailableCause } from '../db/unavailable';
import { loggable } from '../http/loggable';
import { onMessageSent } from '../message-sent';
import { deliver } from './delivery';
import { claimDue } from './outbox';
import type { EmailSettings } from './settings';

// The outbox's worker: every instance runs one; the claim keeps them off each other's rows.

const BATCH = 20;
const POLL_MS = 5_000;

export interface WorkerOptions {
	/** How long a claimed row stays this worker's; after that another may send it. */
	leaseSeconds?: number;
	pollMs?: number;
}

export interface EmailWorker {
	/** Sends what is due now; resolves when nothing due is left. */
	runOnce(): Promise<void>;
	/** Stops polling and waits for the mails in progress. */
	stop(): Promise<void>;
}

export function createTransport(settings: EmailSettings): Transporter {
	return nodemailer.createTransport({
		url: settings.smtpUrl,
		pool: true,
		maxConnections: 2,
		dkim: settings.dkim
	});
}

export function startEmailWorker(
	db: DB,
	settings: EmailSettings,
	{ leaseSeconds = 120, pollMs = POLL_MS }: WorkerOptions = {},
	transport: Transporter = createTransport(settings)
): EmailWorker {
	let running: Promise<void> | null = null;
	let again = false;
	let stopped = false;

	async function drain() {
		do {
			again = false;
			for (;;) {
				const rows = await claimDue(db, BATCH, leaseSeconds);
				await Promise.all(rows.map((row) => deliver(db, transport, settings, row)));
				if (rows.length < BATCH || stopped) break;
			}
		} while (again && !stopped);
	}

	function runOnce(): Promise<void> {
		if (running) {
			again = true;
			return running;
		}
		running = drain()
			.catch((error) => {
				// The database gone for a moment (a restart, a failover) is no bug: one line, and
				// the next poll goes on; a claimed row waits for its lease.
				const down = unavailableCause(error);
				if (down) console.warn(`Could not send notifications: database unavailable (${down.code})`);
				else console.error('Could not send notifications:', loggable(error));
			})
			.finally(() => (running = null));
		return running;
	}

	// Woken outside the request that sent the message, so its statements are not the request's.
	const wake = AsyncResource.bind(() => {
		if (!stopped) void runOnce();
	});
	const timer = setInterval(wake, pollMs);
	timer.unref();
	// A message due at once is sent at once, by the instance that stored it.
	const unlisten = onMessageSent(() => {
		if (settings.delaySeconds === 0) setImmediate(wake);
	});
	return {
		runOnce,
		async stop() {
			stopped = true;
			clearInterval(timer);
			unlisten();
			await running;
			transport.close();
		}
	};
}
