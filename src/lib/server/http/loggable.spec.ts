import { inspect } from 'node:util';
import { DrizzleQueryError } from 'drizzle-orm/errors';
import { describe, expect, it } from 'vitest';
import { loggable } from './loggable';

describe('loggable', () => {
	it('keeps a failed query and its cause, and leaves out its parameters', () => {
		const cause = Object.assign(new Error('duplicate key value'), { code: '23505' });
		const error = new DrizzleQueryError(
			'update users set password_hash = $1 where id = $2',
			['$argon2id$v=19$m=19456,t=2,p=1$secret-salt$secret-hash', 7],
			cause
		);
		expect(inspect(error)).toContain('secret-hash'); // what it would have logged

		const shown = inspect(loggable(error));
		expect(shown).not.toContain('secret');
		expect(shown).toContain('Failed query: update users set password_hash = $1 where id = $2');
		expect(shown).toContain('duplicate key value');
		expect(shown).toContain('loggable.spec.ts'); // where it failed
	});

	it('leaves any other error as it is', () => {
		const error = new TypeError('not a query');
		expect(loggable(error)).toBe(error);
	});
});
