/** A page cursor in the query (a message id), or undefined when there is none. */
function cursor(url: URL, name: string): number | undefined {
	const id = Number(url.searchParams.get(name));
	return Number.isSafeInteger(id) && id > 0 ? id : undefined;
}

/** The `before` cursor of an older page: a message id, or undefined for the newest page. */
export const olderCursor = (url: URL) => cursor(url, 'before');

/** The `after` cursor of a thread's later page: a message id, or undefined. */
export const newerCursor = (url: URL) => cursor(url, 'after');
