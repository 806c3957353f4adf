import { verify } from '@node-rs/argon2';
import { and, eq, sql } from 'drizzle-orm';
import nodemailer from 'nodemailer';
import { EMAIL_NOTIFY_CHOICES } from '$lib/schemas';
import type { DB } from '../db/client';
import { EmailNotify, participants, users } from '../db/schema';
import { verificationMail } from './compose';
import type { EmailSettings } from './settings';
import { checkUnsubscribeToken, isVerifyToken, verifyToken, verifyTokenUser } from './tokens';

// The user's side of email: their address, their choice, the links in their mail.

export type EmailNotifyChoice = (typeof EMAIL_NOTIFY_CHOICES)[number];

/** The user's email settings as columns of their row (the account page reads them with others). */
export const emailFields = {
	email: users.email,
	verified: sql<boolean>`${users.emailVerifiedAt} is not null`,
	notify: users.emailNotify,
	error: users.emailError
};

type EmailRow = { email: string | null; verified: boolean; notify: number; error: string | null };

/** The settings from those columns (no row: none). */
export function emailAccountFrom(row: EmailRow | undefined) {
	return {
		email: row?.email ?? '',
		verified: row?.verified ?? false,
		notify: EMAIL_NOTIFY_CHOICES[row?.notify ?? EmailNotify.unread],
		error: row?.error ?? null
	};
}

export async function emailAccountOf(db: DB, userId: number) {
	const [row] = await db.select(emailFields).from(users).where(eq(users.id, userId));
	return emailAccountFrom(row);
}

/**
 * Sets (or, empty, removes) the user's address if `password` is theirs; false, changing
 * nothing, when it is not. A new address is unverified until its link is opened: it is mailed
 * that link and nothing else. The same address again is mailed a new link if not yet verified.
 * `notSent` says why that mail could not be sent (the address is saved all the same).
 */
export async function changeEmail(
	db: DB,
	settings: EmailSettings,
	user: { id: number; username: string },
	password: string,
	email: string,
	/** The page's language, which the user's mails are written in from now on. */
	language: string
): Promise<false | { notSent?: string }> {
	const [row] = await db
		.select({
			passwordHash: users.passwordHash,
			email: users.email,
			emailVerifiedAt: users.emailVerifiedAt,
			language: users.language
		})
		.from(users)
		.where(eq(users.id, user.id));
	if (!row || !(await verify(row.passwordHash, password))) return false;
	const address = email || null;
	const changes = {
		...(address !== row.email && { email: address, emailVerifiedAt: null, emailError: null }),
		...(language !== row.language && { language })
	};
	if (Object.keys(changes).length) {
		await db.update(users).set(changes).where(eq(users.id, user.id));
	}
	if (!address || (address === row.email && row.emailVerifiedAt)) return {};
	try {
		await sendVerification(settings, {
			id: user.id,
			username: user.username,
			to: address,
			language
		});
		return {};
	} catch (error) {
		return { notSent: error instanceof Error ? error.message : String(error) };
	}
}

async function sendVerification(
	settings: EmailSettings,
	{ id, username, to, language }: { id: number; username: string; to: string; language: string }
) {
	const token = verifyToken(settings.secret, id, to);
	const transport = nodemailer.createTransport(settings.smtpUrl);
	try {
		await transport.sendMail(verificationMail(settings, { to, username, token, language }));
	} finally {
		transport.close();
	}
}

/** Sets when the user is mailed, and, chosen on a page, that mails are in its `language`. */
export async function setEmailNotify(
	db: DB,
	userId: number,
	choice: EmailNotifyChoice,
	language?: string
) {
	await db
		.update(users)
		.set({ emailNotify: EmailNotify[choice], ...(language && { language }) })
		.where(eq(users.id, userId));
}

/** Marks the address a verification link was mailed to as the user's; false if it is not one. */
export async function verifyEmail(db: DB, settings: EmailSettings, token: string) {
	const userId = verifyTokenUser(token);
	if (userId === null) return false;
	const [row] = await db.select({ email: users.email }).from(users).where(eq(users.id, userId));
	if (!row?.email || !isVerifyToken(settings.secret, token, row.email)) return false;
	await db
		.update(users)
		.set({ emailVerifiedAt: sql`coalesce(${users.emailVerifiedAt}, now())` })
		.where(and(eq(users.id, userId), eq(users.email, row.email)));
	return true;
}

/** What an unsubscribe link stops, if it is one. */
export function unsubscribeOf(settings: EmailSettings, token: string) {
	return checkUnsubscribeToken(settings.secret, token);
}

/** Stops the mail an unsubscribe link names: one thread's, or (`all`) every notification. */
export async function unsubscribe(db: DB, settings: EmailSettings, token: string) {
	const what = unsubscribeOf(settings, token);
	if (!what) return false;
	if (what.threadId === 'all') {
		await setEmailNotify(db, what.userId, 'never');
	} else {
		await db
			.update(participants)
			.set({ emailOffAt: sql`coalesce(${participants.emailOffAt}, now())` })
			.where(and(eq(participants.userId, what.userId), eq(participants.threadId, what.threadId)));
	}
	return true;
}
