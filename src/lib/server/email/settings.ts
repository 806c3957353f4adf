import { readFileSync } from 'node:fs';
import { env } from '$env/dynamic/private';

// Email notifications are on when SMTP_URL and COURIER_SECRET are set (README, "Email").

export interface EmailSettings {
	smtpUrl: string;
	from: string;
	/** How long a notification waits to be read on the web first. */
	delaySeconds: number;
	/**
	 * How long a claimed row stays its worker's before another may send it (the worker's default,
	 * 120 s, when unset). Shorter only for tests: it must outlast sending one batch.
	 */
	leaseSeconds?: number;
	/** Signs the links in mails (tokens.ts). */
	secret: string;
	/** The site the links point at. */
	origin: string;
	dkim?: { domainName: string; keySelector: string; privateKey: string };
}

let settings: EmailSettings | null | undefined;

/** The server's email settings, or null when email is off. Read once. */
export function emailSettings(): EmailSettings | null {
	return settings === undefined ? (settings = settingsFromEnv()) : settings;
}

/** For tests: email as they need it, or off. */
export function useEmailSettings(value: EmailSettings | null) {
	settings = value;
}

function settingsFromEnv(): EmailSettings | null {
	if (!env.SMTP_URL) return null;
	// Without a secret the links could not be checked after a restart nor on another instance.
	if (!env.COURIER_SECRET) {
		console.error('Email is off: SMTP_URL is set but COURIER_SECRET is not (README, "Email").');
		return null;
	}
	const origin = env.ORIGIN || `http://localhost:${env.PORT || 3000}`;
	const delay = Number(env.EMAIL_DELAY_SECONDS);
	const lease = Number(env.EMAIL_LEASE_SECONDS);
	return {
		smtpUrl: env.SMTP_URL,
		from: env.MAIL_FROM || `Courier <courier@${new URL(origin).hostname}>`,
		delaySeconds: env.EMAIL_DELAY_SECONDS && delay >= 0 ? delay : 120,
		leaseSeconds: lease > 0 ? lease : undefined,
		secret: env.COURIER_SECRET,
		origin,
		dkim:
			env.DKIM_DOMAIN && env.DKIM_SELECTOR && env.DKIM_KEY_FILE
				? {
						domainName: env.DKIM_DOMAIN,
						keySelector: env.DKIM_SELECTOR,
						privateKey: readFileSync(env.DKIM_KEY_FILE, 'utf8')
					}
				: undefined
	};
}
