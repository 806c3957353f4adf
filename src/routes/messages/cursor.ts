/** The `before` cursor of an older page: a message id, or undefined for the newest page. */
export function olderCursor(url: URL): number | undefined {
	const before = Number(url.searchParams.get('before'));
	return Number.isSafeInteger(before) && before > 0 ? before : undefined;
}
