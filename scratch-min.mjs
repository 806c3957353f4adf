import { chromium } from '@playwright/test';
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu', '--no-first-run'] });
for (const width of [320, 500, 700, 800, 1280]) {
	const context = await browser.newContext({ viewport: { width, height: 640 } });
	const page = await context.newPage();
	await page.setContent('<div style="height:300px"></div><a href="#x" id="l">a link here</a>');
	await page.evaluate(() => { window.__ev = []; document.addEventListener('click', (e) => window.__ev.push(e.clientY), true); });
	await page.click('#l');
	console.log(width, await page.evaluate(() => JSON.stringify(window.__ev)), page.url().slice(-2));
	await context.close();
}
await browser.close();
