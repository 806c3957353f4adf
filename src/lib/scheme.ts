/** The colour schemes a visitor can pick; `system` follows the device's setting. */
export const SCHEMES = ['system', 'light', 'dark'] as const;

export type Scheme = (typeof SCHEMES)[number];

export const SCHEME_COOKIE = 'scheme';

/** The scheme a cookie or form value names, or `system` for anything else. */
export function schemeOf(value: unknown): Scheme {
	return SCHEMES.find((scheme) => scheme === value) ?? 'system';
}
