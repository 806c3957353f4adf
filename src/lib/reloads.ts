// What loads depend on (SvelteKit's `depends`), so that a live event re-loads just those.

/** The mailbox: the layout's summary and the folder listings. */
export const MAILBOX = 'courier:mailbox';
/** The open thread: its page marks it read, so only a visible tab re-loads it. */
export const THREAD = 'courier:thread';
