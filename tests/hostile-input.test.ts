import { createHash } from 'node:crypto';
import {
	MISSING_THREAD_ID,
	PASSWORD,
	THREAD_PATH,
	appOrigin,
	isBehindProxy,
	loginRedirectTo,
	uniqueName
} from './helpers';
import {
	corpus,
	long,
	recipientLists,
	redirectTargets,
	sample,
	sized,
	type Payload
} from './hostile/corpus';
import {
	differ,
	expectNoProblems,
	formOutcome,
	isOnSite,
	isScript,
	isUtf8,
	missing,
	onPostgres,
	startThread,
	test,
	threadIdOf
} from './hostile/fixtures';
import {
	ENHANCED,
	encode,
	fieldValue,
	folder,
	get,
	inBatches,
	post,
	received,
	redirectOf,
	shownThread,
	type Fields,
	type PostOptions,
	type Sent
} from './hostile/http';
import { rawCases, type FormTarget } from './hostile/raw-bodies';
import {
	enhancedProblems,
	messageRule,
	passwordRule,
	problemsOf,
	recipientsRule,
	replyRule,
	subjectRule,
	usernameRule,
	type Outcome,
	type Verdict
} from './hostile/rules';

// Hostile input against every form action and route parameter, over plain HTTP (no browser):
// each case must answer as designed or with a 4xx that says why, never a 5xx, and afterwards the
// database must hold exactly what the accepted cases wrote. Cases that go wrong are collected and
// reported together, one line each. The corpus is in hostile/corpus.ts, the rules of SPEC §5 as
// the cases expect them in hostile/rules.ts.

// Hundreds of requests each; the machine may be shared.
test.describe.configure({ timeout: 90_000 });

/** A To value naming no valid username: "null" may be an account, made by the signup test. */
const namesNoOne = ({ value }: Payload) =>
	received(value)
		.split(/[\s,;]+/)
		.every((name) => 'error' in usernameRule(name.startsWith('@') ? name.slice(1) : name));

test('compose: hostile To, Subject and Message are sent as designed or refused next to the field', async ({
	http
}) => {
	const [alice, bob] = await Promise.all([http.user('alice'), http.user('bob')]);
	const defaults: Record<string, string> = {
		to: bob.name,
		subject: 'Hostile input',
		message: 'Sent as designed.'
	};
	const rules: Record<string, (value: string) => Verdict> = {
		subject: subjectRule,
		message: messageRule,
		to: (value) => recipientsRule(value, alice.name, [alice.name, bob.name])
	};
	const payloads: Record<string, Payload[]> = {
		subject: [...corpus, ...sized(150)],
		// The reply test sends the whole corpus as message text; a sample here.
		message: [...sample(corpus, 40), ...long, ...sized(20_000)],
		to: [...sample(corpus, 30).filter(namesNoOne), ...recipientLists(alice.name, bob.name)]
	};
	const cases = Object.entries(payloads).flatMap(([field, list]) =>
		list.map((payload) => ({ ...payload, field, verdict: rules[field](received(payload.value)) }))
	);

	const results = await inBatches(cases, async (c, batch) => {
		const fields: Fields = Object.entries({ ...defaults, [c.field]: c.value });
		return { ...c, batch, sent: await post(alice.request, '/messages/create', fields) };
	});
	const problems = results.flatMap(({ field, name, value, verdict, sent }) => {
		const others = Object.keys(defaults).filter((other) => other !== field);
		const expected = { status: 303, location: THREAD_PATH } as const;
		const outcome = formOutcome(verdict, expected, field, others, received(value));
		return problemsOf(`${field} ← ${name}`, sent, outcome);
	});

	// Written: exactly the accepted threads, in both inboxes, newest first, each as it was sent.
	const accepted = results.flatMap(({ field, verdict, sent, batch }) => {
		const id = threadIdOf(sent);
		if (!id || !('accepted' in verdict)) return [];
		const value = (name: string) => (field === name ? verdict.accepted : defaults[name]);
		return [{ id, batch, field, subject: value('subject'), message: value('message') }];
	});
	const batchOf = new Map(accepted.map((thread) => [thread.id, thread.batch]));
	for (const user of [alice, bob]) {
		const listed = await folder(user.request, '/messages');
		const ids = listed.map((thread) => thread.id);
		differ(problems, `${user.name}'s inbox`, ids.toSorted(), [...batchOf.keys()].sort());
		const batches = ids.map((id) => batchOf.get(id) ?? -1);
		differ(
			problems,
			`${user.name}'s inbox, newest first`,
			batches,
			batches.toSorted((a, b) => b - a)
		);
		const subjects = new Map(listed.map((thread) => [thread.id, thread.subject]));
		for (const { id, field, subject } of accepted) {
			differ(
				problems,
				`${field} case ${id}: subject in ${user.name}'s inbox`,
				subjects.get(id),
				subject
			);
		}
	}
	// The message as the thread page shows it, for the cases that varied it.
	await inBatches(
		accepted.filter((thread) => thread.field === 'message'),
		async ({ id, message }) => {
			const shown = await shownThread(bob.request, id);
			const messages = shown.messages.map((m) => [m.sender, m.content]);
			differ(problems, `message case ${id}: messages shown`, messages, [[alice.name, message]]);
			if (isScript(message) && shown.html.includes(message)) {
				problems.push(`message case ${id}: the markup is in the page unescaped`);
			}
		}
	);
	await onPostgres(async (sql) => {
		const rows = await sql<{ id: string; subject: string; contents: string[] }[]>`
			select t.id, t.subject, array_agg(m.content order by m.id) as contents
			from participants p join threads t on t.id = p.thread_id join messages m on m.thread_id = t.id
			where p.user_id = (select id from users where username = ${alice.name})
			group by t.id`;
		differ(
			problems,
			'threads in the database',
			rows.map((r) => [r.id, r.subject, r.contents]).sort(),
			accepted.map((t) => [t.id, t.subject, [t.message]]).sort()
		);
	});
	expectNoProblems(problems, cases.length);
});

test('reply: hostile replies are added as designed or refused next to the field', async ({
	http
}) => {
	const [alice, bob] = await Promise.all([http.user('alice'), http.user('bob')]);
	const id = await startThread(alice, bob);
	const location = new RegExp(`^/messages/thread/${id}#message-(\\d+)$`);
	const cases = [...corpus, ...long, ...sized(20_000)].map((payload, i) => ({
		...payload,
		// Every third as a form enhanced by JavaScript sends it, the others as a plain form.
		enhanced: i % 3 === 2,
		sender: i % 2 ? bob : alice,
		verdict: replyRule(received(payload.value))
	}));

	const results = await inBatches(cases, async (c) => {
		const body: Fields = [['content', c.value]];
		const options = c.enhanced ? ENHANCED : {};
		return {
			...c,
			sent: await post(c.sender.request, `/messages/thread/${id}`, body, options)
		};
	});
	const problems = results.flatMap(({ name, value, verdict, sent, enhanced }) => {
		const what = `reply ← ${name}${enhanced ? ' (enhanced)' : ''}`;
		if (enhanced) return enhancedProblems(what, sent, verdict, location);
		const outcome = formOutcome(verdict, { status: 303, location }, 'content', [], received(value));
		return problemsOf(what, sent, outcome);
	});

	// Written: the first message, then exactly the accepted replies, in the order they were sent.
	const replies = results
		.flatMap(({ verdict, sent, sender }) => {
			const messageId = Number(redirectOf(sent)?.match(location)?.[1]);
			return 'accepted' in verdict && messageId
				? [{ id: messageId, sender: sender.name, content: verdict.accepted }]
				: [];
		})
		.sort((a, b) => a.id - b.id);
	const shown = await shownThread(alice.request, id);
	differ(problems, 'the first message', shown.messages[0]?.content, 'The first message.');
	// Alice's own messages are named "You" on her page.
	const asSeenByAlice = replies.map((r) => ({
		...r,
		sender: r.sender === alice.name ? 'You' : r.sender
	}));
	differ(problems, 'the replies shown', shown.messages.slice(1), asSeenByAlice);
	for (const { content } of replies) {
		if (isScript(content) && shown.html.includes(content)) {
			problems.push(`the reply ${JSON.stringify(content)} is in the page unescaped`);
		}
	}
	await onPostgres(async (sql) => {
		const rows = await sql<{ id: string; sender: string; content: string }[]>`
			select m.id, u.username as sender, m.content from messages m join users u on u.id = m.sender_id
			where m.thread_id = ${id} order by m.id offset 1`;
		differ(
			problems,
			'the replies in the database',
			rows.map((r) => ({ ...r, id: Number(r.id) })),
			replies
		);
	});
	expectNoProblems(problems, cases.length);
});

test('signup: hostile usernames and passwords make the account as designed or are refused next to the field', async ({
	http
}) => {
	const existing = await http.user('taken');
	const run = uniqueName('s');
	const usernames: Payload[] = [
		...corpus,
		...sized(32),
		...Object.entries({
			'letters, digits, dot, dash and underscore': `Ok.${run}-x`,
			'padded with white space': `\t ${run}_padded \n`,
			'exactly 32 characters': run.padEnd(32, 'z'),
			'33 characters': run.padEnd(33, 'z'),
			'2 characters': 'ab',
			'an existing name in capitals': existing.name.toUpperCase(),
			'an existing name padded': ` ${existing.name} `,
			'a space inside': `${run} x`,
			'a Cyrillic letter': `${run}а`,
			'a NUL at the end': `${run}\0`,
			'a newline at the end': `${run}_nl\n`
		}).map(([name, value]) => ({ name: `username: ${name}`, value }))
	];
	const passwords: Payload[] = [
		...sample(corpus, 24),
		...sized(256),
		...Object.entries({
			'7 characters': 'seven77',
			'8 characters': 'eight888',
			'8 emoji (16 UTF-16 units)': '😀'.repeat(8),
			'7 emoji (14 UTF-16 units)': '😀'.repeat(7),
			'spaces around it, kept': '  spaced out  '
		}).map(([name, value]) => ({ name: `password: ${name}`, value }))
	];

	const cases = [
		// Not PASSWORD: a name made here must not let the login test's cases in.
		...usernames.map((p) => ({
			...p,
			field: 'username',
			username: p.value,
			password: `pw-${run}`
		})),
		...passwords.map((p, i) => ({
			...p,
			field: 'password',
			username: `${run}p${i}`,
			password: p.value
		}))
	].map((c) => ({
		...c,
		verdict: (c.field === 'username' ? usernameRule : passwordRule)(received(c.value))
	}));
	// A name that passes the rules may exist already (on PostgreSQL, from an earlier run).
	const accepted = (c: (typeof cases)[number]) =>
		'accepted' in c.verdict ? c.verdict.accepted : null;
	const names = [...new Set(cases.filter((c) => c.field === 'username').map(accepted))];
	const existedBefore = new Map(
		await inBatches(
			names.filter((name) => name !== null),
			async (name) => {
				const page = await get(existing.request, `/messages/create/${encode(name)}`);
				return [name.toLowerCase(), page.status === 200] as const;
			}
		)
	);

	const results = await inBatches(cases, async (c) => {
		const request = await http.anonymous();
		const body: Fields = [
			['username', c.username],
			['password', c.password]
		];
		return { ...c, request, sent: await post(request, '/signup', body) };
	});
	const problems: string[] = [];
	const made = new Map<string, number>();
	for (const c of results) {
		const what = `${c.field} ← ${c.name}`;
		const name = accepted(c);
		if (name === null) {
			const { error } = c.verdict as { error: string };
			problems.push(...problemsOf(what, c.sent, { status: 400, field: c.field, error }));
		} else if (c.field === 'username' && c.sent.status === 400) {
			const taken = 'That username is taken.';
			problems.push(...problemsOf(what, c.sent, { status: 400, field: 'username', error: taken }));
		} else {
			problems.push(...problemsOf(what, c.sent, { status: 303, location: '/messages' }));
			const key = name.toLowerCase();
			if (c.field === 'username') made.set(key, (made.get(key) ?? 0) + 1);
		}
	}
	// Each name made one account, or none when it existed before; every account made works.
	for (const [name, before] of existedBefore) {
		differ(problems, `accounts made named "${name}"`, made.get(name) ?? 0, before ? 0 : 1);
	}
	await inBatches(
		results.filter((c) => accepted(c) !== null && c.sent.status === 303),
		async ({ field, name, username, password, request }) => {
			const what = `${field} ← ${name}`;
			differ(problems, `${what}: signed in`, (await get(request, '/messages')).status, 200);
			const logIn = async (password: string | Uint8Array) =>
				post(await http.anonymous(), '/login', [
					['username', username],
					['password', password]
				]);
			differ(problems, `${what}: logging in again`, (await logIn(password)).status, 303);
			const trimmed = received(password).trim();
			if (trimmed !== received(password)) {
				differ(
					problems,
					`${what}: logging in, password trimmed`,
					(await logIn(trimmed)).status,
					400
				);
			}
		}
	);
	expectNoProblems(problems, cases.length);
});

test('login: hostile usernames, passwords and redirectTo log in as designed or get the one generic message', async ({
	http
}) => {
	const carol = await http.user('carol');
	const generic = { status: 400, alert: 'Incorrect username or password.' } as const;
	const signedIn = { status: 303, location: '/messages' } as const;
	type Case = { name: string; username: string | Uint8Array; password: string | Uint8Array };
	const cases: (Case & { expected: Outcome })[] = [
		...sample(corpus, 24).map((p) => {
			const blank = !received(p.value).trim();
			const expected: Outcome = blank
				? { status: 400, field: 'username', error: 'Enter your username.' }
				: generic;
			return { name: `username ← ${p.name}`, username: p.value, password: PASSWORD, expected };
		}),
		...sample(corpus, 24).map((p) => {
			const empty = received(p.value) === '';
			const expected: Outcome = empty
				? { status: 400, field: 'password', error: 'Enter your password.' }
				: generic;
			return { name: `password ← ${p.name}`, username: carol.name, password: p.value, expected };
		}),
		...(
			[
				['the username in capitals', carol.name.toUpperCase(), PASSWORD, signedIn],
				['the username padded', ` \t${carol.name}\n`, PASSWORD, signedIn],
				['the username and a NUL', `${carol.name}\0`, PASSWORD, generic],
				['the username and a zero-width space', `${carol.name}\u200b`, PASSWORD, generic],
				['the password padded', carol.name, ` ${PASSWORD} `, generic],
				['the password in capitals', carol.name, PASSWORD.toUpperCase(), generic],
				['the password and a NUL', carol.name, `${PASSWORD}\0`, generic],
				['a password of 100,000 characters', carol.name, 'p'.repeat(100_000), generic]
			] as const
		).map(([name, username, password, expected]) => ({ name, username, password, expected }))
	];
	const results = await inBatches(cases, async (c) => {
		const request = await http.anonymous();
		const body: Fields = [
			['username', c.username],
			['password', c.password]
		];
		const sent = await post(request, '/login', body);
		const after = await get(request, '/messages');
		return { ...c, sent, after };
	});
	const problems = results.flatMap(({ name, sent, after, expected }) => {
		const shouldBeIn = expected.status === 303;
		const session = shouldBeIn ? 200 : 303;
		return [
			...problemsOf(name, sent, expected),
			...(after.status === session ? [] : [`${name}: signed in afterwards: ${after.status}`])
		];
	});

	// redirectTo: logging in, and the login and signup pages for someone signed in already, send
	// the user to a path on this site, or to the inbox; never to another site.
	const targets = [...redirectTargets, ...sample(corpus, 12)];
	const redirects = await inBatches(targets, async ({ name, value }) => {
		const query = `?redirectTo=${encode(value)}`;
		const request = await http.anonymous();
		const loggedIn = await post(request, `/login${query}`, [
			['username', carol.name],
			['password', PASSWORD]
		]);
		const [login, signup, anonymous] = await Promise.all([
			get(request, `/login${query}`),
			get(request, `/signup${query}`),
			get(await http.anonymous(), `/login${query}`)
		]);
		return { name, value, loggedIn, login, signup, anonymous };
	});
	for (const { name, loggedIn, login, signup, anonymous } of redirects) {
		for (const [what, sent] of Object.entries({
			'POST /login': loggedIn,
			'GET /login': login,
			'GET /signup': signup
		})) {
			problems.push(...problemsOf(`${name}, ${what}`, sent, { status: 303, location: /^\// }));
			if (sent.status === 303 && !isOnSite(sent.location)) {
				problems.push(`${name}, ${what}: sent off the site, to ${sent.location}`);
			}
		}
		problems.push(...problemsOf(`${name}, GET /login anonymously`, anonymous, { status: 200 }));
	}
	for (const [value, location] of [
		['/messages?before=5', '/messages?before=5'],
		['/messages#top', '/messages#top'],
		['/messages/thread/aaaaaaaaaaaaaaaa', '/messages/thread/aaaaaaaaaaaaaaaa'],
		['//evil.example/messages', '/messages'],
		['/.//evil.example/messages', '/messages']
	]) {
		const result = redirects.find((r) => r.value === value);
		differ(problems, `redirectTo=${value}`, result?.loggedIn.location, location);
	}
	expectNoProblems(problems, cases.length + targets.length * 4);
});

test('route parameters: hostile thread ids, usernames and ?before= get the not-found page or the page as designed', async ({
	http
}) => {
	const [dave, erin, frank] = await Promise.all([
		http.user('dave'),
		http.user('erin'),
		http.user('frank')
	]);
	const [own, others] = await Promise.all([startThread(dave, erin), startThread(erin, frank)]);
	const payloads = sample(corpus, 50).filter((p) => received(p.value) !== '');
	const ok = { status: 200 } as const;

	// Thread ids: every hostile one is a thread that does not exist, as is someone else's thread.
	type IdCase = {
		name: string;
		value: string | Uint8Array;
		segment: string;
		page: Outcome;
		replied: Outcome;
	};
	const notThere = (name: string, value: string | Uint8Array): IdCase => {
		const outcome = missing(value);
		return { name, value, segment: encode(value), page: outcome, replied: outcome };
	};
	const ids: IdCase[] = [
		...payloads.map((p) => notThere(p.name, p.value)),
		...Object.entries({
			'an id in capitals': own.toUpperCase(),
			'an id one character short': own.slice(0, 15),
			'an id one character long': `${own}a`,
			'an id and a NUL': `${own}\0`,
			'an id and a slash': `${own}/`,
			'an id and a dot segment': `${own}/..`,
			'an id of zeros': '0000000000000000',
			'a thread that does not exist': MISSING_THREAD_ID,
			'a thread of others': others
		}).map(([name, value]) => notThere(name, value)),
		{
			name: 'the id with every character percent-encoded',
			value: own,
			segment: [...own].map((c) => `%${c.charCodeAt(0).toString(16)}`).join(''),
			page: ok,
			replied: { status: 303, location: new RegExp(`^/messages/thread/${own}#message-\\d+$`) }
		}
	];
	const threadResults = await inBatches(ids, async (c) => {
		const path = `/messages/thread/${c.segment}`;
		const reply: Fields = [['content', 'Let me in.']];
		const page = await get(dave.request, path);
		const replied = await post(dave.request, `${path}`, reply);
		return { ...c, sent: { page, replied } };
	});
	const problems = threadResults.flatMap(({ name, sent, page, replied }) => [
		...problemsOf(`GET thread ${name}`, sent.page, page),
		...problemsOf(`reply to thread ${name}`, sent.replied, replied)
	]);
	// Deleting and restoring through them: not found, and nothing changes.
	const hostileIds = sample(
		ids.filter((c) => c.value !== own),
		24
	);
	await inBatches(hostileIds, async ({ name, segment, page }) => {
		const path = `/messages/thread/${segment}`;
		const confirm = await get(dave.request, `${path}/delete`);
		const deleted = await post(dave.request, `${path}/delete`, []);
		const restored = await post(dave.request, `${path}/restore`, []);
		problems.push(
			...problemsOf(`GET delete ${name}`, confirm, page),
			...problemsOf(`POST delete ${name}`, deleted, page),
			...problemsOf(`POST restore ${name}`, restored, page)
		);
	});

	// The username of /messages/create/[username]: the compose form for a user, else not found.
	// Payloads that are valid usernames ("null", "NaN") may be accounts, made by the signup test.
	const notUsernames = payloads.filter((p) => 'error' in usernameRule(received(p.value)));
	const names = [
		...notUsernames.map((p) => ({ ...p, expected: missing(p.value), to: '' })),
		...Object.entries({
			'a user, padded': ` ${erin.name} `,
			'a user and a NUL': `${erin.name}\0`,
			'a user and a zero-width space': `${erin.name}\u200b`,
			'a user, with a Cyrillic letter': erin.name.replace('e', 'е')
		}).map(([name, value]) => ({ name, value, expected: missing(value), to: '' })),
		{ name: 'a user', value: erin.name, expected: ok, to: erin.name },
		{ name: 'a user in capitals', value: erin.name.toUpperCase(), expected: ok, to: erin.name }
	];
	await inBatches(names, async ({ name, value, expected, to }) => {
		const page = await get(dave.request, `/messages/create/${encode(value)}`);
		problems.push(...problemsOf(`GET create/${name}`, page, expected));
		if (page.status === 200) {
			differ(problems, `create/${name}: To`, fieldValue(page.body, 'to'), to);
		}
		// What a client-side navigation loads: a 5xx would hide in an error node of the JSON.
		const data = await get(dave.request, `/messages/create/${encode(value)}/__data.json`);
		if (data.status >= 500 || data.body.includes('"errorId"')) {
			problems.push(`GET create/${name}/__data.json: a server error: ${data.body.slice(0, 200)}`);
		}
	});
	// The username only fills in To: posting the form there sends to whom To names.
	const posted = await inBatches(sample(names, 10), async ({ name, value }) => {
		const body: Fields = [
			['to', frank.name],
			['subject', `Posted to create/${name}`],
			['message', 'Hello.']
		];
		const sent = await post(dave.request, `/messages/create/${encode(value)}`, body);
		const expected = isUtf8(value) ? { status: 303, location: THREAD_PATH } : missing(value);
		problems.push(...problemsOf(`POST create/${name}`, sent, expected as Outcome));
		return threadIdOf(sent);
	});

	// ?before=: any value gives a page of the folder, signed in; signed out, the way back to it.
	const cursors = [
		...sample(corpus, 30),
		...[
			'0',
			'-1',
			'1.5',
			'1e3',
			' 7 ',
			'0x10',
			'Infinity',
			'9007199254740991',
			'9007199254740992',
			'1'.repeat(400)
		].map((value) => ({ name: `number-like ${JSON.stringify(value)}`, value }))
	];
	const anonymous = await http.anonymous();
	await inBatches(cursors, async ({ name, value }) => {
		for (const [path, heading] of [
			['/messages', 'Inbox'],
			['/messages/deleted', 'Deleted']
		]) {
			const page = await get(dave.request, `${path}?before=${encode(value)}`);
			problems.push(...problemsOf(`GET ${path}?before=${name}`, page, ok));
			if (!new RegExp(`<h1[^>]*>${heading}</h1>`).test(page.body)) {
				problems.push(`GET ${path}?before=${name}: not the ${heading} page`);
			}
		}
		const query = `/messages?before=${encode(value)}`;
		const away = await get(anonymous, query);
		const back = new URL(query, appOrigin());
		const expected = loginRedirectTo(back.pathname + back.search);
		problems.push(
			...problemsOf(`anonymous GET /messages?before=${name}`, away, {
				status: 303,
				location: expected
			})
		);
	});

	// Written: the one reply through the percent-encoded id, the posted threads; nothing else.
	const shown = await shownThread(dave.request, own);
	differ(
		problems,
		'dave and erin’s thread',
		shown.messages.map((m) => [m.sender, m.content]),
		// Dave's own, as his page names them.
		[
			['You', 'The first message.'],
			['You', 'Let me in.']
		]
	);
	const untouched = await shownThread(erin.request, others);
	differ(problems, 'erin and frank’s thread', untouched.messages.length, 1);
	const inbox = (await folder(dave.request, '/messages')).map((t) => t.id);
	differ(problems, 'dave’s inbox', inbox.toSorted(), [own, ...posted.filter(Boolean)].sort());
	differ(problems, 'dave’s Deleted folder', await folder(dave.request, '/messages/deleted'), []);
	expectNoProblems(
		problems,
		ids.length * 2 + hostileIds.length * 3 + names.length * 2 + 10 + cursors.length * 3
	);
});

test('raw bodies: repeated, missing and prototype fields, wrong content types, oversized bodies and forged origins', async ({
	http
}) => {
	const [alice, bob, carol] = await Promise.all([
		http.user('alice'),
		http.user('bob'),
		http.user('carol')
	]);
	const [thread, gone] = await Promise.all([startThread(alice, bob), startThread(carol, bob)]);
	await post(carol.request, `/messages/thread/${gone}/delete`, []);
	const run = uniqueName('r');
	const error = (field: string, message: string): Outcome => ({
		status: 400,
		field,
		error: message
	});
	const wrongType = (field: string) => (received: string) =>
		error(field, `Invalid input: expected string, received ${received}`);
	const notFound: Outcome = { status: 404 };
	const signedIn = async () => alice.request;
	const targets: FormTarget[] = [
		{
			name: 'reply',
			path: `/messages/thread/${thread}`,
			fields: () => [['content', 'A raw reply']],
			field: 'content',
			decoy: 'The decoy',
			blank: error('content', 'Write a reply.'),
			wrongType: wrongType('content'),
			accepted: { status: 303, location: new RegExp(`^/messages/thread/${thread}#message-\\d+$`) },
			text: true,
			request: signedIn
		},
		{
			name: 'compose',
			path: '/messages/create',
			fields: () => [
				['message', 'A raw message'],
				['to', bob.name],
				['subject', 'Raw bodies']
			],
			field: 'message',
			decoy: 'The decoy',
			blank: error('message', 'Write a message.'),
			wrongType: wrongType('message'),
			accepted: { status: 303, location: THREAD_PATH },
			text: true,
			request: signedIn
		},
		{
			name: 'signup',
			path: '/signup',
			fields: (n) => [
				['username', `${run}_${n}`],
				['password', 'raw password']
			],
			field: 'username',
			decoy: `${run}_decoy`,
			blank: error('username', 'Use 3 to 32 letters, digits, dots, dashes or underscores.'),
			wrongType: wrongType('username'),
			accepted: { status: 303, location: '/messages' },
			text: false,
			request: http.anonymous
		},
		{
			name: 'login',
			path: '/login',
			fields: () => [
				['username', carol.name],
				['password', PASSWORD]
			],
			field: 'username',
			decoy: 'nobody-by-that-name',
			blank: error('username', 'Enter your username.'),
			wrongType: wrongType('username'),
			accepted: { status: 303, location: '/messages' },
			text: false,
			request: http.anonymous
		},
		{
			name: 'restore from the Deleted folder',
			path: '/messages/deleted?/restore',
			fields: () => [['thread', gone]],
			field: 'thread',
			decoy: MISSING_THREAD_ID,
			blank: notFound,
			wrongType: () => notFound,
			accepted: { status: 303, location: '/messages/deleted' },
			text: false,
			request: async () => carol.request
		}
	];
	const cases = targets.flatMap((target) =>
		rawCases(target).map((c, n) => ({ ...c, target, username: target.fields(n)[0][1] }))
	);
	const results = await inBatches(cases, async (c) => {
		const sent = await post(await c.target.request(), c.path ?? c.target.path, c.body, c.options);
		return { ...c, sent };
	});
	const problems = results.flatMap(({ target, name, sent, expected }) =>
		problemsOf(`${target.name}, ${name}`, sent, expected)
	);
	const acceptedBy = (name: string) =>
		results.filter((r) => r.target.name === name && r.expected === r.target.accepted);

	// Written: the accepted replies and threads with the values read, the accepted accounts, and
	// the restored thread; nothing from a decoy.
	const replies = acceptedBy('reply')
		.map((r) => ({ id: Number(r.sent.location?.split('#message-')[1]), content: r.value }))
		.sort((a, b) => a.id - b.id);
	const shown = await shownThread(bob.request, thread);
	differ(
		problems,
		'the replies',
		shown.messages.slice(1).map((m) => ({ id: m.id, content: m.content })),
		replies
	);
	const composed = acceptedBy('compose');
	const inbox = (await folder(alice.request, '/messages')).map((t) => t.id);
	differ(
		problems,
		'alice’s inbox',
		inbox.toSorted(),
		[thread, ...composed.map((r) => threadIdOf(r.sent))].sort()
	);
	await inBatches(composed, async ({ name, sent, value }) => {
		const id = threadIdOf(sent);
		if (!id) return;
		const { messages } = await shownThread(alice.request, id);
		differ(
			problems,
			`compose, ${name}: the message`,
			messages.map((m) => m.content),
			[value]
		);
	});
	const signups = results.filter((r) => r.target.name === 'signup');
	await inBatches(
		[...signups, { username: `${run}_decoy`, sent: { status: 400 } }],
		async ({ username, sent }) => {
			const exists =
				(await get(carol.request, `/messages/create/${encode(String(username))}`)).status === 200;
			differ(problems, `an account named ${username}`, exists, sent.status === 303);
		}
	);
	differ(problems, 'carol’s Deleted folder', await folder(carol.request, '/messages/deleted'), []);

	// The forms without fields read no body: whatever it is, they act; only JSON is refused.
	const bodies: [string, Fields | string | undefined, PostOptions, 303 | 403 | 415][] = [
		['no body', undefined, {}, 303],
		[
			'junk and prototype fields',
			[
				['junk', '1'],
				['__proto__[x]', '1'],
				['constructor[prototype][x]', '1']
			],
			{},
			303
		],
		['as text/plain', 'x=1', { contentType: 'text/plain' }, 303],
		['as broken multipart', 'garbage', { contentType: 'multipart/form-data; boundary=x' }, 303],
		['a body over BODY_SIZE_LIMIT', `x=${'x'.repeat(600_000)}`, {}, 303],
		['as JSON', '{}', { contentType: 'application/json' }, 415],
		['no Origin header', [], { origin: null }, 403]
	];
	const forms = [
		['delete', `/messages/thread/${thread}/delete`, '/messages', async () => bob.request],
		[
			'restore on the thread page',
			`/messages/thread/${thread}/restore`,
			`/messages/thread/${thread}`,
			async () => bob.request
		],
		['log out', '/logout', '/login', http.anonymous]
	] as const;
	for (const [form, path, location, request] of forms) {
		await inBatches(bodies, async ([name, body, options, status]) => {
			const sent = await post(await request(), path, body, options);
			const expected: Outcome =
				status === 303
					? { status, location }
					: status === 415
						? { status, message: 'Send forms URL-encoded or as multipart/form-data.' }
						: { status, text: 'Cross-site POST form submissions are forbidden' };
			problems.push(...problemsOf(`${form}, ${name}`, sent, expected));
		});
		const listed = (
			await folder(bob.request, form === 'delete' ? '/messages/deleted' : '/messages')
		).map((t) => t.id);
		if (form !== 'log out') {
			differ(
				problems,
				`after ${form}: the thread is where it should be`,
				listed.includes(thread),
				true
			);
		}
	}
	expectNoProblems(problems, cases.length + bodies.length * forms.length);
});

test('cookies: malformed cookies and session tokens are a signed-out visitor, never an error', async ({
	http
}) => {
	const [gus, hal] = await Promise.all([http.user('gus'), http.user('hal')]);
	const id = await startThread(gus, hal);
	const { token } = gus;
	const storedId = createHash('sha256').update(token).digest('hex');
	// Who the request is: gus, nobody (and the bad token is deleted when `clears`), or a header
	// over Node's limit (431).
	const cases: [name: string, cookie: string, as: 'gus' | 'nobody' | 'too large', clears?: true][] =
		[
			['the session', `session=${token}`, 'gus'],
			['no session cookie', 'theme=dark', 'nobody'],
			['an empty session', 'session=', 'nobody'],
			['an empty quoted session', 'session=""', 'nobody'],
			['garbage', 'session=garbage', 'nobody', true],
			['the token in capitals', `session=${token.toUpperCase()}`, 'nobody', true],
			['the token and one more character', `session=${token}a`, 'nobody', true],
			['the token one character short', `session=${token.slice(0, -1)}`, 'nobody', true],
			['the hash the database keeps', `session=${storedId}`, 'nobody', true],
			['a bad percent escape', 'session=%ZZ', 'nobody', true],
			['a percent-encoded NUL', 'session=%00', 'nobody', true],
			['Latin-1 bytes', 'session=\xff\xfe', 'nobody', true],
			['SQL', "session=' OR '1'='1", 'nobody', true],
			['4,000 characters', `session=${'a'.repeat(4_000)}`, 'nobody', true],
			['over the header size limit', `session=${'a'.repeat(20_000)}`, 'too large'],
			['two sessions, the real one first', `session=${token}; session=garbage`, 'gus'],
			['two sessions, the real one last', `session=garbage; session=${token}`, 'nobody', true],
			['only separators', ';;;;', 'nobody'],
			['cookies without names', '=x; =y', 'nobody'],
			['a name without a value', 'session', 'nobody'],
			['the name in capitals', `Session=${token}`, 'nobody'],
			['the token quoted', `session="${token}"`, 'gus'],
			['spaces around the token', ` session = ${token} `, 'gus'],
			['prototype names first', `__proto__=x; constructor=y; session=${token}`, 'gus'],
			[
				'300 other cookies first',
				`${Array.from({ length: 300 }, (_, i) => `c${i}=${i}`).join('; ')}; session=${token}`,
				'gus'
			]
		];
	const results = await inBatches(cases, async ([name, cookie, as, clears]) => {
		// A context of its own: a cookie the server sets must not reach the next case.
		const request = await http.anonymous();
		const headers = { cookie };
		const content: Fields = [['content', `Cookie: ${name}`]];
		return {
			name,
			as,
			clears,
			inbox: await get(request, '/messages', headers),
			login: await get(request, '/login', headers),
			thread: await get(request, `/messages/thread/${id}`, headers),
			reply: await post(request, `/messages/thread/${id}`, content, { headers }),
			logout: as === 'gus' ? undefined : await post(request, '/logout', [], { headers })
		};
	});
	// nginx, in front, refuses it first with its own 400.
	const tooLarge: Outcome = isBehindProxy() ? { status: 400, byProxy: true } : { status: 431 };
	const problems = results.flatMap(({ name, as, clears, inbox, login, thread, reply, logout }) => {
		const expected: Record<string, Outcome> =
			as === 'gus'
				? {
						inbox: { status: 200 },
						login: { status: 303, location: '/messages' },
						thread: { status: 200 },
						reply: { status: 303, location: new RegExp(`^/messages/thread/${id}#message-\\d+$`) }
					}
				: as === 'nobody'
					? {
							inbox: { status: 303, location: loginRedirectTo('/messages') },
							login: { status: 200 },
							thread: { status: 303, location: loginRedirectTo(`/messages/thread/${id}`) },
							reply: { status: 303, location: loginRedirectTo(`/messages/thread/${id}`) },
							logout: { status: 303, location: '/login' }
						}
					: {
							inbox: tooLarge,
							login: tooLarge,
							thread: tooLarge,
							reply: tooLarge,
							logout: tooLarge
						};
		const sent: Record<string, Sent | undefined> = { inbox, login, thread, reply, logout };
		const found = Object.entries(expected).flatMap(([what, outcome]) =>
			problemsOf(`${name}: ${what}`, sent[what]!, outcome)
		);
		// The header names the signed-in user (their link to the password page).
		if (
			as === 'gus' &&
			!inbox.body.includes(`<bdi>${gus.name}</bdi><span class="visually-hidden">`)
		) {
			found.push(`${name}: the inbox is not gus's`);
		}
		if (clears && !/(^|\n|, )session=;.*Max-Age=0/i.test(login.setCookie)) {
			found.push(
				`${name}: the bad token is not deleted: Set-Cookie ${JSON.stringify(login.setCookie)}`
			);
		}
		return found;
	});

	// Written: a reply from each case signed in as gus, and nothing else.
	const shown = await shownThread(hal.request, id);
	const replies = cases.filter(([, , as]) => as === 'gus').map(([name]) => `Cookie: ${name}`);
	differ(
		problems,
		'the thread',
		shown.messages.map((m) => m.content).toSorted(),
		['The first message.', ...replies].sort()
	);
	// Logging out with the session ends it.
	const request = await http.anonymous();
	const headers = { cookie: `session=${token}` };
	problems.push(
		...problemsOf('log out', await post(request, '/logout', [], { headers }), {
			status: 303,
			location: '/login'
		}),
		...problemsOf('after logging out', await get(request, '/messages', headers), {
			status: 303,
			location: loginRedirectTo('/messages')
		})
	);
	expectNoProblems(problems, cases.length * 5);
});

test('delete and restore: hostile thread ids posted to the Deleted folder are not found, and change nothing', async ({
	http
}) => {
	const [ivy, jon] = await Promise.all([http.user('ivy'), http.user('jon')]);
	const kim = await http.user('kim');
	const [mine, theirs, others] = await Promise.all([
		startThread(ivy, jon),
		startThread(jon, ivy),
		startThread(jon, kim)
	]);
	for (const id of [mine, theirs]) await post(ivy.request, `/messages/thread/${id}/delete`, []);
	const cases: { name: string; value: string | Uint8Array; expected: Outcome }[] = [
		...sample(corpus, 60).map((p) => ({ ...p, expected: { status: 404 } as const })),
		...Object.entries({
			'the id in capitals': mine.toUpperCase(),
			'the id padded': ` ${mine} `,
			'the id and a NUL': `${mine}\0`,
			'the id twice': `${mine}${mine}`,
			'a thread that does not exist': MISSING_THREAD_ID,
			'a thread of others': others
		}).map(([name, value]) => ({ name, value, expected: { status: 404 } as const })),
		{ name: 'the id', value: mine, expected: { status: 303, location: '/messages/deleted' } }
	];
	const problems = (
		await inBatches(cases, async ({ name, value, expected }) => {
			const sent = await post(ivy.request, '/messages/deleted?/restore', [['thread', value]]);
			return problemsOf(`restore ${name}`, sent, expected);
		})
	).flat();
	// Only the thread restored by its id came back; the other stays deleted; others' untouched.
	differ(
		problems,
		'ivy’s inbox',
		(await folder(ivy.request, '/messages')).map((t) => t.id),
		[mine]
	);
	differ(
		problems,
		'ivy’s Deleted folder',
		(await folder(ivy.request, '/messages/deleted')).map((t) => t.id),
		[theirs]
	);
	differ(
		problems,
		'jon’s inbox',
		(await folder(jon.request, '/messages')).map((t) => t.id).toSorted(),
		[mine, theirs, others].sort()
	);
	expectNoProblems(problems, cases.length);
});

test('the actions on chosen threads: any ids, read marks, folders and Undo change nothing of anyone else', async ({
	http
}) => {
	const [alice, bob, carol] = await Promise.all([
		http.user('alice'),
		http.user('bob'),
		http.user('carol')
	]);
	const mine = await startThread(bob, alice);
	const theirs = await startThread(bob, carol);
	const payloads = sample(corpus, 40);
	const actions = ['archive', 'unarchive', 'delete', 'read', 'unread', 'mute', 'unmute'];
	type Case = { name: string; path: string; body: Fields | string; location: RegExp | number };
	const folderPath = /^\/messages(\/(unread|archive|sent|deleted))?$/;
	const cases: Case[] = [];
	for (const { name, value } of payloads) {
		for (const action of actions) {
			const path = `/messages/selection?/${action}`;
			cases.push(
				{
					name: `${action}: thread ${name}`,
					path,
					body: [
						['thread', value],
						['thread', theirs],
						['back', 'archive']
					],
					location: /^\/messages\/archive$/
				},
				{
					name: `${action}: seen ${name}`,
					path,
					body: [
						['thread', theirs],
						['seen', value],
						['back', value]
					],
					location: folderPath
				}
			);
		}
		cases.push(
			{
				name: `undo: ${name}`,
				path: '/messages/selection?/undo',
				body: [
					['action', 'delete'],
					['undo', value],
					['back', 'thread']
				],
				location: /^\/messages$/
			},
			{
				name: `undo: action ${name}`,
				path: '/messages/selection?/undo',
				body: [
					['action', value],
					['undo', JSON.stringify([[theirs, null, null]])]
				],
				location: /^\/messages$/
			},
			{
				name: `Mark all read: back ${name}`,
				path: '/messages/selection?/allread',
				body: [['back', value]],
				location: folderPath
			}
		);
	}
	const undo = (rows: unknown) => [
		['action', 'mute'],
		['undo', JSON.stringify(rows)]
	];
	const oddUndo: [string, unknown][] = [
		['a far future', [[theirs, 8.64e15 + 1]]],
		['a negative time', [[theirs, -1]]],
		['a fraction', [[theirs, 1.5]]],
		['too many values', [[theirs, null, null]]],
		['an object', { [theirs]: null }],
		['a string for a time', [[theirs, '2026-01-01']]],
		['nested arrays', [[[theirs], null]]],
		['10,000 rows', Array.from({ length: 10_000 }, () => [theirs, 1])]
	];
	for (const [name, rows] of oddUndo) {
		cases.push({
			name: `undo: ${name}`,
			path: '/messages/selection?/undo',
			body: undo(rows) as Fields,
			location: /^\/messages$/
		});
	}
	cases.push(
		{
			name: '10,000 thread ids',
			path: '/messages/selection?/delete',
			body: Array.from({ length: 10_000 }, (): [string, string] => ['thread', theirs]),
			location: /^\/messages$/
		},
		{ name: 'as text/plain', path: '/messages/selection?/delete', body: 'x', location: 415 },
		{ name: 'as JSON', path: '/messages/selection?/archive', body: '{}', location: 415 }
	);
	const results = await inBatches(cases, async (c) => {
		const options = typeof c.body === 'string' ? { contentType: 'text/plain' } : {};
		return { ...c, sent: await post(alice.request, c.path, c.body, options) };
	});
	const problems: string[] = [];
	for (const { name, sent, location } of results) {
		if (typeof location === 'number') {
			differ(problems, `${name}: status`, sent.status, location);
			continue;
		}
		differ(problems, `${name}: status`, sent.status, 303);
		if (!location.test(sent.location ?? '')) problems.push(`${name}: went to ${sent.location}`);
	}
	// Nothing changed: alice's thread unread in her inbox, not muted (the unread count shows
	// it); carol's untouched.
	const listed = async (request: typeof alice.request, path: string) =>
		(await folder(request, path)).map((thread) => thread.id);
	differ(problems, 'alice’s inbox', await listed(alice.request, '/messages'), [mine]);
	differ(problems, 'alice’s Unread', await listed(alice.request, '/messages/unread'), [mine]);
	differ(problems, 'alice’s Archive', await listed(alice.request, '/messages/archive'), []);
	differ(problems, 'alice’s Deleted', await listed(alice.request, '/messages/deleted'), []);
	differ(problems, 'carol’s Unread', await listed(carol.request, '/messages/unread'), [theirs]);
	expectNoProblems(problems, cases.length);
});

test('group threads: hostile subjects are renamed as designed, hostile names added to no one', async ({
	http
}) => {
	const [alice, bob] = await Promise.all([http.user('alice'), http.user('bob')]);
	const id = await startThread(alice, bob);
	const location = new RegExp(`^/messages/thread/${id}$`);
	const rename = [...corpus, ...sized(150)].map((payload, i) => ({
		...payload,
		path: `/messages/thread/${id}/rename`,
		field: 'subject',
		enhanced: i % 3 === 2,
		verdict: subjectRule(received(payload.value))
	}));
	// Names of no one: each is refused as the To field of a new thread would be.
	const add = sample(corpus, 40)
		.filter(namesNoOne)
		.map((payload, i) => ({
			...payload,
			path: `/messages/thread/${id}/add`,
			field: 'to',
			enhanced: i % 3 === 2,
			verdict: recipientsRule(received(payload.value), alice.name, [alice.name, bob.name])
		}));
	const cases = [...rename, ...add];
	// One at a time: each rename is an event, in the order sent.
	const results = [];
	for (const c of cases) {
		const body: Fields = [[c.field, c.value]];
		results.push({
			...c,
			sent: await post(alice.request, c.path, body, c.enhanced ? ENHANCED : {})
		});
	}
	const problems = results.flatMap(({ name, value, verdict, sent, enhanced, field }) => {
		const what = `${field === 'to' ? 'add' : 'rename'} ← ${name}${enhanced ? ' (enhanced)' : ''}`;
		if (enhanced) return enhancedProblems(what, sent, verdict, location);
		const outcome = formOutcome(verdict, { status: 303, location }, field, [], received(value));
		return problemsOf(what, sent, outcome);
	});
	const renamed = results.flatMap(({ verdict, field }) =>
		field === 'subject' && 'accepted' in verdict ? [verdict.accepted] : []
	);
	const shown = await shownThread(alice.request, id);
	differ(problems, 'the messages shown', shown.messages.length, 1);
	if (renamed.length) differ(problems, 'the subject', shown.subject, renamed.at(-1));
	await onPostgres(async (sql) => {
		const events = await sql<{ kind: number; content: string }[]>`
			select kind, content from messages where thread_id = ${id} and kind <> 0 order by id`;
		differ(
			problems,
			'the events',
			events,
			renamed.map((content) => ({ kind: 3, content }))
		);
		const [{ names }] = await sql<{ names: string[] }[]>`
			select participant_names as names from threads where id = ${id}`;
		differ(problems, 'the members', names, [alice.name, bob.name].sort());
	});
	expectNoProblems(problems, cases.length);
});

test('search: hostile queries and cursors give the search page, finding only what the searcher may read', async ({
	http
}) => {
	const [dave, erin, frank] = await Promise.all([
		http.user('dave'),
		http.user('erin'),
		http.user('frank')
	]);
	const [own, others] = await Promise.all([startThread(dave, erin), startThread(erin, frank)]);
	// Longer URLs than Node takes (16 KiB of headers) are refused before the app sees them.
	const payloads = [...corpus, ...long, ...sized(1_000)].filter(
		(p) => encode(p.value).length <= 12_000
	);
	const problems: string[] = [];
	await inBatches(payloads, async ({ name, value }) => {
		const paths = [
			`/messages/search?q=${encode(value)}`,
			`/messages/search?q=first+${encode(value)}`,
			`/messages/search?q=first&before=${encode(value)}`
		];
		for (const path of paths) {
			const page = await get(dave.request, path);
			problems.push(...problemsOf(`GET ${path.slice(0, 60)} (${name})`, page, { status: 200 }));
			if (!/<h1[^>]*>Search<\/h1>/.test(page.body)) problems.push(`${name}: not the Search page`);
			if (page.body.includes(`/messages/thread/${others}`)) {
				problems.push(`${name}: found a message of a thread dave is not in`);
			}
		}
		// What a client-side navigation loads: a 5xx would hide in an error node of the JSON.
		const data = await get(dave.request, `/messages/search/__data.json?q=${encode(value)}`);
		if (data.status >= 500 || data.body.includes('"errorId"')) {
			problems.push(`search __data.json (${name}): a server error: ${data.body.slice(0, 200)}`);
		}
	});
	const found = await get(dave.request, '/messages/search?q=first+message');
	if (!new RegExp(`href="/messages/thread/${own}\\?after=\\d+#message-`).test(found.body)) {
		problems.push('dave does not find the first message of his own thread');
	}
	expectNoProblems(problems, payloads.length * 4 + 1);
});

test('who can reach whom: hostile look-ups, names to block and choices answer as designed, never 5xx', async ({
	http
}) => {
	const [lea, max] = await Promise.all([http.user('lea'), http.user('max')]);
	const thread = await startThread(max, lea);
	const problems: string[] = [];
	const payloads = sample(corpus, 60);
	// The look-up: JSON, usernames only (never one's own), whatever the question.
	await inBatches(payloads, async ({ name, value }) => {
		const sent = await get(lea.request, `/messages/recipients?q=${encode(value)}`);
		if (sent.status !== 200) return problems.push(`look-up ${name}: answered ${sent.status}`);
		const names: unknown = JSON.parse(sent.body).names;
		const usernames = Array.isArray(names) && names.every((n) => 'accepted' in usernameRule(n));
		if (!usernames || (names as string[]).includes(lea.name)) {
			problems.push(`look-up ${name}: gave ${sent.body.slice(0, 120)}`);
		}
	});
	// The forms: each hostile value is refused as designed (no such person to block, no such
	// choice, no such participant or request), and nothing is blocked.
	const forms: [string, string, string, Outcome][] = [
		['block', '/account?/block', 'username', { status: 400, field: 'username', error: '' }],
		[
			'unblock',
			'/account?/unblock',
			'username',
			{ status: 303, location: /^\/account\?saved=unblocked/ }
		],
		[
			'who may message me',
			'/account?/dmPolicy',
			'dmPolicy',
			{ status: 400, field: 'dmPolicy', error: 'Choose who may message you.' }
		],
		[
			'block from the thread',
			`/messages/thread/${thread}/block?/block`,
			'username',
			{ status: 404 }
		],
		['accept', '/messages/requests?/accept', 'thread', { status: 404 }],
		['decline', '/messages/requests?/decline', 'thread', { status: 404 }]
	];
	for (const [what, path, field, expected] of forms) {
		problems.push(
			...(
				await inBatches(payloads, async ({ name, value }) => {
					// A name an account can have ("toString", "undefined") may be one: the hostile
					// sign-ups of the same run make such accounts, and blocking them is right.
					if (
						what === 'block' &&
						typeof value === 'string' &&
						/^[A-Za-z0-9_.-]{3,32}$/.test(value.trim())
					) {
						return [];
					}
					const sent = await post(lea.request, path, [[field, value]]);
					if (expected.status !== 400) return problemsOf(`${what} ${name}`, sent, expected);
					// Refused next to the field, in words that depend on the value (a name) or not.
					const error = 'error' in expected ? expected.error : '';
					const says = !error || sent.body.includes(error);
					if (sent.status !== 400 || !says || !/aria-invalid="true"|class="error/.test(sent.body)) {
						return [`${what} ${name}: ${sent.status}, no error next to ${field}`];
					}
					return [];
				})
			).flat()
		);
	}
	const blocked = await get(lea.request, '/account');
	if (!blocked.body.includes('You have not blocked anyone.')) problems.push('someone was blocked');
	expectNoProblems(problems, payloads.length * (forms.length + 1));
});
