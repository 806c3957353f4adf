import type { SendMailOptions } from 'nodemailer';
import { m } from '$lib/paraglide/messages';
import { baseLocale, toLocale } from '$lib/paraglide/runtime';
import type { EmailSettings } from './settings';
import { unsubscribeToken } from './tokens';

// The notification mail: threaded by a virtual root per thread, unsubscribed in one click.

export interface Notification {
	/** The outbox row: its id makes the Message-ID, the same however often it is re-sent. */
	rowId: number;
	userId: number;
	to: string;
	threadId: string;
	subject: string;
	messages: { id: number; sender: string; content: string }[];
	/** The user's language (`users.language`); null: the site's own. */
	language: string | null;
}

/** The option that writes a message in the user's language, or the site's. */
const inLanguage = (language: string | null) => ({
	locale: toLocale(language ?? '') ?? baseLocale
});

const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

const quote = (text: string) =>
	text
		.split(/\r?\n/)
		.map((line) => `> ${line}`)
		.join('\n');

export function notificationMail(settings: EmailSettings, n: Notification): SendMailOptions {
	const host = new URL(settings.origin).hostname;
	const threadUrl = `${settings.origin}/messages/thread/${n.threadId}`;
	const unsubscribeUrl = `${settings.origin}/unsubscribe/${unsubscribeToken(settings.secret, n)}`;
	const root = `<t.${n.threadId}@${host}>`;
	const locale = inLanguage(n.language);
	const text = [
		...n.messages.map((message) =>
			[m.mail_wrote({ name: message.sender }, locale), quote(message.content), ''].join('\n')
		),
		m.mail_open_thread({ url: threadUrl }, locale),
		'',
		'-- ',
		m.mail_unsubscribe({ url: unsubscribeUrl }, locale)
	].join('\n');
	const html = [
		'<!doctype html><html><body>',
		...n.messages.map(
			(message) =>
				`<p><bdi>${escapeHtml(m.mail_wrote({ name: message.sender }, locale))}</bdi></p>` +
				`<blockquote dir="auto" style="white-space:pre-wrap">${escapeHtml(message.content)}</blockquote>`
		),
		`<p><a href="${escapeHtml(threadUrl)}">${escapeHtml(m.mail_open_thread_html({}, locale))}</a></p>`,
		`<p><small><a href="${escapeHtml(unsubscribeUrl)}">${escapeHtml(m.mail_unsubscribe_html({}, locale))}</a></small></p>`,
		'</body></html>'
	].join('\n');
	return {
		from: settings.from,
		to: n.to,
		subject: n.subject,
		messageId: `<n.${n.rowId}.t.${n.threadId}@${host}>`,
		inReplyTo: root,
		references: root,
		text,
		html,
		headers: {
			'Auto-Submitted': 'auto-generated',
			'List-Unsubscribe': `<${unsubscribeUrl}>`,
			'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click'
		}
	};
}

/** The mail with the link that proves the address is the user's. */
export function verificationMail(
	settings: EmailSettings,
	input: { to: string; username: string; token: string; language: string }
): SendMailOptions {
	const url = `${settings.origin}/email/verify/${input.token}`;
	const locale = inLanguage(input.language);
	return {
		from: settings.from,
		to: input.to,
		subject: m.mail_verify_subject({}, locale),
		text: m.mail_verify_body({ name: input.username, url }, locale),
		headers: { 'Auto-Submitted': 'auto-generated' }
	};
}
