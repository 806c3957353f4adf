import type { RequestEvent } from '@sveltejs/kit';
import { describe, expect, it } from 'vitest';
import { sameOriginForms } from './same-origin';

// The origin check SvelteKit made of form posts, now the hook's, with its one exemption.

const SITE = 'https://courier.test';

async function answer(method: string, path: string, headers: Record<string, string>) {
	const request = new Request(`${SITE}${path}`, {
		method,
		headers,
		body: method === 'GET' ? undefined : 'List-Unsubscribe=One-Click'
	});
	const event = { request, url: new URL(request.url) } as RequestEvent;
	const response = await sameOriginForms({
		event,
		resolve: async () => new Response('passed', { status: 200 })
	});
	return { status: response.status, body: await response.text() };
}

const form = { 'content-type': 'application/x-www-form-urlencoded' };

describe('sameOriginForms', () => {
	it('refuses form posts from another origin or none, as SvelteKit did', async () => {
		for (const type of [
			'application/x-www-form-urlencoded',
			'multipart/form-data; boundary=x',
			'TEXT/PLAIN;charset=utf-8'
		]) {
			const origins: Record<string, string>[] = [
				{ origin: 'https://evil.test' },
				{},
				{ origin: 'null' }
			];
			for (const origin of origins) {
				for (const method of ['POST', 'PUT', 'PATCH', 'DELETE']) {
					const { status, body } = await answer(method, '/messages/create', {
						'content-type': type,
						...origin
					});
					expect(status, `${method} ${type} ${JSON.stringify(origin)}`).toBe(403);
					expect(body).toBe(`Cross-site ${method} form submissions are forbidden`);
				}
			}
		}
		const json = await answer('POST', '/login', {
			...form,
			origin: 'https://evil.test',
			accept: 'application/json'
		});
		expect(json).toEqual({
			status: 403,
			body: JSON.stringify({ message: 'Cross-site POST form submissions are forbidden' })
		});
	});

	it('passes same-origin form posts, other bodies and safe methods on', async () => {
		expect((await answer('POST', '/login', { ...form, origin: SITE })).status).toBe(200);
		expect((await answer('POST', '/x', { 'content-type': 'application/json' })).status).toBe(200);
		expect((await answer('GET', '/messages', { origin: 'https://evil.test' })).status).toBe(200);
	});

	it('lets a one-click unsubscribe through without Origin, and only that', async () => {
		expect((await answer('POST', '/unsubscribe/1.all.sig', form)).status).toBe(200);
		const evil = { ...form, origin: 'https://evil.test' };
		expect((await answer('POST', '/unsubscribe/1.all.sig', evil)).status).toBe(200);
		for (const path of ['/unsubscribe/a/b', '/unsubscribe/', '/unsubscribe', '/x/unsubscribe/1']) {
			expect((await answer('POST', path, form)).status, path).toBe(403);
		}
		expect((await answer('PUT', '/unsubscribe/1.all.sig', form)).status).toBe(403);
	});
});
