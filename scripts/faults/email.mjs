// Email notifications under faults (docs/RELIABILITY.md, "Email"): instances with email on, an
// SMTP server of the run's own (smtp-server in this process, on loopback) that records every mail
// it is given with the time its transaction began and ended. Delivery is at-least-once: a mail may
// come twice, with the same Message-ID, but never twice at the same time, and none may be lost.
import { simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import { unexpectedOutput } from './checks.mjs';
import { reply, signUp, startThread } from './client.mjs';
import { now, sleep } from './scenarios.mjs';
import { freePort } from './server.mjs';

/** The workers' lease in these scenarios (EMAIL_LEASE_SECONDS; 120 s in production). */
const LEASE_SECONDS = 10;
/** The workers poll this often (worker.ts). */
const POLL_MS = 5_000;
/** The queue of the restart scenario. */
const QUEUE = 1_000;

/** The outbox row a notification's Message-ID names (compose.ts: `<n.ROW.t.THREAD@host>`). */
const rowOf = (messageId) => Number(messageId?.match(/^<n\.(\d+)\./)?.[1]);

/**
 * The SMTP server: `mails` holds every mail whose data arrived, `accepted` false for those held
 * (answered only when released, by then to a dead client). `helo` is the instance (the
 * SMTP_URL's `name`).
 */
export async function startSmtp() {
	const smtp = { mails: [], hold: false, held: [] };
	const server = new SMTPServer({
		authOptional: true,
		disabledCommands: ['STARTTLS'],
		logger: false,
		onMailFrom(_address, session, callback) {
			session.mailStart = now();
			callback();
		},
		onData(stream, session, callback) {
			const start = session.mailStart ?? now();
			simpleParser(stream).then((mail) => {
				const record = {
					messageId: mail.messageId,
					row: rowOf(mail.messageId),
					to: session.envelope.rcptTo.map((r) => r.address.toLowerCase()),
					text: mail.text ?? '',
					helo: session.hostNameAppearsAs,
					start,
					end: now(),
					accepted: !smtp.hold
				};
				smtp.mails.push(record);
				if (smtp.hold) smtp.held.push(callback);
				else callback();
			}, callback);
		}
	});
	const port = await freePort();
	await new Promise((resolve) => server.listen(port, '127.0.0.1', resolve));
	return {
		...smtp,
		smtp,
		port,
		/** Answers the held mails with a temporary refusal (their client is gone by then). */
		release() {
			smtp.hold = false;
			for (const callback of smtp.held.splice(0)) {
				try {
					callback(Object.assign(new Error('Try again later'), { responseCode: 451 }));
				} catch {
					// the connection is closed
				}
			}
		},
		close: () => new Promise((resolve) => server.close(resolve))
	};
}

/** What an instance needs to have email on, sending at once to `smtp` and calling itself `name`. */
export const emailEnv = (smtp, name) => ({
	SMTP_URL: `smtp://127.0.0.1:${smtp.port}/?name=${name}`,
	COURIER_SECRET: 'faults-secret-not-for-production-0123456789',
	EMAIL_DELAY_SECONDS: '0',
	EMAIL_LEASE_SECONDS: String(LEASE_SECONDS)
});

async function until(condition, timeoutMs, stepMs = 100) {
	const started = now();
	while (now() - started < timeoutMs) {
		if (await condition()) return true;
		await sleep(stepMs);
	}
	return false;
}

/** Gives `usernames` verified addresses (`name@faults.test`), as if they had clicked the link. */
async function verify(cluster, usernames, threadIds) {
	await cluster.query(async (sql) => {
		await sql`update users set email = lower(username) || '@faults.test',
			email_verified_at = now() where username = any(${usernames})`;
		// Not message requests: someone they never wrote to may land there, and is not mailed.
		await sql`update participants set request_at = null where thread_id = any(${threadIds})`;
	});
}

/**
 * Two deliveries of one Message-ID whose transactions overlapped in time: the same row sent twice
 * at once. Also how many rows came more than once, one after the other.
 */
export function concurrentCopies(mails) {
	const byId = new Map();
	for (const mail of mails) byId.set(mail.messageId, [...(byId.get(mail.messageId) ?? []), mail]);
	const overlapping = [];
	let repeated = 0;
	for (const [messageId, copies] of byId) {
		if (copies.length < 2) continue;
		repeated++;
		copies.sort((a, b) => a.start - b.start);
		for (let i = 1; i < copies.length; i++)
			if (copies[i].start < copies[i - 1].end) overlapping.push(messageId);
	}
	return { overlapping, repeated };
}

const seconds = (ms) => Math.round(ms) / 1000;

/**
 * (h) SIGKILL between commit and send: a reply is stored and its notification claimed, the SMTP
 * server holds the mail unanswered, and the instance is killed. Started again, it sends the mail
 * once the lease is over, with the Message-ID the first try had.
 */
export async function killedWhileSending({ cluster, server, smtp, instance }) {
	const problems = [];
	const run = Math.random().toString(36).slice(2, 7);
	const [sender, recipient] = [
		await signUp(server.base, `h${run}s`),
		await signUp(server.base, `h${run}r`)
	];
	const threadId = await startThread(server.base, sender, [recipient.username], `Kill ${run}`);
	await verify(cluster, [recipient.username], [threadId]);
	const address = `${recipient.username.toLowerCase()}@faults.test`;
	const mine = () => smtp.mails.filter((m) => m.to.includes(address));

	const first = await instance('courier-mail-1', emailEnv(smtp, 'first'));
	smtp.smtp.hold = true;
	const content = `kill-${run}-${Math.random().toString(36).slice(2, 8)}`;
	const sent = await reply(first.base, sender, threadId, content, false);
	if (!sent.acknowledged) problems.push(`the reply was not acknowledged: ${sent.status}`);
	if (!(await until(() => mine().length > 0, 10_000)))
		problems.push('the first instance did not try to send the mail within 10 s');
	const [row] = await cluster.query(
		(sql) => sql`select id, sent_at, locked_until > now() as leased, attempts from email_outbox
			where thread_id = ${threadId}`
	);
	if (!row) return { problems: [...problems, 'no outbox row was queued'], figures: {} };
	if (row.sent_at || !row.leased)
		problems.push(`before the kill the row was not claimed and unsent: ${JSON.stringify(row)}`);
	const killedAt = now();
	await first.stop('SIGKILL');
	smtp.release();

	const second = await instance('courier-mail-1', emailEnv(smtp, 'second'));
	const outputBefore = 0;
	const limit = LEASE_SECONDS * 1000 + POLL_MS + 10_000;
	const done = await until(async () => {
		if (!mine().some((m) => m.accepted)) return false;
		const [r] = await cluster.query(
			(sql) => sql`select sent_at from email_outbox where id = ${row.id}`
		);
		return r.sent_at !== null;
	}, limit);
	if (!done) problems.push(`the mail was not sent again within ${limit / 1000} s of the kill`);
	const copies = mine();
	const accepted = copies.filter((m) => m.accepted);
	const ids = new Set(copies.map((m) => m.messageId));
	if (accepted.length > 1) problems.push(`the mail was delivered ${accepted.length} times`);
	if (ids.size !== 1) problems.push(`its copies carry ${ids.size} Message-IDs: ${[...ids]}`);
	if (copies.some((m) => m.row !== Number(row.id)))
		problems.push(`a copy names another outbox row than ${row.id}`);
	if (accepted[0] && !accepted[0].text.includes(content))
		problems.push('the mail sent after the restart lacks the reply');
	if (accepted[0] && accepted[0].helo !== 'second')
		problems.push(`the mail was sent by ${accepted[0].helo}, not the restarted instance`);
	const [after] = await cluster.query(
		(sql) => sql`select attempts, outcome from email_outbox where id = ${row.id}`
	);
	const logged = unexpectedOutput(second.output().slice(outputBefore));
	if (logged.length)
		problems.push(`the restarted instance logged: ${logged.slice(0, 5).join(' | ')}`);
	await second.stop('SIGTERM');
	return {
		problems,
		figures: {
			lease: `${LEASE_SECONDS} s`,
			'copies received': copies.length,
			'held when killed': copies.length - accepted.length,
			delivered: accepted.length,
			'sent again after the kill': accepted[0] ? `${seconds(accepted[0].end - killedAt)} s` : '-',
			attempts: after?.attempts
		}
	};
}

/** Fills the outbox with one due row per (recipient, thread): `QUEUE` rows. */
async function queueAll(cluster, threadIds, senderName) {
	return cluster.query(async (sql) => {
		await sql`update participants set last_emailed_message_id = 0 where thread_id = any(${threadIds})`;
		const rows = await sql`insert into email_outbox (user_id, thread_id, first_message_id, due_at)
			select p.user_id, p.thread_id,
				(select min(m.id) from messages m where m.thread_id = p.thread_id), now()
			from participants p join users u on u.id = p.user_id
			where p.thread_id = any(${threadIds}) and u.username <> ${senderName}
			returning id`;
		return rows.map((r) => Number(r.id));
	});
}

/** Waits until every row of `ids` is ended; false after `timeoutMs`. */
const allEnded = (cluster, ids, timeoutMs) =>
	until(
		async () => {
			const [r] = await cluster
				.query(
					(sql) => sql`select count(*)::int as n from email_outbox
				where id = any(${ids}) and sent_at is null`
				)
				.catch(() => [{ n: -1 }]);
			return r.n === 0;
		},
		timeoutMs,
		250
	);

/**
 * (i) PostgreSQL restarted (`pg_ctl restart -m fast`) while two instances drain a queue of 1,000
 * due mails. First the same queue drained without a fault, for the throughput. Every row must end
 * sent, every Message-ID arrive, and no Message-ID be in two transactions at once.
 */
export async function restartedWhileDraining({ cluster, server, smtp, instance }) {
	const problems = [];
	const run = Math.random().toString(36).slice(2, 7);
	const sender = await signUp(server.base, `i${run}s`);
	const recipients = [];
	for (let i = 0; i < 10; i++) recipients.push(await signUp(server.base, `i${run}r${i}`));
	const names = recipients.map((r) => r.username);
	const threadIds = [];
	for (let t = 0; t < QUEUE / recipients.length; t += 5)
		threadIds.push(
			...(await Promise.all(
				[0, 1, 2, 3, 4].map((k) => startThread(server.base, sender, names, `Queue ${run} ${t + k}`))
			))
		);
	await verify(cluster, names, threadIds);
	const instances = [
		await instance('courier-mail-1', emailEnv(smtp, 'one')),
		await instance('courier-mail-2', emailEnv(smtp, 'two'))
	];
	const outputsBefore = instances.map((s) => s.output().length);

	// Without a fault: the throughput of two instances.
	const calm = new Set(await queueAll(cluster, threadIds, sender.username));
	if (calm.size !== QUEUE) problems.push(`queued ${calm.size} rows, not ${QUEUE}`);
	if (!(await allEnded(cluster, [...calm], 60_000)))
		problems.push('the queue was not drained within 60 s without a fault');
	const calmMails = smtp.mails.filter((m) => calm.has(m.row));
	const first = Math.min(...calmMails.map((m) => m.start));
	const last = Math.max(...calmMails.map((m) => m.end));
	const perSecond = Math.round(calmMails.length / ((last - first) / 1000));
	const byInstance = (mails) =>
		['one', 'two'].map((name) => mails.filter((m) => m.helo === name).length).join('+');

	// The same again, PostgreSQL restarted once 150 mails of it have come.
	const queued = await queueAll(cluster, threadIds, sender.username);
	const rows = new Set(queued);
	const ofQueue = () => smtp.mails.filter((m) => rows.has(m.row));
	await until(() => ofQueue().length >= 150, 30_000, 10);
	const restartAt = now();
	const before = ofQueue().length;
	await cluster.restart();
	const back = now();
	const limit = LEASE_SECONDS * 1000 + POLL_MS + 30_000;
	if (!(await allEnded(cluster, queued, limit)))
		problems.push(`not every row was ended within ${limit / 1000} s of the restart`);
	const drained = now();
	await sleep(500); // a mail in flight when the last row ended
	const ended = await cluster.query(
		(sql) => sql`select id, outcome from email_outbox where id = any(${queued})`
	);
	const notSent = ended.filter((r) => r.outcome !== 1);
	if (notSent.length)
		problems.push(
			`${notSent.length} rows ended unsent (outcome ${[...new Set(notSent.map((r) => r.outcome))]})`
		);
	const mails = ofQueue();
	const arrived = new Set(mails.filter((m) => m.accepted).map((m) => m.row));
	const missing = queued.filter((id) => !arrived.has(id));
	if (missing.length)
		problems.push(`${missing.length} rows' mails never arrived (e.g. ${missing.slice(0, 5)})`);
	const all = concurrentCopies([...calmMails, ...mails]);
	if (all.overlapping.length)
		problems.push(
			`${all.overlapping.length} mails were sent twice at the same time (e.g. ${all.overlapping.slice(0, 3)})`
		);
	const calmCopies = concurrentCopies(calmMails);
	if (calmCopies.repeated) problems.push(`${calmCopies.repeated} mails came twice without a fault`);
	for (const [i, s] of instances.entries()) {
		// A worker whose statement met the database down says so (once per poll at most).
		const logged = unexpectedOutput(s.output().slice(outputsBefore[i])).filter(
			(line) => !/^Could not send notifications: database unavailable \(\w+\)$/.test(line)
		);
		if (logged.length) problems.push(`instance ${i + 1} logged: ${logged.slice(0, 5).join(' | ')}`);
		if (!s.running()) problems.push(`instance ${i + 1} is no longer running`);
	}
	await Promise.all(instances.map((s) => s.stop('SIGTERM')));
	return {
		problems,
		figures: {
			'throughput without a fault': `${perSecond} mails/s (${calmMails.length} in ${seconds(last - first)} s, ${byInstance(calmMails)} by instance)`,
			'received before the restart': before,
			'restart took': `${seconds(back - restartAt)} s`,
			'all ended': `${seconds(drained - back)} s after`,
			'mails received': `${mails.length} for ${QUEUE} rows (${byInstance(mails)} by instance)`,
			'sent again one after the other': concurrentCopies(mails).repeated,
			'sent twice at once': all.overlapping.length
		}
	};
}
