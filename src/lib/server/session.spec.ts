import type { RequestEvent } from '@sveltejs/kit';
import { describe, expect, it } from 'vitest';
import { pathOnSite, setSessionCookie } from './session';

/** The options `setSessionCookie` passes to `cookies.set` for a request to `url`. */
function cookieOptionsFor(url: string) {
	const set: Record<string, unknown>[] = [];
	const event = {
		url: new URL(url),
		cookies: {
			set: (_name: string, _value: string, options: Record<string, unknown>) => set.push(options)
		}
	} as unknown as RequestEvent;
	setSessionCookie(event, 'token', new Date('2030-01-01T00:00:00Z'));
	return set[0];
}

describe('setSessionCookie', () => {
	it('marks the cookie Secure over https', () => {
		expect(cookieOptionsFor('https://courier.example/login')).toMatchObject({
			secure: true,
			httpOnly: true,
			sameSite: 'lax',
			path: '/'
		});
	});

	it('leaves Secure off over plain http, so a LAN install keeps its sessions', () => {
		expect(cookieOptionsFor('http://192.168.1.20:3000/login')).toMatchObject({
			secure: false,
			httpOnly: true,
			sameSite: 'lax'
		});
	});
});

describe('pathOnSite', () => {
	const here = new URL('http://courier.test/login');

	it('gives a path on this site, with its query and fragment', () => {
		expect(pathOnSite('/messages?before=5#top', here)).toBe('/messages?before=5#top');
		expect(pathOnSite('/a/../messages', here)).toBe('/messages');
	});

	it('gives nothing for another site, or for what cannot be read as an address', () => {
		for (const target of [
			'//evil.example/x',
			'/.//evil.example',
			'http://evil.example/',
			'///',
			'//[',
			'//a:99999',
			'messages',
			null
		]) {
			expect(pathOnSite(target, here), String(target)).toBeNull();
		}
	});
});
