import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';

/**
 * @typedef {object} ThemeOverridesOptions
 * @property {string} [overrides] The deployer's folder of replacement components.
 * @property {string} [components] The default theme's components.
 */

/** @param {string} dir */
const svelteFiles = (dir) =>
	existsSync(dir) ? readdirSync(dir).filter((file) => file.endsWith('.svelte')) : [];

/**
 * Theming by replacement: `src/overrides/ThreadRow.svelte` takes the place of
 * `src/lib/components/ThreadRow.svelte` everywhere it is imported, by routes and by other
 * components alike; deleting the file brings the default back. An override may import the
 * default it replaces (to wrap it) under the default's own path. The build stops when an
 * override's name matches no default component, since it would silently do nothing.
 *
 * @param {ThemeOverridesOptions} options
 * @returns {import('vite').Plugin}
 */
export function themeOverrides(options = {}) {
	let overrideDir = '';
	let componentDir = '';
	/** @type {Set<string>} */
	let overridden = new Set();

	return {
		name: 'courier-theme-overrides',
		enforce: 'pre',
		configResolved(config) {
			overrideDir = path.resolve(config.root, options.overrides ?? 'src/overrides');
			componentDir = path.resolve(config.root, options.components ?? 'src/lib/components');
		},
		buildStart() {
			const defaults = svelteFiles(componentDir);
			overridden = new Set(svelteFiles(overrideDir));
			const unmatched = [...overridden].filter((name) => !defaults.includes(name));
			if (unmatched.length) {
				const files = unmatched.map((name) =>
					path.relative(process.cwd(), path.join(overrideDir, name))
				);
				this.error(
					`Theme override ${files.join(', ')} matches no component of the default theme, ` +
						`so it would never be used. Name it after one of: ${defaults.join(', ')}.`
				);
			}
		},
		async resolveId(source, importer, resolveOptions) {
			if (!overridden.size || !source.endsWith('.svelte')) return null;
			const resolved = await this.resolve(source, importer, { ...resolveOptions, skipSelf: true });
			if (!resolved || path.dirname(resolved.id) !== componentDir) return null;
			const override = path.join(overrideDir, path.basename(resolved.id));
			if (!overridden.has(path.basename(resolved.id)) || importer === override) return null;
			return override;
		}
	};
}
