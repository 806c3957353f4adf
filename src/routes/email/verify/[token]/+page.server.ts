import { db } from '$lib/server/db';
import { verifyEmail } from '$lib/server/email/account';
import { emailSettings } from '$lib/server/email/settings';
import type { PageServerLoad } from './$types';

// The link mailed to a new address: opening it proves the address is the user's, so it may be
// mailed notifications. It needs no session (it may be opened on another device).
export const load: PageServerLoad = async ({ params }) => {
	const settings = emailSettings();
	return { verified: settings !== null && (await verifyEmail(db, settings, params.token)) };
};
