// Applies the migrations in drizzle/ (the app also does this itself on start).
// With PGlite, stop the app first: its data folder belongs to one process at a time.
import { openScriptDb } from './db';

const handle = openScriptDb();
await handle.migrate();
await handle.close();
console.log(`Migrated the ${handle.kind} database.`);
