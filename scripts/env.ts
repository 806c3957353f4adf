// What SvelteKit's `$env/dynamic/private` gives the app, for the scripts tsx runs outside it
// (scripts/tsconfig.json points the import here): the process's environment.
export const env: Record<string, string | undefined> = process.env;
