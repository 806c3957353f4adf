import { and, desc, eq, isNull, sql, type Placeholder, type SQL } from 'drizzle-orm';
import type { SessionUser } from './auth';
import { preparedPerDb, type DB } from './db/client';
import { folderPredicates } from './db/folders';
import { participants, threads, users } from './db/schema';
import { excerptOf } from './threads/common';

export const PAGE_SIZE = 20;

// Each folder is the predicate of its partial index on participants (db/folders.ts). `p` is the
// user's participants row.
const folders = folderPredicates('p');

export type Folder = keyof typeof folders;

/** The folders a listing page shows, by the name in their path (`/messages/<name>`). */
export const FOLDERS = Object.keys(folders) as Folder[];

/** The folder's predicate on the user's participants row `p`, for statements that change it. */
export const folderPredicate = (folder: Folder) => folders[folder];

/** A user id, or the placeholder of a prepared statement. */
type UserId = number | Placeholder;

export interface ThreadSummary {
	id: string;
	subject: string;
	/** Everyone in the thread but the user, by username. */
	others: string[];
	sender: string;
	/** Whether the newest message is the user's own. */
	senderIsUser: boolean;
	excerpt: string;
	sentAt: Date;
	unread: boolean;
	/** The thread's newest message the user has: the most a page's Mark read may mark. */
	lastMessageId: number;
}

export interface ThreadPage {
	threads: ThreadSummary[];
	/** Pass as `before` for the next, older page; null on the last page. */
	older: number | null;
}

// Someone added "from now" is not shown the excerpt of a message from before (group threads).
const shownExcerpt = sql`case when p.visible_from_message_id = 0 or exists (
	select from messages m where m.thread_id = p.thread_id and m.id > p.visible_from_message_id
		and m.kind = 0) then t.last_excerpt else '' end`;

/**
 * One page of a folder as JSON text, newest activity first: a range scan of the folder's index
 * for one row more than a page (to tell whether there is an older one), and each thread's
 * listing summary by primary key. As an expression, several pages and counts can share one
 * statement; it runs on the user's own row (`users`), whose name it leaves out of `others`.
 * Sent is ordered by the user's own newest message, and shows it (its first 300 characters,
 * made an excerpt in JavaScript) in place of the thread's newest.
 */
function pageJson(userId: UserId, folder: Folder, before?: number): SQL<string> {
	const key = sql.raw(folder === 'sent' ? 'last_sent_message_id' : 'last_message_id');
	const own =
		folder === 'sent'
			? sql`, users.username as sender, true as "senderIsUser", null as excerpt,
				left(m.content, 300) as content, m.sent_at as "sentAt"`
			: sql`, t.last_sender as sender, t.last_sender = users.username as "senderIsUser",
				${shownExcerpt} as excerpt, t.last_sent_at as "sentAt"`;
	return sql<string>`(select coalesce(json_agg(page order by page.key desc), '[]')::text
		from (
			select p.thread_id as id, t.subject,
				array_remove(t.participant_names, users.username) as others ${own},
				p.last_message_id > p.read_message_id as unread, p.last_message_id, p.${key} as key
			from (
				select * from participants p
				where p.user_id = ${userId} and ${folders[folder]}
					${before === undefined ? sql`` : sql`and p.${key} < ${before}`}
				order by p.${key} desc
				limit ${PAGE_SIZE + 1}
			) p
			join threads t on t.id = p.thread_id
			${folder === 'sent' ? sql`join messages m on m.id = p.last_sent_message_id` : sql``}
		) page)`;
}

type PageRow = Omit<ThreadSummary, 'sentAt' | 'lastMessageId'> & {
	sentAt: string;
	last_message_id: number;
	key: number;
	/** Sent only: the start of the user's own message, the excerpt's source. */
	content?: string;
};

/**
 * A page from its JSON. A thread already in `known` (the inbox page, when this is the unread
 * page) is that same object, so a page's data carries each thread once.
 */
function toPage(json: string, known?: Map<string, ThreadSummary>): ThreadPage {
	const rows: PageRow[] = JSON.parse(json);
	const threads: ThreadSummary[] = [];
	for (const row of rows.slice(0, PAGE_SIZE)) {
		threads.push(
			known?.get(row.id) ?? {
				id: row.id,
				subject: row.subject,
				others: row.others,
				sender: row.sender,
				senderIsUser: row.senderIsUser,
				excerpt: row.content === undefined ? row.excerpt : excerptOf(row.content),
				sentAt: new Date(row.sentAt),
				unread: row.unread,
				lastMessageId: row.last_message_id
			}
		);
	}
	return {
		threads,
		older: rows.length > PAGE_SIZE ? rows[PAGE_SIZE - 1].key : null
	};
}

const unreadCountOf = (userId: UserId) =>
	sql<number>`(select count(*)::int from participants p where p.user_id = ${userId} and ${folders.unread})`;

/**
 * One page of a folder, newest activity first: a single statement at any mailbox size. `before`
 * is the `older` cursor of the previous page (keyset pagination).
 */
export async function listThreads(
	db: DB,
	userId: number,
	folder: Folder,
	before?: number
): Promise<ThreadPage> {
	// Selected on the user's own row: the statement needs a FROM, and an unknown user has no mail.
	const [row] = await db
		.select({ page: pageJson(userId, folder, before) })
		.from(users)
		.where(eq(users.id, userId));
	return row ? toPage(row.page) : { threads: [], older: null };
}

/** Threads in the inbox that are unread for the user (threads, not messages). */
export async function countUnread(db: DB, userId: number): Promise<number> {
	const [row] = await db
		.select({ n: unreadCountOf(userId) })
		.from(users)
		.where(eq(users.id, userId));
	return row?.n ?? 0;
}

const mailboxStatement = preparedPerDb((db) => {
	const userId = sql.placeholder('userId');
	return db
		.select({
			inbox: pageJson(userId, 'inbox'),
			unread: pageJson(userId, 'unread'),
			unreadCount: unreadCountOf(userId)
		})
		.from(users)
		.where(eq(users.id, userId))
		.prepare('mailbox');
});

/**
 * What every page knows of the signed-in user's mail (SPEC §4), in one statement: every page
 * pays for it, so it is three index range scans and one round trip.
 */
export async function getMailbox(db: DB, userId: number) {
	const [row] = await mailboxStatement(db).execute({ userId });
	const inbox = toPage(row?.inbox ?? '[]');
	const known = new Map(inbox.threads.map((thread) => [thread.id, thread]));
	const unread = toPage(row?.unread ?? '[]', known);
	return {
		inboxThreads: inbox.threads,
		olderInbox: inbox.older,
		unreadThreads: unread.threads,
		/** The Unread folder's first page is `unreadThreads`: its cursor to the next. */
		olderUnread: unread.older,
		unreadCount: row?.unreadCount ?? 0,
		/** When it was read: of two mailboxes on one page, the newer is shown. */
		mailboxAt: Date.now()
	};
}

/**
 * The people the user has threads with, from their newest inbox threads, by username: the
 * suggestions of the compose form's To field. Only names the user already sees in their inbox.
 */
export async function recentContacts(db: DB, user: SessionUser, threadCount = 100) {
	const rows = await db
		.select({ names: threads.participantNames })
		.from(participants)
		.innerJoin(threads, eq(threads.id, participants.threadId))
		.where(and(eq(participants.userId, user.id), isNull(participants.deletedAt)))
		.orderBy(desc(participants.lastMessageId))
		.limit(threadCount);
	const names = new Set(rows.flatMap((row) => row.names));
	names.delete(user.username);
	return [...names].sort((a, b) => a.localeCompare(b));
}
