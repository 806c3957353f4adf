// Prints one closing line for CI from the vitest, Playwright and fault run JSON reports:
// "tests: N passed, N failed, N skipped". A missing report counts as a failure.
import { readFileSync } from 'node:fs';

function read(path) {
	try {
		return JSON.parse(readFileSync(path, 'utf8'));
	} catch {
		console.error(`No test report at ${path}.`);
		return null;
	}
}

let passed = 0;
let failed = 0;
let skipped = 0;

const unit = read('test-results/unit.json');
if (unit) {
	passed += unit.numPassedTests;
	failed += unit.numFailedTests;
	skipped += unit.numPendingTests + (unit.numTodoTests ?? 0);
} else failed += 1;

const e2e = read('test-results/e2e.json');
if (e2e) {
	passed += e2e.stats.expected + e2e.stats.flaky;
	failed += e2e.stats.unexpected;
	skipped += e2e.stats.skipped;
} else failed += 1;

// The fault run (scripts/faults/run.mjs): one test per scenario.
const faults = read('test-results/faults.json');
if (faults) {
	passed += faults.passed;
	failed += faults.failed;
} else failed += 1;

console.log(`tests: ${passed} passed, ${failed} failed, ${skipped} skipped`);
process.exit(failed ? 1 : 0);
