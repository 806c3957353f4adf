import { describe, expect, it } from 'vitest';
import { clock } from './clock.svelte';

describe('clock on the server', () => {
	it('is the time of the render, not the time the server started', async () => {
		const started = clock.now;
		await new Promise((resolve) => setTimeout(resolve, 30));
		expect(clock.now).toBeGreaterThanOrEqual(started + 25);
		expect(Math.abs(clock.now - Date.now())).toBeLessThan(5);
	});
});
