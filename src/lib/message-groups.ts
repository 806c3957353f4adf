import { dayOf } from './time';

interface Sent {
	id: number;
	sender: string;
	sentAt: Date;
	/** A timeline event (not 0): a run of its own, as it is nobody's message. */
	kind?: number;
}

/** A day of a thread, and within it the runs of messages one sender sent in a row. */
export interface Day<M extends Sent> {
	key: string;
	date: Date;
	runs: M[][];
	/** The index of the run that begins with the first new message, when it is on this day. */
	newFrom: number | null;
}

/**
 * Groups messages (oldest first) by calendar day in the reader's time zone, then by consecutive
 * sender, keeping the order. The first new message, `firstNew`, begins a run of its own: new
 * messages are set apart.
 */
export function groupByDayAndSender<M extends Sent>(
	messages: M[],
	timeZone: string,
	firstNew?: number | null
): Day<M>[] {
	const days: Day<M>[] = [];
	for (const message of messages) {
		const key = dayOf(message.sentAt, timeZone);
		let day = days.at(-1);
		if (day?.key !== key) days.push((day = { key, date: message.sentAt, runs: [], newFrom: null }));
		const run = day.runs.at(-1);
		if (message.id === firstNew) day.newFrom = day.runs.length;
		const joins = run && !run[0].kind && !message.kind && run[0].sender === message.sender;
		if (joins && message.id !== firstNew) run.push(message);
		else day.runs.push([message]);
	}
	return days;
}
