import { eq, sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { drafts } from './db/schema';
import { draftOf, keepDraft, sweepDrafts, takeDraft } from './drafts';
import { databases, makeUsers, useDatabase } from './http/testing';

// The text of a form whose session ended, kept from log-in until its page shows it, once.

const THREAD = '/messages/thread/abcdefghijklmnop';

describe('the fields a form page keeps', () => {
	it('takes the typed fields of the reply and compose forms, and nothing else', () => {
		const posted = new FormData();
		for (const [name, value] of [
			['content', 'Hello'],
			['token', '1-abc'],
			['username', 'eve'],
			['to', 'bob']
		]) {
			posted.set(name, value);
		}
		expect(draftOf(THREAD, posted)).toEqual({ content: 'Hello' });
		expect(draftOf('/messages/create/bob', posted)).toEqual({ to: 'bob' });
		expect(draftOf('/messages/create', { subject: 'S', message: 'M', extra: 'x', to: 3 })).toEqual({
			subject: 'S',
			message: 'M'
		});
		// No such form there, or nothing typed in it.
		for (const path of [
			'/messages',
			'/account/password',
			`${THREAD}/delete`,
			'/messages/thread/x'
		]) {
			expect(draftOf(path, posted), path).toBeNull();
		}
		expect(draftOf(THREAD, { content: '  \n' })).toBeNull();
	});
});

describe.each(databases)('drafts kept at log-in on %s', (_, options) => {
	const db = useDatabase(options);

	it('is shown once, on its own page, to its own user', async () => {
		const [alice, bob] = await makeUsers(db(), 2);
		// Any text a form can send, NUL and all, comes back as it was.
		const fields = { content: 'Line one\nline two \0 “quoted” <b>😀</b>' };
		await keepDraft(db(), alice.id, THREAD, fields);

		expect(await takeDraft(db(), bob.id, THREAD)).toBeNull();
		expect(await takeDraft(db(), alice.id, '/messages/create')).toBeNull();
		expect(await takeDraft(db(), alice.id, THREAD)).toEqual(fields);
		expect(await takeDraft(db(), alice.id, THREAD)).toBeNull();
	});

	it('keeps one per user: the newer replaces the older', async () => {
		const [alice] = await makeUsers(db(), 1);
		await keepDraft(db(), alice.id, THREAD, { content: 'older' });
		await keepDraft(db(), alice.id, '/messages/create', { to: 'bob', subject: 'S', message: 'M' });
		expect(await takeDraft(db(), alice.id, THREAD)).toBeNull();
		expect(await takeDraft(db(), alice.id, '/messages/create')).toEqual({
			to: 'bob',
			subject: 'S',
			message: 'M'
		});
	});

	it('waits an hour for its page; the sweep deletes it after', async () => {
		const [alice, bob] = await makeUsers(db(), 2);
		await keepDraft(db(), alice.id, THREAD, { content: 'too late' });
		await keepDraft(db(), bob.id, THREAD, { content: 'in time' });
		await db()
			.update(drafts)
			.set({ savedAt: sql`now() - interval '61 minutes'` })
			.where(eq(drafts.userId, alice.id));

		expect(await takeDraft(db(), alice.id, THREAD)).toBeNull();
		await sweepDrafts(db());
		const left = await db().select({ userId: drafts.userId }).from(drafts);
		expect(left.map((row) => row.userId)).not.toContain(alice.id);
		expect(await takeDraft(db(), bob.id, THREAD)).toEqual({ content: 'in time' });
	});
});
