import { getContext, setContext } from 'svelte';

const KEY = Symbol('unread count');

/** Gives the pages the unread count the header shows (the root layout decides which is newest). */
export function provideUnreadCount(count: () => number) {
	setContext(KEY, count);
}

/**
 * The unread count the header shows, for anything else that says it (the tab title): call it
 * when the component is made, and the result whenever the count is wanted.
 */
export function shownUnreadCount(): () => number {
	return getContext<(() => number) | undefined>(KEY) ?? (() => 0);
}
