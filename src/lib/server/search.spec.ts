import { and, eq, sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import type { DB } from './db/client';
import { messages, participants } from './db/schema';
import { databases, makeUsers, useDatabase } from './http/testing';
import { SEARCH_PAGE_SIZE, searchMessages, startOfDay, type SearchOutcome } from './search';
import { deleteThread, reply, startThread } from './threads';

type User = { id: number; username: string };

/** A word no other test (sharing a PostgreSQL database) has written. */
const unique = () => `w${Date.now().toString(36)}${Math.random().toString(36).slice(2, 8)}`;

function send(db: DB, from: User, to: User[], content: string, subject = 'Plans') {
	return startThread(db, { from: from.id, to: to.map((u) => u.id), subject, content });
}

function found(outcome: SearchOutcome) {
	if (outcome.status !== 'found') throw new Error(`expected results, got ${outcome.status}`);
	return outcome;
}

const idsOf = (outcome: SearchOutcome) => found(outcome).results.map((r) => r.id);

const setParticipant = (db: DB, user: User, threadId: string, values: object) =>
	db
		.update(participants)
		.set(values)
		.where(and(eq(participants.threadId, threadId), eq(participants.userId, user.id)));

describe('startOfDay', () => {
	it('is midnight of the zone, across a change of offset', () => {
		expect(startOfDay('2026-03-29', 'UTC').toISOString()).toBe('2026-03-29T00:00:00.000Z');
		// Summer time in Berlin begins at 02:00 that day: midnight is still UTC+1.
		expect(startOfDay('2026-03-29', 'Europe/Berlin').toISOString()).toBe(
			'2026-03-28T23:00:00.000Z'
		);
		expect(startOfDay('2026-03-30', 'Europe/Berlin').toISOString()).toBe(
			'2026-03-29T22:00:00.000Z'
		);
		expect(startOfDay('2026-07-01', 'America/New_York').toISOString()).toBe(
			'2026-07-01T04:00:00.000Z'
		);
	});
});

describe.each(databases)('search on %s', (_, options) => {
	const db = useDatabase(options);

	it('finds the messages of the threads one is in, newest first, with matches marked', async () => {
		const [a, b, c] = await makeUsers(db(), 3);
		const word = unique();
		const first = await send(db(), a, [b], `Lunch with the ${word} team on Friday`, 'Lunch');
		const second = await reply(db(), {
			from: b.id,
			threadId: first.thread.id,
			content: `${word}!`
		});
		await send(db(), c, [b], `A ${word} that a has no part in`);
		await send(db(), a, [b], 'Nothing to find here');

		const outcome = found(await searchMessages(db(), a.id, word.toUpperCase()));
		expect(outcome.results.map((r) => r.id)).toEqual([second!.message.id, first.message.id]);
		expect(outcome.older).toBeNull();
		const [newest, oldest] = outcome.results;
		expect(newest).toMatchObject({
			threadId: first.thread.id,
			subject: 'Lunch',
			sender: b.username
		});
		expect(newest.senderIsUser).toBe(false);
		expect(oldest.senderIsUser).toBe(true);
		expect(oldest.sentAt).toBeInstanceOf(Date);
		expect(oldest.excerpt).toEqual([
			{ text: 'Lunch with the ', mark: false },
			{ text: word, mark: true },
			{ text: ' team on Friday', mark: false }
		]);
		expect(idsOf(await searchMessages(db(), c.id, word))).toHaveLength(1);

		// A short message is shown whole; a long one, around its matches.
		const tagged = `t_${word}`;
		await send(db(), a, [b], `Message ${tagged} 0`);
		const [short] = found(await searchMessages(db(), a.id, tagged)).results;
		expect(short.excerpt.map((part) => part.text).join('')).toBe(`Message ${tagged} 0`);
		const filler = 'lorem ipsum '.repeat(100);
		await send(db(), a, [b], `${filler} before the ${word}2 and after ${filler}`);
		const [long] = found(await searchMessages(db(), a.id, `${word}2`)).results;
		const shown = long.excerpt.map((part) => part.text).join('');
		expect(shown).toContain(`before the ${word}2 and after`);
		expect(shown.length).toBeLessThan(400);
	});

	it('narrows by from:, with:, in:, is:unread, before: and after:', async () => {
		const [a, b, c] = await makeUsers(db(), 3);
		const word = unique();
		const ab = await send(db(), a, [b], `${word} one`);
		const ba = await send(db(), b, [a], `${word} two`);
		const abc = await send(db(), c, [a, b], `${word} three`);
		const search = async (operators: string) =>
			idsOf(await searchMessages(db(), a.id, `${word} ${operators}`));

		expect(await search(`from:${b.username.toUpperCase()}`)).toEqual([ba.message.id]);
		expect(await search(`from:@${b.username} from:${c.username}`)).toEqual([
			abc.message.id,
			ba.message.id
		]);
		expect(await search(`with:${c.username}`)).toEqual([abc.message.id]);
		expect(await search(`with:${b.username} with:${c.username}`)).toEqual([abc.message.id]);
		expect(await search('is:unread')).toEqual([abc.message.id, ba.message.id]);
		expect(await search('in:sent')).toEqual([ab.message.id]);

		await setParticipant(db(), a, ab.thread.id, { archivedAt: new Date() });
		await setParticipant(db(), a, ba.thread.id, { requestAt: new Date() });
		expect(await search('in:archive')).toEqual([ab.message.id]);
		expect(await search('in:requests')).toEqual([ba.message.id]);
		expect(await search('in:inbox')).toEqual([abc.message.id]);

		const day = (id: number, at: string) =>
			db()
				.update(messages)
				.set({ sentAt: new Date(at) })
				.where(eq(messages.id, id));
		await day(ab.message.id, '2026-01-09T23:30:00Z'); // 10 January in Berlin
		await day(ba.message.id, '2026-01-10T23:30:00Z'); // 11 January in Berlin
		await day(abc.message.id, '2026-01-12T12:00:00Z');
		const dated = async (operators: string, timeZone: string) =>
			idsOf(await searchMessages(db(), a.id, `${word} ${operators}`, { timeZone }));
		expect(await dated('after:2026-01-10 before:2026-01-11', 'UTC')).toEqual([ba.message.id]);
		expect(await dated('after:2026-01-10 before:2026-01-11', 'Europe/Berlin')).toEqual([
			ab.message.id
		]);
		expect(await dated('after:2026-01-11', 'Europe/Berlin')).toEqual([
			abc.message.id,
			ba.message.id
		]);
		expect(await dated('before:2026-01-10', 'Europe/Berlin')).toEqual([]);
	});

	it('allows operators alone, and tells the empty and the too-long query and bad operators', async () => {
		const [a, b] = await makeUsers(db(), 2);
		const sent = await send(db(), b, [a], 'Hello');
		expect(idsOf(await searchMessages(db(), a.id, `from:${b.username}`))).toEqual([
			sent.message.id
		]);
		expect(await searchMessages(db(), a.id, '  ')).toEqual({ status: 'empty', unknown: [] });
		expect(await searchMessages(db(), a.id, 'from:x '.repeat(2_400))).toEqual({
			status: 'tooLong',
			unknown: []
		});
		const bad = found(await searchMessages(db(), a.id, 'hello before:tomorrow'));
		expect(bad.unknown).toEqual(['before:tomorrow']);
		expect(bad.results).toEqual([]);
	});

	it('finds nothing outside the history one can see', async () => {
		const [a, b, c] = await makeUsers(db(), 3);
		const word = unique();
		const early = await send(db(), a, [b, c], `${word} before c could see`);
		const later = await reply(db(), {
			from: a.id,
			threadId: early.thread.id,
			content: `${word} after`
		});
		// c was added "from now": their history starts after the first message.
		await setParticipant(db(), c, early.thread.id, { visibleFromMessageId: early.message.id });
		expect(idsOf(await searchMessages(db(), c.id, word))).toEqual([later!.message.id]);

		// b left: what came before stays findable, nothing new is.
		await setParticipant(db(), b, early.thread.id, { leftAt: new Date() });
		const afterLeaving = await reply(db(), {
			from: a.id,
			threadId: early.thread.id,
			content: word
		});
		expect(idsOf(await searchMessages(db(), b.id, word))).toEqual([
			later!.message.id,
			early.message.id
		]);
		expect(idsOf(await searchMessages(db(), c.id, word))).toEqual([
			afterLeaving!.message.id,
			later!.message.id
		]);

		// Deleted: only `in:deleted` finds it.
		await deleteThread(db(), c.id, early.thread.id);
		expect(idsOf(await searchMessages(db(), c.id, word))).toEqual([]);
		expect(idsOf(await searchMessages(db(), c.id, `${word} in:deleted`))).toHaveLength(2);
		// Timeline events are not messages.
		await db().update(messages).set({ kind: 3 }).where(eq(messages.id, afterLeaving!.message.id));
		expect(idsOf(await searchMessages(db(), c.id, `${word} in:deleted`))).toEqual([
			later!.message.id
		]);
	});

	it('pages newest first by message id', async () => {
		const [a, b] = await makeUsers(db(), 2);
		const word = unique();
		const { thread } = await send(db(), a, [b], `${word} 0`);
		await db().execute(sql`insert into messages (thread_id, sender_id, content)
			select ${thread.id}, ${b.id}, ${word} || ' ' || g from generate_series(1, 44) g`);
		await db().execute(sql`update participants set last_message_id =
			(select max(id) from messages where thread_id = ${thread.id}) where thread_id = ${thread.id}`);
		const seen: number[] = [];
		let before: number | undefined;
		const sizes = [];
		do {
			const page = found(await searchMessages(db(), a.id, word, { before }));
			seen.push(...page.results.map((r) => r.id));
			sizes.push(page.results.length);
			before = page.older ?? undefined;
		} while (before);
		expect(sizes).toEqual([SEARCH_PAGE_SIZE, SEARCH_PAGE_SIZE, 5]);
		expect(seen).toEqual([...seen].sort((x, y) => y - x));
		expect(new Set(seen).size).toBe(45);
	});

	it('takes any text without failing, and marks only what it matched', async () => {
		const [a, b] = await makeUsers(db(), 2);
		await send(db(), b, [a], 'Markers \u0001 in \u0002\u0003 text and <b>tags</b> stay as written');
		const hostile = [
			'"',
			'""',
			'-',
			'- -',
			'or',
			'OR or',
			'!',
			'&|!():*<->\\',
			"'; drop table messages; --",
			'\0',
			'a\0b',
			'\u0001\u0002',
			'\ud800',
			'from: with: in: is: before: after:',
			'x'.repeat(1_000),
			'in:deleted '.repeat(90),
			'from:abc '.repeat(110),
			'with:abc '.repeat(110)
		];
		for (const text of hostile) {
			const outcome = await searchMessages(db(), a.id, text);
			expect(['found', 'empty'], text).toContain(outcome.status);
		}
		const [result] = found(await searchMessages(db(), a.id, 'markers text')).results;
		expect(result.excerpt.filter((part) => part.mark).map((part) => part.text)).toEqual([
			'Markers',
			'text'
		]);
		expect(result.excerpt.map((part) => part.text).join('')).toContain('<b>tags</b>');
		expect(result.excerpt.map((part) => part.text).join('')).not.toMatch(/[\u0001-\u0003]/);
	});

	it.runIf(options.url)('says "too many" when the statement runs out of time', async () => {
		const [a, b] = await makeUsers(db(), 2);
		const { thread } = await send(db(), a, [b], 'start');
		await db().execute(sql`insert into messages (thread_id, sender_id, content)
			select ${thread.id}, ${b.id}, 'filler ' || g from generate_series(1, 30000) g`);
		await db().execute(sql`update participants set last_message_id =
			(select max(id) from messages where thread_id = ${thread.id}) where thread_id = ${thread.id}`);
		// Nothing but a negation: every message of the user's is read, none is found.
		const slow = await searchMessages(db(), a.id, '-filler', { timeoutMs: 1 });
		expect(slow).toEqual({ status: 'tooMany', unknown: [] });
		expect(found(await searchMessages(db(), a.id, '-filler')).results).toHaveLength(1);
	});
});
