/** A piece of a message: plain text, or a web address to show as a link. */
export type Segment = { text: string; href?: string };

// http(s) addresses only: anything else (javascript:, data:, a bare domain) stays text.
const ADDRESS = /\bhttps?:\/\/[^\s<>"]+/gi;
// Punctuation that ends a sentence more often than an address.
const TRAILING = /[.,:;!?'")\]}]+$/;

/** Splits text into plain runs and links, for a template to render (Svelte escapes both). */
export function linkify(text: string): Segment[] {
	const segments: Segment[] = [];
	let last = 0;
	for (const match of text.matchAll(ADDRESS)) {
		let address = match[0];
		const trailing = address.match(TRAILING)?.[0] ?? '';
		// Keep a closing bracket that closes one opened inside the address (Wikipedia style).
		const kept = trailing.startsWith(')') && address.includes('(') ? ')' : '';
		address = address.slice(0, address.length - trailing.length) + kept;
		const href = safeHref(address);
		if (!href) continue;
		if (match.index > last) segments.push({ text: text.slice(last, match.index) });
		segments.push({ text: address, href });
		last = match.index + address.length;
	}
	if (last < text.length) segments.push({ text: text.slice(last) });
	return segments;
}

function safeHref(address: string): string | null {
	try {
		const url = new URL(address);
		return url.protocol === 'http:' || url.protocol === 'https:' ? url.href : null;
	} catch {
		return null;
	}
}
