// Where the heap goes between two snapshots of one process (live.mjs --heap-snapshots writes them
// with none and with N streams open): the bytes per N by kind of object, and what holds a new object.
//
//   node scripts/bench/heap-diff.mjs <before.heapsnapshot> <after.heapsnapshot> <N> [--holds <name>]
//
// --holds prints the shortest path from a GC root to one object of that name (constructor, or
// closure) that the second snapshot has and the first has not.
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';

const { values: options, positionals } = parseArgs({
	allowPositionals: true,
	options: { holds: { type: 'string' }, top: { type: 'string', default: '30' } }
});
const [beforeFile, afterFile, count] = positionals;
const n = Number(count);

function load(file) {
	const snapshot = JSON.parse(readFileSync(file, 'utf8'));
	const { node_fields, node_types, edge_fields, edge_types } = snapshot.snapshot.meta;
	const nodeFields = node_fields.length;
	const field = (name) => node_fields.indexOf(name);
	const nodes = snapshot.nodes;
	const size = nodes.length / nodeFields;
	const firstEdge = new Uint32Array(size + 1);
	for (let i = 0, edge = 0; i < size; i++) {
		firstEdge[i] = edge;
		edge += nodes[i * nodeFields + field('edge_count')] * edge_fields.length;
		firstEdge[size] = edge;
	}
	return {
		size,
		firstEdge,
		edges: snapshot.edges,
		edgeFields: edge_fields.length,
		edgeType: (e) => edge_types[0][snapshot.edges[e]],
		edgeName: (e) =>
			['element', 'hidden'].includes(edge_types[0][snapshot.edges[e]])
				? `[${snapshot.edges[e + 1]}]`
				: snapshot.strings[snapshot.edges[e + 1]],
		edgeTo: (e) => snapshot.edges[e + 2] / nodeFields,
		type: (i) => node_types[0][nodes[i * nodeFields + field('type')]],
		name: (i) => snapshot.strings[nodes[i * nodeFields + field('name')]],
		id: (i) => nodes[i * nodeFields + field('id')],
		selfSize: (i) => nodes[i * nodeFields + field('self_size')]
	};
}

const before = load(beforeFile);
const after = load(afterFile);
const kind = (heap, i) => {
	const type = heap.type(i);
	return ['string', 'concatenated string', 'sliced string', 'number'].includes(type)
		? type
		: `${type} ${heap.name(i).slice(0, 50)}`;
};

// Bytes per N by kind: everything in the second snapshot less everything in the first.
const bytes = new Map();
const add = (key, value) => bytes.set(key, (bytes.get(key) ?? 0) + value);
for (let i = 0; i < after.size; i++) add(kind(after, i), after.selfSize(i));
for (let i = 0; i < before.size; i++) add(kind(before, i), -before.selfSize(i));
const rows = [...bytes].sort((a, b) => b[1] - a[1]);
const total = rows.reduce((sum, [, value]) => sum + value, 0);
console.log(`${Math.round(total / n)} bytes per ${n}th, by kind (self sizes):`);
for (const [key, value] of rows.slice(0, Number(options.top)))
	console.log(`${String(Math.round(value / n)).padStart(7)}  ${key}`);

if (options.holds) {
	// Shortest paths from the root, leaving out the cleanup queue that lists every web stream.
	const oldIds = new Set();
	for (let i = 0; i < before.size; i++) oldIds.add(before.id(i));
	const parent = new Int32Array(after.size).fill(-1);
	const via = new Int32Array(after.size).fill(-1);
	const queue = [0];
	parent[0] = 0;
	for (let head = 0; head < queue.length; head++) {
		const from = queue[head];
		if (['Node / JSTransferable', 'Node / CleanupQueue'].includes(after.name(from))) continue;
		for (let e = after.firstEdge[from]; e < after.firstEdge[from + 1]; e += after.edgeFields) {
			const to = after.edgeTo(e);
			if (after.edgeType(e) === 'weak' || parent[to] !== -1) continue;
			parent[to] = from;
			via[to] = e;
			queue.push(to);
		}
	}
	const target = queue.find(
		(i) => after.name(i) === options.holds && !oldIds.has(after.id(i)) && i !== 0
	);
	if (target === undefined) console.log(`\nNo new ${options.holds} reached from a root.`);
	else {
		console.log(`\nWhat holds a new ${options.holds} (object <-property- holder):`);
		for (let i = target; i !== 0; i = parent[i])
			console.log(`  ${kind(after, i)}  <-${after.edgeName(via[i])}-`);
	}
}
