import { afterEach, describe, expect, it } from 'vitest';
import { env } from '$env/dynamic/private';
import { databases, makeUsers, useDatabase } from './http/testing';
import { resolveRecipients } from './recipients';

describe.each(databases)('resolveRecipients on %s', (_, options) => {
	const db = useDatabase(options);
	afterEach(() => {
		delete env.LIMIT_RECIPIENTS;
	});

	it('gives each named user once, in any case and with any separators', async () => {
		const [sender, ann, bob] = await makeUsers(db(), 3);
		const to = `${ann.username.toUpperCase()},, ${bob.username}\n${ann.username} ,`;
		const { users } = await resolveRecipients(db(), sender, to);
		expect(users?.map((u) => u.id).sort()).toEqual([ann.id, bob.id].sort());
	});

	it.each([' , ,', '\n,\n', ''])('requires at least one name, not %j', async (to) => {
		const [sender] = await makeUsers(db(), 1);
		expect(await resolveRecipients(db(), sender, to)).toEqual({
			error: 'Enter at least one username.'
		});
	});

	it('names every unknown name at once', async () => {
		const [sender, ann] = await makeUsers(db(), 2);
		const { error } = await resolveRecipients(db(), sender, `nobody-1 ${ann.username} nobody-2`);
		expect(error).toBe('No user named “\u2068nobody-1\u2069”, “\u2068nobody-2\u2069”.');
	});

	it('refuses the sender among the recipients', async () => {
		const [sender, ann] = await makeUsers(db(), 2);
		expect(await resolveRecipients(db(), sender, `${ann.username} ${sender.username}`)).toEqual({
			error: 'You cannot send a message to yourself.'
		});
	});

	it('takes 50 names but not 51, counting repeats once, before asking the database', async () => {
		const [sender] = await makeUsers(db(), 1);
		const people = await makeUsers(db(), 50);
		const names = people.map((u) => u.username);
		expect((await resolveRecipients(db(), sender, names.join(', '))).users).toHaveLength(50);
		const repeated = [...names, ...names.map((n) => n.toUpperCase())].join(' ');
		expect((await resolveRecipients(db(), sender, repeated)).users).toHaveLength(50);
		expect(await resolveRecipients(db(), sender, `${names.join(' ')} one-more`)).toEqual({
			error: 'At most 50 recipients.'
		});
	});

	it('takes the lower maximum a deployer sets', async () => {
		env.LIMIT_RECIPIENTS = '2';
		const [sender, a, b, c] = await makeUsers(db(), 4);
		const to = [a, b, c].map((u) => u.username).join(' ');
		expect(await resolveRecipients(db(), sender, to)).toEqual({ error: 'At most 2 recipients.' });
	});
});
