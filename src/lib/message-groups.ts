import { dayOf } from './time';

interface Sent {
	sender: string;
	sentAt: Date;
}

/** A day of a thread, and within it the runs of messages one sender sent in a row. */
export interface Day<M extends Sent> {
	key: string;
	date: Date;
	runs: M[][];
}

/**
 * Groups messages (oldest first) by calendar day in the reader's time zone, then by consecutive
 * sender, keeping the order.
 */
export function groupByDayAndSender<M extends Sent>(messages: M[], timeZone: string): Day<M>[] {
	const days: Day<M>[] = [];
	for (const message of messages) {
		const key = dayOf(message.sentAt, timeZone);
		let day = days.at(-1);
		if (day?.key !== key) days.push((day = { key, date: message.sentAt, runs: [] }));
		const run = day.runs.at(-1);
		if (run && run[0].sender === message.sender) run.push(message);
		else day.runs.push([message]);
	}
	return days;
}
