// Prints one closing line for CI from the vitest, Playwright and fault run JSON reports:
// "tests: N passed, N failed, N skipped, N flaky". A missing report counts as a failure. A flaky
// test (Playwright's: failed, then passed on CI's one retry) passes, but is named above that line
// and counted apart, so that it is seen and fixed.
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
let flaky = 0;

/**
 * The Playwright tests (one per spec and project) whose status is `status`, as printable names:
 * `[project] file:line › describe › title`. `titles` are those of the describe blocks around.
 */
function playwrightTests(suite, status, titles = []) {
	const found = (suite.specs ?? []).flatMap((spec) =>
		spec.tests
			.filter((test) => test.status === status)
			.map(
				(test) =>
					`[${test.projectName}] ${spec.file}:${spec.line} › ${[...titles, spec.title].join(' › ')}`
			)
	);
	return found.concat(
		(suite.suites ?? []).flatMap((inner) =>
			playwrightTests(inner, status, [...titles, inner.title])
		)
	);
}

const unit = read('test-results/unit.json');
if (unit) {
	passed += unit.numPassedTests;
	failed += unit.numFailedTests;
	skipped += unit.numPendingTests + (unit.numTodoTests ?? 0);
} else failed += 1;

const e2e = read('test-results/e2e.json');
if (e2e) {
	passed += e2e.stats.expected;
	flaky += e2e.stats.flaky;
	const names = e2e.suites.flatMap((suite) => playwrightTests(suite, 'flaky'));
	for (const name of names) console.log(`flaky: ${name}`);
	// The stats and the tests listed should agree; if not, say so rather than hide any.
	if (names.length !== e2e.stats.flaky) {
		console.log(`flaky: ${e2e.stats.flaky} in the stats, ${names.length} found by name`);
	}
	failed += e2e.stats.unexpected;
	skipped += e2e.stats.skipped;
} else failed += 1;

// The fault run (scripts/faults/run.mjs): one test per scenario.
const faults = read('test-results/faults.json');
if (faults) {
	passed += faults.passed;
	failed += faults.failed;
} else failed += 1;

console.log(`tests: ${passed} passed, ${failed} failed, ${skipped} skipped, ${flaky} flaky`);
process.exit(failed ? 1 : 0);
