import { request as httpRequest } from 'node:http';
import type { Page } from '@playwright/test';
import { expect, PASSWORD, register, sendReply, startThread, test, uniqueName } from './helpers';

// Email notifications end to end: through scripts/test-smtp.mjs, which playwright.config.ts
// starts as one more web server and every instance mails at once (EMAIL_DELAY_SECONDS=0).

interface Mail {
	to: string[];
	subject: string;
	messageId: string;
	text: string;
	headers: Record<string, string>;
}

const MAILS = `http://127.0.0.1:${Number(process.env.E2E_PORT ?? 4173) + 9}/mails`;

async function mailsTo(address: string): Promise<Mail[]> {
	return (await fetch(`${MAILS}?to=${encodeURIComponent(address)}`)).json();
}

/** Waits for the `count`th mail to `address` and gives every mail it has had. */
async function waitForMails(address: string, count: number): Promise<Mail[]> {
	await expect.poll(async () => (await mailsTo(address)).length, { timeout: 15_000 }).toBe(count);
	return mailsTo(address);
}

/** The path of a link on the site (mails from instances behind the proxy name their own port). */
const pathOf = (url: string) => new URL(url).pathname;

/** A POST as mail providers send the one-click unsubscribe: no Origin, no cookie. */
function oneClick(url: string): Promise<{ status: number; body: string }> {
	return new Promise((resolve, reject) => {
		const body = 'List-Unsubscribe=One-Click';
		const request = httpRequest(
			url,
			{
				method: 'POST',
				headers: {
					'content-type': 'application/x-www-form-urlencoded',
					'content-length': Buffer.byteLength(body)
				}
			},
			(response) => {
				let text = '';
				response.on('data', (chunk) => (text += chunk));
				response.on('end', () => resolve({ status: response.statusCode!, body: text }));
			}
		);
		request.on('error', reject);
		request.end(body);
	});
}

async function addAddress(page: Page, address: string) {
	await page.goto('/account');
	await page.getByLabel('Email', { exact: true }).fill(address);
	await page.getByLabel('Current password').fill(PASSWORD);
	await page.getByRole('button', { name: 'Use this address' }).click();
	await expect(page.getByText(`We mailed a link to`)).toBeVisible();
}

test('an address verified by its link gets notifications until one-click unsubscribe', async ({
	page,
	newUser,
	baseURL
}) => {
	const bob = await register(page.context(), 'bob');
	const alice = await newUser('alice');
	const address = `${uniqueName('bob')}@e2e.test`.toLowerCase();

	// Before the address is verified, nothing but the link is mailed to it.
	await addAddress(page, address);
	await startThread(alice.request, bob.name, 'Before verifying');
	const [verification] = await waitForMails(address, 1);
	expect(verification.subject).toBe('Confirm your email address for Courier');
	const link = /https?:\/\/\S+\/email\/verify\/\S+/.exec(verification.text)![0];
	await page.goto(pathOf(link));
	await expect(page.getByText('Your address is confirmed.')).toBeVisible();
	await page.goto('/account');
	await expect(page.getByText(`Notifications go to`)).toBeVisible();
	await expect(page.getByRole('radio', { name: 'When I have not read it' })).toBeChecked();

	const subject = uniqueName('Lunch');
	const threadId = await startThread(alice.request, bob.name, subject, 'Noon at the usual place?');
	const [, notification] = await waitForMails(address, 2);
	expect(notification.subject).toBe(subject);
	expect(notification.text).toContain(`${alice.name} wrote:`);
	expect(notification.text).toContain('> Noon at the usual place?');
	expect(notification.text).toContain(`/messages/thread/${threadId}`);
	expect(notification.headers['list-unsubscribe-post']).toBe('List-Unsubscribe=One-Click');
	const unsubscribeUrl = /^<(.+)>$/.exec(notification.headers['list-unsubscribe'])![1];
	const unsubscribe = new URL(pathOf(unsubscribeUrl), baseURL).href;

	// A GET (a link scanner's) only asks.
	await page.goto(pathOf(unsubscribeUrl));
	await expect(page.getByRole('button', { name: 'Unsubscribe' })).toBeVisible();
	await sendReply(alice.request, threadId, 'Still mailed after the GET');
	await waitForMails(address, 3);

	const answer = await oneClick(unsubscribe);
	expect(answer.status).toBe(200);
	expect(answer.body).toContain('you will get no more of these emails');

	// Nothing more for that thread; another thread still mails (which shows the worker ran).
	await sendReply(alice.request, threadId, 'Not mailed');
	const other = uniqueName('Other');
	await startThread(alice.request, bob.name, other);
	const mails = await waitForMails(address, 4);
	expect(mails[3].subject).toBe(other);
	expect(mails.filter((mail) => mail.text.includes('Not mailed'))).toEqual([]);
});

test('a forged unsubscribe or verification link does nothing', async ({ page }) => {
	await page.goto('/unsubscribe/1.all.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA');
	await expect(page.getByText('This unsubscribe link is not valid.')).toBeVisible();
	const forged = await oneClick(
		new URL('/unsubscribe/1.all.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA', page.url()).href
	);
	expect(forged.status).toBe(400);
	await page.goto('/email/verify/1.99999999999.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA');
	await expect(page.getByText('This link is not valid any more.')).toBeVisible();
});

test('a refused address is shown its error on the account page', async ({ page }) => {
	const bob = await register(page.context(), 'bob');
	await page.goto('/account');
	await page.getByLabel('Email', { exact: true }).fill(`${bob.name}@bounce.test`);
	await page.getByLabel('Current password').fill(PASSWORD);
	await page.getByRole('button', { name: 'Use this address' }).click();
	await expect(page.getByText('the mail with the link could not be sent')).toBeVisible();
	await page.getByLabel('Current password').fill('wrong password');
	await page.getByRole('button', { name: 'Use this address' }).click();
	await expect(page.getByText('That is not your current password.')).toBeVisible();
});
