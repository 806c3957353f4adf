// Summarises a V8 CPU profile (`npm run bench -- --cpu-prof`): where the server's time went, by
// function (self time) and by package, so the largest costs stand out.
//
//   node scripts/bench/profile.mjs bench-results/CPU.<...>.cpuprofile [--top 30]
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';

const { values, positionals } = parseArgs({
	allowPositionals: true,
	options: { top: { type: 'string', default: '30' } }
});
const profile = JSON.parse(readFileSync(positionals[0], 'utf8'));
const byId = new Map(profile.nodes.map((node) => [node.id, node]));
const selfTime = new Map();
const intervals = profile.timeDeltas;
for (let i = 0; i < profile.samples.length; i++) {
	const id = profile.samples[i];
	selfTime.set(id, (selfTime.get(id) ?? 0) + (intervals[i] ?? 0));
}
const total = [...selfTime.values()].reduce((a, b) => a + b, 0);

/** The package (or app folder) a script belongs to. */
function placeOf(url) {
	if (!url) return '(native)';
	const pkg = url.match(/node_modules\/((?:@[^/]+\/)?[^/]+)/);
	if (pkg) return pkg[1];
	if (url.startsWith('node:')) return 'node';
	const build = url.match(/\/build\/(.*)$/);
	return build ? `app ${build[1].replace(/-[\w-]{8}\.js$/, '.js')}` : url;
}

const functions = new Map();
const places = new Map();
for (const [id, time] of selfTime) {
	const { callFrame } = byId.get(id);
	const where = placeOf(callFrame.url);
	const name = `${callFrame.functionName || '(anonymous)'}  ${where}:${callFrame.lineNumber + 1}`;
	functions.set(name, (functions.get(name) ?? 0) + time);
	places.set(where, (places.get(where) ?? 0) + time);
}
const show = (title, map) => {
	console.log(`\n${title}`);
	for (const [name, time] of [...map].sort((a, b) => b[1] - a[1]).slice(0, Number(values.top)))
		console.log(`${((time / total) * 100).toFixed(1).padStart(5)} %  ${name}`);
};
console.log(`${(total / 1e6).toFixed(1)} s sampled`);
show('By package', places);
show('By function (self time)', functions);
