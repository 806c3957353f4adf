import postgres from 'postgres';
import { describe, expect, it } from 'vitest';
import { canonicalUsername } from '../schemas';
import { verifyCredentials } from './auth';
import { createDb } from './db/client';
import { databases, useDatabase } from './http/testing';
import { MessagingError } from './threads';
import { createUser, findUsersByName } from './users';

// Lower case beyond ASCII differs between JavaScript and PostgreSQL (`İ` is `i̇` in one and `i`
// in the other), so every lookup and counter works on one canonical form of a name (ASCII lower
// case, trimmed), and a name that no account can have is unknown.

const PASSWORD = 'right password';
/** A fresh username with the letters the look-alikes replace: i, k, s and an underscore. */
const uniqueName = () => `kristi_${Math.random().toString(36).slice(2, 10)}`;

const fullwidth = (name: string) =>
	name.replace(/[a-z]/g, (letter) => String.fromCharCode(letter.charCodeAt(0) + 0xfee0));

/** Names that look like `name`, or lower-case to it in JavaScript or in PostgreSQL. */
function lookAlikes(name: string): [string, string][] {
	return [
		['a dotted capital I', name.replace('i', 'İ')],
		['a dotless i', name.replace('i', 'ı')],
		['an i with a combining dot', name.replace('i', 'i\u0307')],
		['the Kelvin sign', name.replace('k', '\u212a')],
		['a long s', name.replace('s', 'ſ')],
		['fullwidth letters', fullwidth(name)],
		['a no-break space inside', name.replace('_', '\u00a0')],
		['an ideographic space inside', name.replace('_', '\u3000')],
		['a zero-width space after', `${name}\u200b`],
		['a NUL after', `${name}\0`]
	];
}

describe('canonicalUsername', () => {
	it('is the name in ASCII lower case', () => {
		expect(canonicalUsername('Kristi_1')).toBe('kristi_1');
		expect(canonicalUsername('kRISTI.x-Y')).toBe('kristi.x-y');
	});

	it('is null for a name no account can have', () => {
		for (const [what, name] of lookAlikes('kristi_1')) {
			expect(canonicalUsername(name), what).toBeNull();
		}
		for (const name of ['', 'ab', 'a'.repeat(33), 'a b c', ' kristi_1', 'kristi_1\n']) {
			expect(canonicalUsername(name), name).toBeNull();
		}
	});
});

describe.each(databases)('usernames on %s', (_, options) => {
	const db = useDatabase(options);

	it('log in by the name in any case, with white space around it', async () => {
		const name = uniqueName();
		const user = await createUser(db(), name, PASSWORD);
		for (const typed of [name, name.toUpperCase(), `\u3000${name}\u2003`]) {
			expect(await verifyCredentials(db(), typed, PASSWORD), typed).toEqual(user);
		}
		// Names to look up (a To field, a link to write to someone) are matched as they are.
		for (const typed of [name, name.toUpperCase()]) {
			expect(await findUsersByName(db(), [typed]), typed).toEqual([user]);
		}
		expect(await findUsersByName(db(), [` ${name}`])).toEqual([]);
	});

	it('treat every look-alike as unknown, even with the right password', async () => {
		const name = uniqueName();
		await createUser(db(), name, PASSWORD);
		for (const [what, typed] of lookAlikes(name)) {
			expect(await verifyCredentials(db(), typed, PASSWORD), what).toBeNull();
			expect(await findUsersByName(db(), [typed]), what).toEqual([]);
		}
	});

	it('verify an unknown name against the decoy, so it takes as long as a wrong password', async () => {
		const name = uniqueName();
		await createUser(db(), name, PASSWORD);
		// CPU time (argon2's threads included), which a busy machine does not stretch.
		const timed = async (typed: string) => {
			const start = process.cpuUsage();
			expect(await verifyCredentials(db(), typed, PASSWORD.toUpperCase())).toBeNull();
			const { user, system } = process.cpuUsage(start);
			return (user + system) / 1000;
		};
		await timed(name); // the decoy's hash is made on first use
		const lookAlike = name.replace('i', 'İ');
		const [known, unknown] = [[], []] as [number[], number[]];
		for (let i = 0; i < 3; i++) {
			known.push(await timed(name));
			unknown.push(await timed(lookAlike));
		}
		// A lookup alone takes about a millisecond; hashing the password takes tens of them.
		expect(Math.min(...unknown)).toBeGreaterThan(Math.min(...known) / 2);
	});

	it('take a name in another case, and refuse a name no one could log in with', async () => {
		const name = uniqueName();
		expect(await createUser(db(), name, PASSWORD)).not.toBeNull();
		expect(await createUser(db(), name.toUpperCase(), PASSWORD)).toBeNull();
		for (const [what, typed] of lookAlikes(name)) {
			await expect(createUser(db(), typed, PASSWORD), what).rejects.toThrow(MessagingError);
		}
	});
});

// A database whose locale lower-cases `I` to a dotless `ı` still matches names in ASCII.
const serverUrl = process.env.TEST_DATABASE_URL;
describe.runIf(serverUrl)('usernames on PostgreSQL with a Turkish locale', () => {
	it('match in any case, and are unique in any case', async () => {
		const admin = postgres(serverUrl!, { max: 1, onnotice: () => {} });
		const database = `courier_turkish_${Date.now()}_${Math.floor(Math.random() * 1e6)}`;
		await admin.unsafe(
			`create database ${database} template template0 encoding 'UTF8'
				locale_provider icu icu_locale 'tr-TR' locale 'C.UTF-8'`
		);
		const url = new URL(serverUrl!);
		url.pathname = `/${database}`;
		const handle = createDb({ url: url.href, poolSize: 1 });
		try {
			await handle.migrate();
			const user = await createUser(handle.db, 'KRISTI_I', PASSWORD);
			expect(await createUser(handle.db, 'kristi_i', PASSWORD)).toBeNull();
			expect(await verifyCredentials(handle.db, 'kristi_i', PASSWORD)).toEqual(user);
			expect(await findUsersByName(handle.db, ['Kristi_I'])).toEqual([user]);
		} finally {
			await handle.close();
			await admin.unsafe(`drop database if exists ${database}`);
			await admin.end();
		}
	});
});
