/**
 * How Courier sets and deletes its cookies: for the whole site, out of scripts' reach, not sent
 * with cross-site posts, and `Secure` only over https. A plain-http install (a LAN address) would
 * otherwise lose them, and a browser ignores a `Secure` deletion sent over http, so deleting needs
 * the same options as setting.
 */
export function cookieOptions(url: URL) {
	return { path: '/', httpOnly: true, sameSite: 'lax', secure: url.protocol === 'https:' } as const;
}
