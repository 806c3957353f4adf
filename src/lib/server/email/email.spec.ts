import { and, eq, sql } from 'drizzle-orm';
import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { DB } from '../db/client';
import { EmailNotify, EmailOutcome, emailOutbox, participants, users } from '../db/schema';
import { databases, makeUsers, useDatabase } from '../http/testing';
import { markRead, reply, startThread } from '../threads';
import { claimDue } from './outbox';
import { mailOf } from './delivery';
import { useEmailSettings, type EmailSettings } from './settings';
import { createTransport, startEmailWorker } from './worker';
import { checkUnsubscribeToken, unsubscribeToken } from './tokens';
import { changeEmail, emailAccountOf, setEmailNotify, unsubscribe, verifyEmail } from './account';
import { hashPassword } from '../auth';

// Notifications through a real SMTP server on loopback, read back with mailparser.

let server: SMTPServer;
let received: ParsedMail[] = [];
let settings: EmailSettings;

beforeAll(async () => {
	server = new SMTPServer({
		authOptional: true,
		disabledCommands: ['STARTTLS'],
		logger: false,
		onRcptTo(address, _session, callback) {
			if (address.address.endsWith('@bounce.test')) {
				const error = Object.assign(new Error('No such user'), { responseCode: 550 });
				return callback(error);
			}
			callback();
		},
		onData(stream, _session, callback) {
			simpleParser(stream).then((mail) => {
				received.push(mail);
				callback();
			}, callback);
		}
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const { port } = server.server.address() as { port: number };
	settings = {
		smtpUrl: `smtp://127.0.0.1:${port}`,
		from: 'Courier <courier@mail.test>',
		delaySeconds: 0,
		secret: 'test secret',
		origin: 'https://courier.test'
	};
	useEmailSettings(settings);
});

afterAll(async () => {
	useEmailSettings(null);
	await new Promise<void>((resolve) => server.close(() => resolve()));
});

beforeEach(() => {
	received = [];
});

type User = { id: number; username: string };

async function withAddress(db: DB, user: User, address = `${user.username}@mail.test`) {
	await db
		.update(users)
		.set({ email: address, emailVerifiedAt: new Date() })
		.where(eq(users.id, user.id));
}

/** A header as it was written (mailparser reads List-* headers into an object). */
const header = (mail: ParsedMail, name: string) =>
	mail.headerLines.find((line) => line.key === name)?.line.replace(/^[^:]+:\s*/, '');

const mailsTo = (user: User) =>
	received.filter((mail) => mail.to && 'text' in mail.to && mail.to.text.includes(user.username));

for (const [name, options] of databases) {
	describe(`email notifications (${name})`, () => {
		const db = useDatabase(options);
		const send = async () => {
			const worker = startEmailWorker(db(), settings, { pollMs: 3_600_000 });
			await worker.runOnce();
			await worker.stop();
		};

		async function scene() {
			const [a, b] = await makeUsers(db(), 2);
			await withAddress(db(), b);
			await withAddress(db(), a);
			const { thread } = await startThread(db(), {
				from: a.id,
				to: [b.id],
				subject: 'Lunch plans',
				content: 'First'
			});
			await send();
			received = [];
			return { a, b, threadId: thread.id };
		}

		it('mails one reply once, to the other participant only', async () => {
			const { a, b, threadId } = await scene();
			await reply(db(), { from: a.id, threadId, content: 'Are you coming?' });
			await send();
			expect(mailsTo(b)).toHaveLength(1);
			expect(mailsTo(a)).toHaveLength(0);
			expect(mailsTo(b)[0].text).toContain('> Are you coming?');
			expect(mailsTo(b)[0].text).not.toContain('> First');
			await send();
			expect(mailsTo(b)).toHaveLength(1);
		});

		it('mails three quick replies as one mail with all three, in order', async () => {
			const { a, b, threadId } = await scene();
			for (const content of ['one', 'two', 'three']) {
				await reply(db(), { from: a.id, threadId, content });
			}
			await send();
			expect(mailsTo(b)).toHaveLength(1);
			expect(mailsTo(b)[0].text).toMatch(/> one[\s\S]*> two[\s\S]*> three/);
			expect(mailsTo(b)[0].html).toMatch(/one[\s\S]*two[\s\S]*three/);
		});

		it('mails nothing for what was read on the web before it was due, unless "always"', async () => {
			const { a, b, threadId } = await scene();
			const sent = await reply(db(), { from: a.id, threadId, content: 'Seen already' });
			await markRead(db(), b.id, threadId, sent!.message.id);
			await send();
			expect(mailsTo(b)).toHaveLength(0);
			const [row] = await db()
				.select({ outcome: emailOutbox.outcome })
				.from(emailOutbox)
				.where(and(eq(emailOutbox.userId, b.id), eq(emailOutbox.threadId, threadId)))
				.orderBy(sql`id desc`)
				.limit(1);
			expect(row.outcome).toBe(EmailOutcome.skippedRead);

			await db().update(users).set({ emailNotify: EmailNotify.always }).where(eq(users.id, b.id));
			const again = await reply(db(), { from: a.id, threadId, content: 'Read this too' });
			await markRead(db(), b.id, threadId, again!.message.id);
			await send();
			expect(mailsTo(b)).toHaveLength(1);
		});

		it('mails nothing for a muted thread, nor to "never", nor to an unverified address', async () => {
			const { a, b, threadId } = await scene();
			await db()
				.update(participants)
				.set({ mutedAt: new Date() })
				.where(and(eq(participants.userId, b.id), eq(participants.threadId, threadId)));
			await reply(db(), { from: a.id, threadId, content: 'Muted' });
			// Not even queued: the sending statement leaves muted members out.
			const queued = await db()
				.select()
				.from(emailOutbox)
				.where(and(eq(emailOutbox.userId, b.id), sql`sent_at is null`));
			expect(queued).toEqual([]);
			await send();
			expect(mailsTo(b)).toHaveLength(0);

			const { a: c, b: d, threadId: other } = await scene();
			await db().update(users).set({ emailNotify: EmailNotify.never }).where(eq(users.id, d.id));
			await reply(db(), { from: c.id, threadId: other, content: 'Never' });
			await db()
				.update(users)
				.set({ emailNotify: EmailNotify.unread, emailVerifiedAt: null })
				.where(eq(users.id, d.id));
			await reply(db(), { from: c.id, threadId: other, content: 'Unverified' });
			await send();
			expect(mailsTo(d)).toHaveLength(0);
		});

		it('tries a 550 recipient once, and records the error for the account page', async () => {
			const { a, b, threadId } = await scene();
			await withAddress(db(), b, `${b.username}@bounce.test`);
			await reply(db(), { from: a.id, threadId, content: 'Bounce' });
			await send();
			const [row] = await db()
				.select()
				.from(emailOutbox)
				.where(and(eq(emailOutbox.userId, b.id), eq(emailOutbox.threadId, threadId)))
				.orderBy(sql`id desc`)
				.limit(1);
			expect(row).toMatchObject({ attempts: 1, outcome: EmailOutcome.failed });
			expect(row.sentAt).not.toBeNull();
			expect(row.lastError).toMatch(/550/);
			const [user] = await db().select().from(users).where(eq(users.id, b.id));
			expect(user.emailError).toMatch(/550/);
		});

		it('sends again, with the same Message-ID, a row whose worker died after sending', async () => {
			const { a, b, threadId } = await scene();
			await reply(db(), { from: a.id, threadId, content: 'Crash' });
			// A worker claims with a one-second lease, mails, and dies before marking the row.
			const claimed = (await claimDue(db(), 100, 1)).filter((row) => row.userId === b.id);
			expect(claimed).toHaveLength(1);
			const made = await mailOf(db(), settings, claimed[0]);
			const transport = createTransport(settings);
			await transport.sendMail('mail' in made ? made.mail : {});
			transport.close();
			await send();
			expect(mailsTo(b)).toHaveLength(1);
			await new Promise((resolve) => setTimeout(resolve, 1200));
			await send();
			expect(mailsTo(b)).toHaveLength(2);
			expect(mailsTo(b)[1].messageId).toBe(mailsTo(b)[0].messageId);
		});

		it('never sends a row twice when two workers claim at once', async () => {
			const senders = await makeUsers(db(), 30);
			const [b] = await makeUsers(db(), 1);
			await withAddress(db(), b);
			for (const sender of senders) {
				await startThread(db(), { from: sender.id, to: [b.id], subject: 'Hi', content: 'x' });
			}
			const workers = [0, 1].map(() => startEmailWorker(db(), settings, { pollMs: 3_600_000 }));
			await Promise.all(workers.map((worker) => worker.runOnce()));
			await Promise.all(workers.map((worker) => worker.stop()));
			const ids = mailsTo(b).map((mail) => mail.messageId);
			expect(ids).toHaveLength(30);
			expect(new Set(ids).size).toBe(30);
		});

		it('writes mails in the language of the page the settings were chosen on', async () => {
			const { a, b, threadId } = await scene();
			await reply(db(), { from: a.id, threadId, content: 'In English' });
			await send();
			expect(mailsTo(b)[0].text).toContain(`${a.username} wrote:`);
			// Notifications chosen on a German page: German from then on.
			await setEmailNotify(db(), b.id, 'unread', 'de');
			received = [];
			await reply(db(), { from: a.id, threadId, content: 'Auf Deutsch' });
			await send();
			expect(mailsTo(b)[0].text).toContain(`${a.username} schrieb:`);
			expect(mailsTo(b)[0].text).toContain('Unterhaltung öffnen:');
			// An unsubscribe link is no page: it leaves the language as it was.
			await unsubscribe(
				db(),
				settings,
				unsubscribeToken(settings.secret, { userId: b.id, threadId: 'all' })
			);
			const [row] = await db()
				.select({ language: users.language })
				.from(users)
				.where(eq(users.id, b.id));
			expect(row.language).toBe('de');
		});

		it('mails the verification link in the language of the page the address was set on', async () => {
			const [user] = await makeUsers(db(), 1);
			await db()
				.update(users)
				.set({ passwordHash: await hashPassword('right password') })
				.where(eq(users.id, user.id));
			await changeEmail(db(), settings, user, 'right password', `${user.username}@mail.test`, 'de');
			expect(mailsTo(user)[0].subject).toBe('Bestätige deine E-Mail-Adresse für Courier');
		});

		it('verifies an address by the link mailed to it, and only that address', async () => {
			const [user] = await makeUsers(db(), 1);
			await db()
				.update(users)
				.set({ passwordHash: await hashPassword('right password') })
				.where(eq(users.id, user.id));
			const address = `${user.username}@mail.test`;
			expect(await changeEmail(db(), settings, user, 'wrong', address, 'en')).toBe(false);
			expect((await emailAccountOf(db(), user.id)).email).toBe('');
			expect(await changeEmail(db(), settings, user, 'right password', address, 'en')).toEqual({});
			expect(await emailAccountOf(db(), user.id)).toMatchObject({
				email: address,
				verified: false
			});
			const link = /https:\/\/courier\.test\/email\/verify\/(\S+)/.exec(mailsTo(user)[0].text!);
			const token = link![1];
			// A link for an address since replaced proves nothing.
			await changeEmail(db(), settings, user, 'right password', `x${address}`, 'en');
			expect(await verifyEmail(db(), settings, token)).toBe(false);
			await changeEmail(db(), settings, user, 'right password', address, 'en');
			expect(await verifyEmail(db(), settings, `${token}x`)).toBe(false);
			expect(await verifyEmail(db(), settings, token)).toBe(true);
			expect((await emailAccountOf(db(), user.id)).verified).toBe(true);
		});

		it('unsubscribes from one thread, or from all', async () => {
			const { a, b, threadId } = await scene();
			const token = unsubscribeToken(settings.secret, { userId: b.id, threadId });
			expect(await unsubscribe(db(), settings, token.replace(/.$/, '_'))).toBe(false);
			expect(await unsubscribe(db(), settings, token)).toBe(true);
			await reply(db(), { from: a.id, threadId, content: 'Unsubscribed' });
			await send();
			expect(mailsTo(b)).toHaveLength(0);
			// Other threads still mail, until "all".
			const other = await startThread(db(), { from: a.id, to: [b.id], subject: 'S', content: 'x' });
			await send();
			expect(mailsTo(b)).toHaveLength(1);
			const all = unsubscribeToken(settings.secret, { userId: b.id, threadId: 'all' });
			expect(await unsubscribe(db(), settings, all)).toBe(true);
			expect((await emailAccountOf(db(), b.id)).notify).toBe('never');
			await reply(db(), { from: a.id, threadId: other.thread.id, content: 'y' });
			await send();
			expect(mailsTo(b)).toHaveLength(1);
		});

		it("mails only the thread's members, and a link stops only its own user's mail", async () => {
			const { a, b, threadId } = await scene();
			const [outsider] = await makeUsers(db(), 1);
			await withAddress(db(), outsider);
			// An outsider cannot reply, so queues nothing; nor does a member's reply mail them.
			expect(await reply(db(), { from: outsider.id, threadId, content: 'Let me in' })).toBeNull();
			await reply(db(), { from: a.id, threadId, content: 'Members only' });
			await send();
			expect(mailsTo(outsider)).toHaveLength(0);
			expect(mailsTo(b)).toHaveLength(1);
			// The outsider's own link for the thread (were it mailed) changes no one's row; a link
			// with another user's id in it is not signed.
			const own = unsubscribeToken(settings.secret, { userId: outsider.id, threadId });
			await unsubscribe(db(), settings, own);
			const forged = own.replace(/^\d+/, String(b.id));
			expect(await unsubscribe(db(), settings, forged)).toBe(false);
			await reply(db(), { from: a.id, threadId, content: 'Still mailed' });
			await send();
			expect(mailsTo(b)).toHaveLength(2);
		});

		it('queues nothing while email is off (no SMTP_URL), so turning it on mails nothing old', async () => {
			const { a, b, threadId } = await scene();
			useEmailSettings(null);
			try {
				await reply(db(), { from: a.id, threadId, content: 'Email is off' });
			} finally {
				useEmailSettings(settings);
			}
			const rows = await db()
				.select()
				.from(emailOutbox)
				.where(and(eq(emailOutbox.userId, b.id), sql`sent_at is null`));
			expect(rows).toEqual([]);
			await send();
			expect(mailsTo(b)).toHaveLength(0);
		});

		it('writes the exact threading and unsubscribe headers', async () => {
			const { a, b, threadId } = await scene();
			await reply(db(), { from: a.id, threadId, content: '<b>bold</b> & more' });
			await send();
			await reply(db(), { from: a.id, threadId, content: 'Second mail' });
			await send();
			const [first, second] = mailsTo(b);
			const root = `<t.${threadId}@courier.test>`;
			expect(first.subject).toBe('Lunch plans');
			expect(second.subject).toBe('Lunch plans');
			expect(first.messageId).toMatch(new RegExp(`^<n\\.\\d+\\.t\\.${threadId}@courier\\.test>$`));
			expect(second.messageId).not.toBe(first.messageId);
			for (const mail of [first, second]) {
				expect(mail.inReplyTo).toBe(root);
				expect(mail.references).toBe(root);
				expect(header(mail, 'auto-submitted')).toBe('auto-generated');
				expect(header(mail, 'list-unsubscribe-post')).toBe('List-Unsubscribe=One-Click');
			}
			const unsubscribe = /^<https:\/\/courier\.test\/unsubscribe\/([^>]+)>$/.exec(
				header(first, 'list-unsubscribe')!
			);
			expect(unsubscribe).not.toBeNull();
			expect(checkUnsubscribeToken(settings.secret, unsubscribe![1])).toEqual({
				userId: b.id,
				threadId
			});
			expect(first.html).toContain('&#60;b&#62;bold&#60;/b&#62; &#38; more');
			expect(first.html).not.toContain('<b>bold');
			expect(first.text).toContain(`${a.username} wrote:`);
			expect(first.text).toContain(`https://courier.test/messages/thread/${threadId}`);
		});
	});
}
