import { afterNavigate, goto } from '$app/navigation';

/**
 * A link to `#message-<id>` opens the thread at that message: when the page shows it, it is
 * scrolled to and focused, ahead of where reading would start; when it does not, the page of
 * messages from it on (`?after=`) is loaded instead. Search results link to that page already,
 * so they open at their message without JavaScript too.
 */
export function openAtMessage(shown: () => { id: number }[]) {
	afterNavigate(({ to }) => {
		const id = Number(/^#message-(\d{1,15})$/.exec(to?.url.hash ?? '')?.[1]);
		if (!id) return;
		const target = document.getElementById(`message-${id}`);
		if (target) {
			target.focus({ preventScroll: true });
			target.scrollIntoView({ block: 'start' });
		} else if (
			!shown().some((message) => message.id === id) &&
			to?.url.searchParams.get('after') !== `${id - 1}`
		) {
			goto(`?after=${id - 1}#message-${id}`, { replaceState: true });
		}
	});
}
