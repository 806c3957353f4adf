import type { RequestEvent } from '@sveltejs/kit';

export function unavailableMessage(method: string): string {
	return method === 'GET' || method === 'HEAD'
		? 'Courier is temporarily unavailable. Nothing was lost: try again in a few seconds.'
		: 'Courier is temporarily unavailable, so this was not sent. Nothing was lost: try again in a few seconds.';
}

// The forms' own labels (SPEC §3), for the fields sent back.
const labels: Record<string, string> = {
	to: 'To',
	subject: 'Subject',
	message: 'Message',
	content: 'Reply',
	username: 'Username'
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
	return `<label>${escapeHtml(labels[name] ?? name)}
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
<button>Send again</button>
</form>
<p><a href="${escapeHtml(event.url.pathname)}">Back to the page</a></p>`
		: `<p><a href="${here}">Try again</a></p>`;
	const html = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Temporarily unavailable · Courier</title>
<style>
body { max-width: 40rem; margin: 3rem auto; padding: 0 1rem; font: 1rem/1.5 system-ui, sans-serif; }
label, textarea { display: block; width: 100%; }
textarea { margin: 0.25rem 0 1rem; font: inherit; }
button { padding: 0.5rem 1rem; font: inherit; }
</style>
</head>
<body>
<main>
<h1>Temporarily unavailable</h1>
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
