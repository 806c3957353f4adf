import { sql, type SQLWrapper } from 'drizzle-orm';
import { folderPredicates } from './folders';
import {
	bigint,
	index,
	integer,
	pgTable,
	primaryKey,
	smallint,
	text,
	timestamp,
	uniqueIndex
} from 'drizzle-orm/pg-core';

// Millisecond precision, so that a JavaScript Date round-trips exactly.
const timestamptz = (name: string) => timestamp(name, { withTimezone: true, precision: 3 });

/**
 * A username as every lookup matches it: ASCII lower case, as `canonicalUsername` gives it in
 * JavaScript. Under the "C" collation, `lower` changes only A to Z, whatever the database's
 * locale (a Turkish one would make `I` a dotless `ı`, and `ALICE` and `alice` two accounts).
 */
export const usernameKey = (username: SQLWrapper) => sql`lower(${username} collate "C")`;

export const users = pgTable(
	'users',
	{
		id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
		username: text('username').notNull(),
		passwordHash: text('password_hash').notNull(),
		createdAt: timestamptz('created_at').notNull().defaultNow(),
		// The IANA time zone times are shown in without JavaScript (null: none chosen yet).
		timeZone: text('time_zone'),
		/** Who may start a thread with the user or add them to one: a `DmPolicy`. */
		dmPolicy: smallint('dm_policy').notNull().default(0),
		/** Where notifications go (email/), shown to no one else; mailed only once verified. */
		email: text('email'),
		emailVerifiedAt: timestamptz('email_verified_at'),
		/** When to email a new message: an `EmailNotify`. */
		emailNotify: smallint('email_notify').notNull().default(1),
		/** Why the last notification could not be delivered (null: it was, or none was tried). */
		emailError: text('email_error'),
		/**
		 * The language mails are written in: the one the browser asked for at sign-up, or when the
		 * user last set their address or notifications (null: the site's own).
		 */
		language: text('language')
	},
	(t) => [uniqueIndex('users_username_key_idx').on(usernameKey(t.username))]
);

export const sessions = pgTable(
	'sessions',
	{
		// sha256 of the token in the cookie: a leaked table does not give working sessions.
		id: text('id').primaryKey(),
		userId: integer('user_id')
			.notNull()
			.references(() => users.id, { onDelete: 'cascade' }),
		expiresAt: timestamptz('expires_at').notNull()
	},
	(t) => [
		index('sessions_user_id_idx').on(t.userId),
		// For the sweep that deletes expired sessions no one came back to.
		index('sessions_expires_at_idx').on(t.expiresAt)
	]
);

export const threads = pgTable('threads', {
	// Random, so thread URLs can be neither guessed nor enumerated.
	id: text('id').primaryKey(),
	subject: text('subject').notNull(),
	createdAt: timestamptz('created_at').notNull().defaultNow(),
	// What every listing shows, kept here so a page of threads is one index range scan plus a
	// primary-key lookup per thread. Usernames never change; the names are rewritten when
	// someone joins or leaves, and the newest message's summary by each reply, under the row lock.
	participantNames: text('participant_names').array().notNull(),
	lastSender: text('last_sender').notNull(),
	lastExcerpt: text('last_excerpt').notNull(),
	lastSentAt: timestamptz('last_sent_at').notNull()
});

export const messages = pgTable(
	'messages',
	{
		id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
		threadId: text('thread_id')
			.notNull()
			.references(() => threads.id, { onDelete: 'cascade' }),
		senderId: integer('sender_id')
			.notNull()
			.references(() => users.id),
		content: text('content').notNull(),
		sentAt: timestamptz('sent_at').notNull().defaultNow(),
		/**
		 * A `MessageKind`: a message (0), or an event of the thread's timeline shown between
		 * messages: someone added (`aboutUserId`, by the sender), someone left (the sender), the
		 * thread renamed (`content` is the new subject).
		 */
		kind: smallint('kind').notNull().default(0),
		aboutUserId: integer('about_user_id').references(() => users.id)
	},
	(t) => [
		index('messages_thread_id_id_idx').on(t.threadId, t.id),
		// Full-text search over messages (not events), in every language alike: no stemming.
		index('messages_search_idx')
			.using('gin', sql`to_tsvector('simple', ${t.content})`)
			.where(sql`${t.kind} = 0`)
	]
);

/** What a row of `messages` is (`messages.kind`). */
export const MessageKind = { message: 0, added: 1, left: 2, renamed: 3 } as const;

/** When a user is emailed a new message (`users.email_notify`). */
export const EmailNotify = { always: 0, unread: 1, never: 2 } as const;

/** Who may start a thread with a user or add them to one (`users.dm_policy`). */
export const DmPolicy = { everyone: 0, writtenWith: 1, nobody: 2, requests: 3 } as const;

/**
 * One user's mailbox state for one thread. `lastMessageId` is copied from the thread's newest
 * message on every write, so each folder is one range scan of a partial index, read backwards
 * for newest activity first. (Ascending indexes: drizzle writes `.desc()` as DESC NULLS LAST,
 * which `order by … desc` cannot use.) Message ids grow in commit order within a thread (writers
 * hold the thread row), so "unread" is simply `last_message_id > read_message_id`.
 *
 * Each folder's index has the folder's predicate (`folders.ts`), which the statements that read
 * the folder share.
 */
const folder = folderPredicates();

export const participants = pgTable(
	'participants',
	{
		threadId: text('thread_id')
			.notNull()
			.references(() => threads.id, { onDelete: 'cascade' }),
		userId: integer('user_id')
			.notNull()
			.references(() => users.id, { onDelete: 'cascade' }),
		lastMessageId: bigint('last_message_id', { mode: 'number' }).notNull(),
		readMessageId: bigint('read_message_id', { mode: 'number' }).notNull().default(0),
		deletedAt: timestamptz('deleted_at'),
		/** Out of the inbox until a reply brings it back (unless muted). */
		archivedAt: timestamptz('archived_at'),
		/** Muted: replies neither bring it back to the inbox nor count as unread. */
		mutedAt: timestamptz('muted_at'),
		/** Left: in no folder, never brought back; the history up to `lastMessageId` stays. */
		leftAt: timestamptz('left_at'),
		/** A stranger's first message, waiting in Requests until accepted. */
		requestAt: timestamptz('request_at'),
		/** The user's own newest message in the thread (0: none), the Sent folder's order. */
		lastSentMessageId: bigint('last_sent_message_id', { mode: 'number' }).notNull().default(0),
		/** The user sees the messages after this one (0: all): where their history starts. */
		visibleFromMessageId: bigint('visible_from_message_id', { mode: 'number' })
			.notNull()
			.default(0),
		/** The newest message a notification mailed the user (0: none), where the next one starts. */
		lastEmailedMessageId: bigint('last_emailed_message_id', { mode: 'number' })
			.notNull()
			.default(0),
		/** Unsubscribed from this thread's mail (a link in a mail): no more notifications of it. */
		emailOffAt: timestamptz('email_off_at')
	},
	(t) => [
		primaryKey({ columns: [t.threadId, t.userId] }),
		index('participants_inbox_idx').on(t.userId, t.lastMessageId).where(folder.inbox),
		index('participants_unread_idx')
			.on(t.userId, t.lastMessageId)
			.where(sql`${folder.inbox} and muted_at is null and ${t.lastMessageId} > ${t.readMessageId}`),
		index('participants_archive_idx').on(t.userId, t.lastMessageId).where(folder.archive),
		index('participants_deleted_idx').on(t.userId, t.lastMessageId).where(folder.deleted),
		index('participants_requests_idx').on(t.userId, t.lastMessageId).where(folder.requests),
		// Every thread of a user's, in any folder: where search starts for most users.
		index('participants_user_idx').on(t.userId),
		index('participants_sent_idx')
			.on(t.userId, t.lastSentMessageId)
			.where(sql`deleted_at is null and left_at is null and ${t.lastSentMessageId} > 0`)
	]
);

/** `blockerId` has blocked `blockedId`: they cannot start a thread with them nor add them. */
export const userBlocks = pgTable(
	'user_blocks',
	{
		blockerId: integer('blocker_id')
			.notNull()
			.references(() => users.id, { onDelete: 'cascade' }),
		blockedId: integer('blocked_id')
			.notNull()
			.references(() => users.id, { onDelete: 'cascade' }),
		createdAt: timestamptz('created_at').notNull().defaultNow()
	},
	(t) => [
		primaryKey({ columns: [t.blockerId, t.blockedId] }),
		index('user_blocks_blocked_idx').on(t.blockedId, t.blockerId)
	]
);

/**
 * Notifications waiting to be mailed (email/outbox.ts), queued by the statement that stores the
 * message, so none is lost to a crash. One pending row per user and thread: replies within the
 * delay find it and add nothing, and the mail carries them all.
 */
export const emailOutbox = pgTable(
	'email_outbox',
	{
		id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
		userId: integer('user_id')
			.notNull()
			.references(() => users.id, { onDelete: 'cascade' }),
		threadId: text('thread_id')
			.notNull()
			.references(() => threads.id, { onDelete: 'cascade' }),
		firstMessageId: bigint('first_message_id', { mode: 'number' }).notNull(),
		dueAt: timestamptz('due_at').notNull(),
		attempts: smallint('attempts').notNull().default(0),
		/** A worker's lease: no other claims the row before it ends. */
		lockedUntil: timestamptz('locked_until'),
		/** Done (sent, skipped or given up): an `EmailOutcome`. */
		sentAt: timestamptz('sent_at'),
		outcome: smallint('outcome'),
		lastError: text('last_error')
	},
	(t) => [
		uniqueIndex('email_outbox_pending_idx')
			.on(t.userId, t.threadId)
			.where(sql`sent_at is null`),
		index('email_outbox_due_idx')
			.on(t.dueAt)
			.where(sql`sent_at is null`)
	]
);

/** How an outbox row ended (`email_outbox.outcome`). */
export const EmailOutcome = { sent: 1, skippedRead: 2, skippedOff: 3, failed: 4 } as const;

/**
 * Fixed-window counters for the abuse limits (rate-limit.ts), kept in the database so every
 * instance of the app counts together. One row per key: a new window overwrites the old one.
 */
export const rateLimits = pgTable('rate_limits', {
	key: text('key').primaryKey(),
	windowStart: timestamptz('window_start').notNull(),
	hits: integer('hits').notNull()
});

/**
 * The one-time tokens of the compose and reply forms, once used, with what each made: a second
 * post of the same form (a second click, Back then Send, a re-post) makes nothing and is sent
 * where the first went. Kept a day (swept hourly; the sweep scans, no index slows the inserts).
 */
export const formTokens = pgTable(
	'form_tokens',
	{
		userId: integer('user_id')
			.notNull()
			.references(() => users.id, { onDelete: 'cascade' }),
		token: text('token').notNull(),
		threadId: text('thread_id').notNull(),
		messageId: bigint('message_id', { mode: 'number' }).notNull(),
		usedAt: timestamptz('used_at').notNull().defaultNow()
	},
	(t) => [primaryKey({ columns: [t.userId, t.token] })]
);

/**
 * A form someone was writing when their session ended, kept from the moment they log in again
 * until the form's page shows it to them (once; drafts.ts). One per user, for an hour.
 */
export const drafts = pgTable('drafts', {
	userId: integer('user_id')
		.primaryKey()
		.references(() => users.id, { onDelete: 'cascade' }),
	/** The form's page, e.g. `/messages/thread/<id>`. */
	path: text('path').notNull(),
	/** Its fields as JSON text (which, unlike jsonb, holds any string a form can send). */
	fields: text('fields').notNull(),
	savedAt: timestamptz('saved_at').notNull().defaultNow()
});

export type User = typeof users.$inferSelect;
export type Session = typeof sessions.$inferSelect;
export type Thread = typeof threads.$inferSelect;
export type Message = typeof messages.$inferSelect;
export type Participant = typeof participants.$inferSelect;
export type UserBlock = typeof userBlocks.$inferSelect;
export type EmailOutboxRow = typeof emailOutbox.$inferSelect;
