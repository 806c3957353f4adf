import type { SignedInUser } from '$lib/server/auth';
import type { Scheme } from '$lib/scheme';
import type { ThreadSummary } from '$lib/server/mailbox';

declare global {
	namespace App {
		interface Locals {
			user: SignedInUser | null;
			session: { id: string; expiresAt: Date } | null;
			scheme: Scheme;
		}
		interface PageData {
			user: SignedInUser | null;
			scheme: Scheme;
			/** The time zone the page's times are shown in, on the server and as it hydrates. */
			timeZone: string;
			inboxThreads?: ThreadSummary[];
			unreadThreads?: ThreadSummary[];
			unreadCount?: number;
		}
		interface Error {
			message: string;
			errorId?: string;
			/** The database was out of reach: answered 503, worth trying again. */
			unavailable?: boolean;
		}
	}
}

export {};
