import type { RequestEvent } from '@sveltejs/kit';
import { ACTIONS, type ActionName, type Previous } from '$lib/server/threads';
import { flash } from './flash';

// What an action on chosen threads did, said by the page it leads to ("Moved to Archive: 3."),
// with what Undo needs to put them back. Like the notice after Delete (notice.ts) it is a cookie
// read once (flash.ts); it needs no statement, as it names no thread, only how many changed.

/** An action, Mark all read, or an Undo. */
export type Done = ActionName | 'allread' | 'undone';

/** A changed thread's id, then its previous values in its action's column order (times in ms). */
type Row = [string, ...(number | null)[]];

export interface DoneNotice {
	done: Done;
	count: number;
	/** For the Undo form: what the action changed (none for Mark all read and Undo). */
	undo: string | null;
}

type Event = Pick<RequestEvent, 'cookies' | 'url'>;

const DONE: Done[] = [...(Object.keys(ACTIONS) as ActionName[]), 'allread', 'undone'];

/** The rows of `previous` as Undo carries them: compact, as a cookie holds 4 KB. */
export function packUndo(action: ActionName, previous: Previous[]): string {
	const { columns } = ACTIONS[action];
	return JSON.stringify(
		previous.map((row): Row => [
			row.thread,
			...columns.map((column) => {
				const value = row[column] ?? null;
				return typeof value === 'string' ? Date.parse(value) : value;
			})
		])
	);
}

// Times as JavaScript can write them (to +275760-09-13), which PostgreSQL can store.
const isValue = (value: unknown) =>
	value === null ||
	(Number.isSafeInteger(value) && (value as number) >= 0 && (value as number) <= 8.64e15);

/** What an Undo form posted, checked; null for anything else. Times back as ISO text. */
export function unpackUndo(action: ActionName, packed: string): Previous[] | null {
	const { columns } = ACTIONS[action];
	let rows: unknown;
	try {
		rows = JSON.parse(packed);
	} catch {
		return null;
	}
	if (!Array.isArray(rows)) return null;
	const previous: Previous[] = [];
	for (const row of rows) {
		if (!Array.isArray(row) || row.length !== columns.length + 1) return null;
		const [thread, ...values] = row as unknown[];
		if (typeof thread !== 'string' || !values.every(isValue)) return null;
		const entry: Previous = { thread };
		columns.forEach((column, i) => {
			const value = values[i] as number | null;
			entry[column] =
				column === 'readMessageId' || value === null ? value : new Date(value).toISOString();
		});
		previous.push(entry);
	}
	return previous;
}

const done = flash<DoneNotice>('done', (value) => {
	try {
		const [what, count, undo] = JSON.parse(value) as unknown[];
		if (!DONE.includes(what as Done) || !Number.isSafeInteger(count)) return null;
		return {
			done: what as Done,
			count: count as number,
			undo: typeof undo === 'string' ? undo : null
		};
	} catch {
		return null;
	}
});

/** Has the next page say what was done, and offer Undo when `undo` is given. */
export function flashDone(event: Event, what: Done, count: number, undo: string | null = null) {
	done.set(event, JSON.stringify([what, count, undo]));
}

/** The notice flashed to this page, if any; taken, it is gone. */
export const takeDone = (event: Event): DoneNotice | null => done.take(event);
