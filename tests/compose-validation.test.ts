import {
	expect,
	expectFieldError,
	expectRejected,
	listing,
	register,
	test,
	THREAD_PAGE,
	uniqueName
} from './helpers';

test('invalid compose input is refused next to its field, kept, and nothing is sent', async ({
	page,
	newUser
}) => {
	const alice = await register(page.context(), 'alice');
	const bob = await newUser('bob');
	const ghost = uniqueName('ghost');
	const phantom = uniqueName('phantom');
	// Bob and 50 more names: the count is checked, whoever the names are.
	const fiftyOne = [bob.name, ...Array.from({ length: 50 }, (_, i) => `someone_${i}`)];
	const valid = { To: bob.name, Subject: 'Plans', Message: 'See you there.' };
	type Case = [string, Partial<typeof valid>, keyof typeof valid, string | RegExp];
	const cases: Case[] = [
		['no recipient', { To: '' }, 'To', 'Enter at least one username.'],
		['only separators', { To: ' , ,' }, 'To', 'Enter at least one username.'],
		[
			'unknown recipients, by name',
			{ To: `${bob.name}, ${ghost} ${phantom}` },
			'To',
			new RegExp(`No user named “\u2068${ghost}\u2069”, “\u2068${phantom}\u2069”\\.`)
		],
		[
			// Among others the sender is dropped (compose.test.ts); alone, refused.
			'only the sender',
			{ To: alice.name.toUpperCase() },
			'To',
			'You cannot send a message to yourself.'
		],
		['51 recipients', { To: fiftyOne.join(', ') }, 'To', 'At most 50 recipients.'],
		['an empty subject', { Subject: '' }, 'Subject', 'Give the thread a subject.'],
		['a blank subject', { Subject: '  \t ' }, 'Subject', 'Give the thread a subject.'],
		[
			'a subject of 151 characters',
			{ Subject: 's'.repeat(151) },
			'Subject',
			'Subject is too long: at most 150 characters.'
		],
		['an empty message', { Message: '' }, 'Message', 'Write a message.'],
		['a blank message', { Message: ' \n\n  ' }, 'Message', 'Write a message.'],
		[
			'a message of 20,001 characters',
			{ Message: 'm'.repeat(20_001) },
			'Message',
			'Message is too long: at most 20,000 characters.'
		]
	];

	await page.goto('/messages/create');
	for (const [what, input, field, error] of cases) {
		await test.step(what, async () => {
			const values = { ...valid, ...input };
			for (const [label, value] of Object.entries(values)) {
				await page.getByLabel(label).fill(value);
			}
			await expectRejected(
				page,
				page.getByRole('button', { name: 'Send', exact: true }),
				page.getByLabel(field),
				error
			);
			await expect(page).toHaveURL(/\/messages\/create$/);
			// Everything typed is still there (blank input may come back trimmed).
			for (const [label, value] of Object.entries(values)) {
				if (value.trim()) await expect(page.getByLabel(label)).toHaveValue(value);
			}
		});
	}

	// Every mistake at once: a name nobody has is reported beside a blank subject.
	await test.step('an unknown recipient and a blank subject', async () => {
		await page.getByLabel('To').fill(ghost);
		await page.getByLabel('Subject').fill(' ');
		await page.getByLabel('Message').fill('Both wrong.');
		await expectRejected(
			page,
			page.getByRole('button', { name: 'Send', exact: true }),
			page.getByLabel('Subject'),
			'Give the thread a subject.'
		);
		await expectFieldError(page.getByLabel('To'), `No user named “\u2068${ghost}\u2069”.`);
	});

	// Nothing was written for anyone.
	for (const user of [alice, bob]) {
		const inbox = await listing(user.request);
		expect(inbox.rows, user.name).toEqual([]);
		expect(inbox.unreadCount).toBe(0);
	}

	// The longest allowed subject and message go through.
	await page.getByLabel('To').fill(bob.name);
	await page.getByLabel('Subject').fill('s'.repeat(150));
	await page.getByLabel('Message').fill('m'.repeat(20_000));
	await page.getByRole('button', { name: 'Send', exact: true }).click();
	await expect(page).toHaveURL(THREAD_PAGE);
	await expect(page.getByRole('heading', { level: 1 })).toHaveText('s'.repeat(150));
	const shown = await page.locator('[data-message] p').textContent();
	expect(shown === 'm'.repeat(20_000), 'the whole message is shown').toBe(true);
	expect((await listing(bob.request)).rows).toHaveLength(1);
});
