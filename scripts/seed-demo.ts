// Fills the database with a few demo users and threads, so a newcomer can look around at once.
// Run it while the app is stopped when using PGlite (one process per data folder).
import { eq } from 'drizzle-orm';
import { users } from '../src/lib/server/db/schema';
// The modules themselves, not the threads index: some of it reads SvelteKit's `$env`, which a
// script run by tsx does not have.
import { startThread } from '../src/lib/server/threads/new-thread';
import { reply } from '../src/lib/server/threads/reply';
import { createUser } from '../src/lib/server/users';
import { openScriptDb } from './db';

const PASSWORD = 'demo-password';
const handle = openScriptDb();
await handle.migrate();
const { db } = handle;

const [existing] = await db.select().from(users).where(eq(users.username, 'alice'));
if (existing) {
	console.log('Demo data is already there.');
} else {
	const [alice, bob, carol, dave] = await Promise.all(
		['alice', 'bob', 'carol', 'dave'].map(async (name) => (await createUser(db, name, PASSWORD))!)
	);
	const lunch = await startThread(db, {
		from: bob.id,
		to: [alice.id],
		subject: 'Lunch on Friday?',
		content: 'There is a new ramen place by the station. Shall we try it at 12:30?'
	});
	await reply(db, {
		from: alice.id,
		threadId: lunch.thread.id,
		content: 'Yes please! 12:30 works.'
	});
	await reply(db, { from: bob.id, threadId: lunch.thread.id, content: 'Booked a table for two.' });

	await startThread(db, {
		from: carol.id,
		to: [alice.id, bob.id, dave.id],
		subject: 'Team offsite agenda',
		content: 'Draft agenda:\n1. Roadmap review\n2. Hiring plan\n3. Dinner\n\nAnything to add?'
	});
	const keys = await startThread(db, {
		from: alice.id,
		to: [dave.id],
		subject: 'Keys for the flat',
		content: 'I left the spare keys with the neighbour downstairs.'
	});
	await reply(db, { from: dave.id, threadId: keys.thread.id, content: 'Got them, thank you!' });
	console.log(`Demo users alice, bob, carol and dave, password "${PASSWORD}".`);
}
await handle.close();
