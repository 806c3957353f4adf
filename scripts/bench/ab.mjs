// What one change gains, on a machine too noisy to compare runs made minutes apart: two servers
// side by side on one seeded PostgreSQL database (BENCH_DATABASE_URL), measured in alternating
// runs (A then B, then B then A, ...), reporting B against A per endpoint.
//
//   node scripts/bench/ab.mjs [--b-build=bench-results/old-build] [--b-node-options=--…]
//        [--a-node-options=--…] [--a-env=NAME=value,…] [--b-env=NAME=value,…]
//        [--only=inbox,thread] [--rounds 4] [--duration 4] [--no-seed] [--port 4401]
//
// A is `build/` as `npm start` runs it, and so is B unless told otherwise. To compare two versions
// of the code, copy `build/` to a folder inside the project (so its packages resolve), change the
// code, build again, and pass the copy as --b-build.
import { execFileSync } from 'node:child_process';
import { parseArgs } from 'node:util';
import {
	NODE_OPTIONS_OF_START,
	endpointsOf,
	measure,
	median,
	peakRssOf,
	startServer,
	stopServer
} from './server.mjs';

const { values: options } = parseArgs({
	options: {
		'a-build': { type: 'string', default: 'build' },
		'b-build': { type: 'string', default: 'build' },
		'a-node-options': { type: 'string', default: NODE_OPTIONS_OF_START },
		'b-node-options': { type: 'string', default: NODE_OPTIONS_OF_START },
		'a-env': { type: 'string', default: '' },
		'b-env': { type: 'string', default: '' },
		only: { type: 'string' },
		rounds: { type: 'string', default: '4' },
		duration: { type: 'string', default: '4' },
		connections: { type: 'string', default: '10' },
		'no-seed': { type: 'boolean', default: false },
		port: { type: 'string', default: '4401' }
	}
});
const load = { duration: Number(options.duration), connections: Number(options.connections) };

const url = process.env.BENCH_DATABASE_URL;
if (!url) throw new Error('Set BENCH_DATABASE_URL: both servers share one PostgreSQL database.');
if (!options['no-seed']) {
	execFileSync('npx', ['tsx', 'scripts/bench/seed.ts', 'small'], {
		env: { ...process.env, DATABASE_URL: url },
		stdio: 'inherit'
	});
}

/** `NAME=value,NAME=value` as an object. */
const envOf = (list) =>
	Object.fromEntries(list ? list.split(',').map((pair) => pair.split(/=(.*)/s).slice(0, 2)) : []);

const sides = [];
for (const [side, port] of [
	['a', Number(options.port)],
	['b', Number(options.port) + 1]
]) {
	const server = await startServer({
		port,
		env: { DATABASE_URL: url, ...envOf(options[`${side}-env`]) },
		build: options[`${side}-build`],
		nodeOptions: options[`${side}-node-options`]
	});
	const wanted = options.only?.split(',');
	const endpoints = (await endpointsOf(server, 'small')).filter(
		(endpoint) => !wanted || wanted.some((word) => endpoint.name.includes(word))
	);
	sides.push({ name: side.toUpperCase(), server, endpoints, results: endpoints.map(() => []) });
}

try {
	for (const side of sides) {
		// The warm-up also fails the run if an endpoint does not answer as expected.
		for (const endpoint of side.endpoints)
			await measure(side.server, endpoint, { ...load, duration: 2 });
	}
	const rounds = Number(options.rounds);
	for (let round = 0; round < rounds; round++) {
		const order = round % 2 ? [...sides].reverse() : sides;
		for (let i = 0; i < sides[0].endpoints.length; i++) {
			for (const side of order) {
				side.results[i].push(await measure(side.server, side.endpoints[i], load));
			}
		}
	}

	const [a, b] = sides;
	console.log(`\nA: ${options['a-build']} ${options['a-node-options']} ${options['a-env']}`);
	console.log(`B: ${options['b-build']} ${options['b-node-options']} ${options['b-env']}`);
	console.log(`${rounds} alternating rounds of ${load.duration} s, medians\n`);
	console.log('| endpoint | A req/s | B req/s | B / A | A CPU µs | B CPU µs | B / A |');
	console.log('| --- | ---: | ---: | ---: | ---: | ---: | ---: |');
	a.endpoints.forEach((endpoint, i) => {
		const stat = (side, key) => median(side.results[i].map((result) => result[key]));
		const [rpsA, rpsB] = [stat(a, 'rps'), stat(b, 'rps')];
		const [usA, usB] = [stat(a, 'cpuUs'), stat(b, 'cpuUs')];
		console.log(
			`| ${endpoint.name} | ${Math.round(rpsA)} | ${Math.round(rpsB)} | ${(rpsB / rpsA).toFixed(2)} ` +
				`| ${usA} | ${usB} | ${(usB / usA).toFixed(2)} |`
		);
	});
	printAgainstFloor(a, b);
	console.log(`\nPeak RSS: A ${peakRssOf(a.server)} MB, B ${peakRssOf(b.server)} MB`);
} finally {
	await Promise.all(sides.map(({ server }) => stopServer(server)));
}

/**
 * With the page floor among the endpoints: each one's CPU per request against the floor's on the
 * same side in the same round, A and B (medians, then every round), which the load of the
 * machine moves far less than the CPU per request itself.
 */
function printAgainstFloor(a, b) {
	const floor = a.endpoints.findIndex((endpoint) => endpoint.name.startsWith('page floor'));
	if (floor < 0) return;
	const ratios = (side, i) =>
		side.results[i].map((result, round) => result.cpuUs / side.results[floor][round].cpuUs);
	const shown = (values) => values.map((value) => value.toFixed(2)).join(', ');
	console.log('\n| endpoint | A against floor | B against floor | A rounds | B rounds |');
	console.log('| --- | ---: | ---: | --- | --- |');
	a.endpoints.forEach((endpoint, i) => {
		const [ofA, ofB] = [ratios(a, i), ratios(b, i)];
		console.log(
			`| ${endpoint.name} | ${median(ofA).toFixed(2)}× | ${median(ofB).toFixed(2)}× ` +
				`| ${shown(ofA)} | ${shown(ofB)} |`
		);
	});
}
