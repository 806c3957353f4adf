// What loads depend on (SvelteKit's `depends`), so that a live event re-loads just those.

/** The mailbox: the layout's summary (counts, the inbox's newest page). */
export const MAILBOX = 'courier:mailbox';
/**
 * A folder page's own listing. Not re-loaded for the user's own changes (`self`): this tab's
 * action already re-loaded it, and the re-load would take away the notice of what was done.
 */
export const FOLDER = 'courier:folder';
/** The open thread: its page marks it read, so only a visible tab re-loads it. */
export const THREAD = 'courier:thread';
