// Fixes postgres.js 3.4.9 (the latest release) for connections that the server closes while a
// query runs (a restart, pg_terminate_backend, a failover). Unpatched, docs/RELIABILITY.md's
// fault run crashes the server: a transaction's own ROLLBACK is written to the closed socket
// from a setImmediate (TypeError, uncaught), and that connection never connects again. Open
// upstream as porsager/postgres#1208 and #1154. Also, the dead backend's last error failed the
// next query on the new connection.
//
// Run by `npm install` (postinstall). It edits node_modules/postgres in place, once; if the
// package's text has changed (a new version), it stops with an error so the patch is reviewed.
import { readFileSync, writeFileSync } from 'node:fs';

const MARK = '/* courier: ';

const connection = [
	{
		why: 'forget the dead socket: unsent bytes, its pending write, its last error, its query',
		before: `    socket.removeAllListeners()
    socket = null

    if (initial)
      return reconnect()

    !hadError && (query || sent.length) && error(Errors.connection('CONNECTION_CLOSED', options, socket))
`,
		after: `    socket.removeAllListeners()
    socket = null
    ${MARK}nothing of a closed socket may reach the next one */
    chunk = nextWriteTimer = errorResponse = null

    if (initial)
      return reconnect()

    !hadError && (query || sent.length) && error(Errors.connection('CONNECTION_CLOSED', options, socket))
    query = null
`
	},
	{
		why: 'a statement for a connection that has closed fails instead of being written',
		before: `  function execute(q) {
    if (terminated)
      return queryError(q, Errors.connection('CONNECTION_DESTROYED', options))
`,
		after: `  function execute(q) {
    if (terminated)
      return queryError(q, Errors.connection('CONNECTION_DESTROYED', options))

    ${MARK}a transaction's next statement after its connection closed: fail it, never write it */
    if (!socket)
      return queryError(q, Errors.connection('CONNECTION_CLOSED', options)), true
`
	}
];

const index = [
	{
		why: "a transaction's statements after its connection closed never run on another one",
		before: `        new Promise((_, reject) => connection.onclose = reject)
`,
		after: `        new Promise((_, reject) => connection.onclose = (e) => reject(closedError = e))
`
	},
	{
		why: '(the same)',
		before: `    let savepoints = 0
      , connection
`,
		after: `    let savepoints = 0
      , closedError = null ${MARK}set when the transaction's connection closes */
      , connection
`
	},
	{
		why: '(the same)',
		before: `      function handler(q) {
        q.catch(e => uncaughtError || (uncaughtError = e))
`,
		after: `      function handler(q) {
        q.catch(e => uncaughtError || (uncaughtError = e))
        if (closedError)
          return q.reject(closedError)
`
	}
];

const files = {
	'node_modules/postgres/src/connection.js': connection,
	'node_modules/postgres/cjs/src/connection.js': connection,
	'node_modules/postgres/src/index.js': index,
	'node_modules/postgres/cjs/src/index.js': index
};

for (const [file, hunks] of Object.entries(files)) {
	let text = readFileSync(file, 'utf8');
	if (text.includes(MARK)) continue;
	for (const { why, before, after } of hunks) {
		if (text.split(before).length !== 2) {
			console.error(`patch-postgres: ${file} has changed, cannot ${why}. Review the patch.`);
			process.exit(1);
		}
		text = text.replace(before, () => after);
	}
	writeFileSync(file, text);
	console.log(`patch-postgres: patched ${file}`);
}
