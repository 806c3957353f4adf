import type { RequestEvent } from '@sveltejs/kit';
import { describe, expect, it } from 'vitest';
import { setSessionCookie } from './session';

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
