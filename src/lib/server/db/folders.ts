import { sql } from 'drizzle-orm';

/**
 * Where a user's participants row is, folder by folder: the predicates of the folder indexes
 * (schema.ts) and of every statement that reads a folder, written once. PostgreSQL reads a
 * partial index only for a statement whose conditions imply the index's, so they are the same
 * conditions. `row` names the row (`p`); inside an index's definition there is none.
 *
 * A thread is in one of Inbox, Archive, Deleted or Requests, or, left, in none. Unread is the
 * Inbox's unread and unmuted; Sent holds the threads the user wrote in, whichever of the others.
 */
export function folderPredicates(row?: string) {
	const column = (name: string) => sql.raw(row ? `${row}.${name}` : name);
	const [deleted, archived, left, request] = [
		'deleted_at',
		'archived_at',
		'left_at',
		'request_at'
	].map(column);
	const inbox = sql`${deleted} is null and ${archived} is null and ${left} is null and ${request} is null`;
	const archive = sql`${deleted} is null and ${archived} is not null and ${left} is null and ${request} is null`;
	const deletedFolder = sql`${deleted} is not null and ${left} is null`;
	const requests = sql`${deleted} is null and ${request} is not null and ${left} is null`;
	return {
		inbox,
		unread: sql`${inbox} and ${column('muted_at')} is null and ${column('last_message_id')} > ${column('read_message_id')}`,
		archive,
		sent: sql`${deleted} is null and ${left} is null and ${column('last_sent_message_id')} > 0`,
		deleted: deletedFolder,
		requests
	};
}

/** In any of the four folders (not left), in their words, so that their indexes are read. */
export function inAnyFolder(row?: string) {
	const { inbox, archive, deleted, requests } = folderPredicates(row);
	return sql`((${inbox}) or (${archive}) or (${deleted}) or (${requests}))`;
}
