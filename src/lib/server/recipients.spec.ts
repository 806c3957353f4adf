import { afterEach, describe, expect, it } from 'vitest';
import { env } from '$env/dynamic/private';
import { databases, makeUsers, useDatabase } from './http/testing';
import { resolveRecipients } from './recipients';
import { blockUser, setDmPolicy, unblockUser } from './blocks';
import { DmPolicy } from './db/schema';
import { acceptRequest, reply, startThread } from './threads';

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

	it('drops the sender named among others, and refuses them alone', async () => {
		const [sender, ann] = await makeUsers(db(), 2);
		expect(await resolveRecipients(db(), sender, `${ann.username} @${sender.username}`)).toEqual({
			users: [ann],
			requests: []
		});
		expect(await resolveRecipients(db(), sender, `@${sender.username.toUpperCase()};`)).toEqual({
			error: 'You cannot send a message to yourself.'
		});
	});

	it('reads @names, semicolons and trailing separators', async () => {
		const [sender, ann, bob] = await makeUsers(db(), 3);
		const { users } = await resolveRecipients(db(), sender, `@${ann.username};${bob.username}, ;`);
		expect(users?.map((u) => u.id)).toEqual(expect.arrayContaining([ann.id, bob.id]));
		expect(users).toHaveLength(2);
	});

	it('offers close matches for an unknown name', async () => {
		const [sender, ann] = await makeUsers(db(), 2);
		const typo = `${ann.username.slice(0, -1)}x${ann.username.slice(-1)}`;
		const { error } = await resolveRecipients(db(), sender, typo);
		expect(error).toContain(`No user named “\u2068${typo}\u2069”.`);
		expect(error).toContain(`Did you mean “\u2068${ann.username}\u2069”`);
		const far = await resolveRecipients(db(), sender, 'zzzq-nobody-near');
		expect(far).toEqual({ error: 'No user named “\u2068zzzq-nobody-near\u2069”.' });
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

	describe('who may message whom', () => {
		const refused = (name: string) => ({ error: `“\u2068${name}\u2069” cannot be messaged.` });

		/** A sender and a recipient with `policy`, who have written with each other when `known`. */
		async function pair(policy: number, known: boolean) {
			const [sender, recipient] = await makeUsers(db(), 2);
			if (known) {
				const { thread } = await startThread(db(), {
					from: recipient.id,
					to: [sender.id],
					subject: 'Hi',
					content: 'Hello'
				});
				await reply(db(), { from: sender.id, threadId: thread.id, content: 'Hi back' });
			}
			await setDmPolicy(db(), recipient.id, policy as never);
			return [sender, recipient];
		}

		it.each([
			['everyone', DmPolicy.everyone, false, 'ok'],
			['everyone', DmPolicy.everyone, true, 'ok'],
			['people written with', DmPolicy.writtenWith, false, 'refused'],
			['people written with', DmPolicy.writtenWith, true, 'ok'],
			['nobody', DmPolicy.nobody, false, 'refused'],
			['nobody', DmPolicy.nobody, true, 'refused'],
			['strangers as requests', DmPolicy.requests, false, 'request'],
			['strangers as requests', DmPolicy.requests, true, 'ok']
		])('%s, written with before: %s', async (_, policy, known, outcome) => {
			const [sender, recipient] = await pair(policy, known);
			const result = await resolveRecipients(db(), sender, recipient.username);
			if (outcome === 'refused') expect(result).toEqual(refused(recipient.username));
			else
				expect(result).toEqual({
					users: [recipient],
					requests: outcome === 'request' ? [recipient.id] : []
				});
		});

		it('needs both to have written: a message never answered is not an exchange', async () => {
			const [sender, recipient] = await makeUsers(db(), 2);
			await startThread(db(), { from: sender.id, to: [recipient.id], subject: 'S', content: 'C' });
			await setDmPolicy(db(), recipient.id, DmPolicy.writtenWith);
			expect(await resolveRecipients(db(), sender, recipient.username)).toEqual(
				refused(recipient.username)
			);
		});

		it('refuses a block either way, in the same words, and lets an unblock through', async () => {
			const [sender, blocker, other] = await makeUsers(db(), 3);
			expect(await blockUser(db(), blocker.id, sender.username)).toBe(sender.id);
			expect(
				await resolveRecipients(db(), sender, `${other.username} ${blocker.username}`)
			).toEqual(refused(blocker.username));
			expect(await resolveRecipients(db(), blocker, sender.username)).toEqual(
				refused(sender.username)
			);
			expect(await unblockUser(db(), blocker.id, sender.username)).toBe(true);
			expect((await resolveRecipients(db(), sender, blocker.username)).users).toEqual([blocker]);
		});

		it('refuses a second request until the first is accepted', async () => {
			const [sender, recipient] = await makeUsers(db(), 2);
			await setDmPolicy(db(), recipient.id, DmPolicy.requests);
			const first = await resolveRecipients(db(), sender, recipient.username);
			expect(first.requests).toEqual([recipient.id]);
			const { thread } = await startThread(db(), {
				from: sender.id,
				to: [recipient.id],
				subject: 'S',
				content: 'C',
				requests: first.requests
			});
			expect(await resolveRecipients(db(), sender, recipient.username)).toEqual({
				error: `Your first message to “\u2068${recipient.username}\u2069” has not been accepted yet: you can write again once it is.`
			});
			expect(await acceptRequest(db(), recipient.id, thread.id)).toBe(true);
			// Accepted, but not yet answered: still strangers, so a new thread is a request again.
			expect(await resolveRecipients(db(), sender, recipient.username)).toEqual({
				users: [recipient],
				requests: [recipient.id]
			});
		});
	});
});
