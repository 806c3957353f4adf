import type { RequestEvent } from '@sveltejs/kit';
import { m } from '$lib/paraglide/messages';
import { getLocale } from '$lib/paraglide/runtime';

export function unavailableMessage(method: string): string {
	return method === 'GET' || method === 'HEAD' ? m.unavailable_get() : m.unavailable_post();
}

// The forms' own labels (SPEC §3), for the fields sent back.
const labels: Record<string, () => string> = {
	to: m.field_to,
	subject: m.field_subject,
	message: m.field_message,
	content: m.field_reply,
	username: m.field_username
};

const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** What was typed, but never a password, and not SvelteKit's or superforms' own fields. */
async function typedFields(posted: Request): Promise<[string, string][]> {
	const form = await posted.formData().catch(() => new FormData());
	return [...form.entries()].filter(
		(entry): entry is [string, string] =>
			typeof entry[1] === 'string' && !/password/i.test(entry[0]) && !entry[0].startsWith('__')
	);
}

function field([name, value]: [string, string]): string {
	const rows = Math.min(12, value.split('\n').length + 1);
	return `<label>${escapeHtml(Object.hasOwn(labels, name) ? labels[name]() : name)}
<textarea name="${escapeHtml(name)}" rows="${rows}">${escapeHtml(value)}</textarea></label>`;
}

/**
 * The 503 page made without the database (no layout, no mailbox): the message, and for a form
 * posted without JavaScript, what was typed in a form that sends it again.
 */
export async function unavailablePage(event: RequestEvent, posted?: Request): Promise<Response> {
	const { method } = event.request;
	const here = escapeHtml(event.url.pathname + event.url.search);
	const retry = posted
		? `<form method="POST" action="${here}">
${(await typedFields(posted)).map(field).join('\n')}
<button>${escapeHtml(m.send_again())}</button>
</form>
<p><a href="${escapeHtml(event.url.pathname)}">${escapeHtml(m.back_to_page())}</a></p>`
		: `<p><a href="${here}">${escapeHtml(m.try_again())}</a></p>`;
	const html = `<!doctype html>
<html lang="${getLocale()}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(m.page_title({ title: m.error_unavailable() }))}</title>
<style>
body { max-width: 40rem; margin: 3rem auto; padding: 0 1rem; font: 1rem/1.5 system-ui, sans-serif; }
label, textarea { display: block; width: 100%; }
textarea { margin: 0.25rem 0 1rem; font: inherit; }
button { padding: 0.5rem 1rem; font: inherit; }
</style>
</head>
<body>
<main>
<h1>${escapeHtml(m.error_unavailable())}</h1>
<p role="alert">${escapeHtml(unavailableMessage(method))}</p>
${retry}
</main>
</body>
</html>
`;
	return new Response(html, {
		status: 503,
		headers: {
			'content-type': 'text/html; charset=utf-8',
			'cache-control': 'no-store',
			'content-security-policy':
				"default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
		}
	});
}
