/** A piece of a message: plain text, or a web address to show as a link. */
export type Segment = { text: string; href?: string };

// http(s) addresses only: anything else (javascript:, data:, a bare domain) stays text.
const ADDRESS = /\bhttps?:\/\/[^\s<>"]+/gi;
// Punctuation that ends a sentence more often than an address, by character code.
const TRAILING = new Set(Array.from('.,:;!?\'")]}', (char) => char.charCodeAt(0)));
// Each link is a parsed address and markup: a page of messages made of nothing but addresses (2,000
// each) cost fifty times one of plain text. Addresses past these stay text.
const MAX_ADDRESSES = 50;

/** Splits text into plain runs and links, for a template to render (Svelte escapes both). */
export function linkify(text: string): Segment[] {
	const segments: Segment[] = [];
	let last = 0;
	let tried = 0;
	for (const match of text.matchAll(ADDRESS)) {
		if (++tried > MAX_ADDRESSES) break;
		const address = withoutTrailing(match[0]);
		const href = safeHref(address);
		if (!href) continue;
		if (match.index > last) segments.push({ text: text.slice(last, match.index) });
		segments.push({ text: address, href });
		last = match.index + address.length;
	}
	if (last < text.length) segments.push({ text: text.slice(last) });
	return segments;
}

/**
 * The address without the punctuation after it, but with a closing bracket that closes one opened
 * inside it (Wikipedia style). A loop from the end: a regular expression anchored at the end
 * (`[.,]+$`) is tried from every start, which costs the square of a long run.
 */
function withoutTrailing(address: string): string {
	let end = address.length;
	while (end > 0 && TRAILING.has(address.charCodeAt(end - 1))) end--;
	if (address[end] === ')' && address.includes('(')) end++;
	return address.slice(0, end);
}

function safeHref(address: string): string | null {
	// Where the browser has canParse, a malformed address costs no exception (the dearer part).
	if (URL.canParse && !URL.canParse(address)) return null;
	try {
		const url = new URL(address);
		return url.protocol === 'http:' || url.protocol === 'https:' ? url.href : null;
	} catch {
		return null;
	}
}
