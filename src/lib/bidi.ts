/**
 * User text inside a plain string (the document title, a form's message), isolated with its own
 * direction, as `<bdi>` does in markup: FIRST STRONG ISOLATE … POP DIRECTIONAL ISOLATE. Without
 * them a Hebrew or Arabic name moves the punctuation and numbers around it.
 */
export function isolate(text: string): string {
	return `\u2068${text}\u2069`;
}
