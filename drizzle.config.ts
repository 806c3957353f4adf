import { defineConfig } from 'drizzle-kit';

export default defineConfig({
	schema: './src/lib/server/db/schema.ts',
	out: './drizzle',
	dialect: 'postgresql',
	// Only `drizzle-kit migrate/push/studio` need a server; the app migrates itself on start.
	dbCredentials: { url: process.env.DATABASE_URL ?? 'postgres://unused' },
	strict: true,
	verbose: true
});
