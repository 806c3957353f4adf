// An SMTP server for the e2e tests (playwright.config.ts starts it): it keeps every mail it
// receives and serves them over HTTP as JSON, `GET /mails?to=<address>`, for the tests to read.
// Recipients at bounce.test are refused with 550.
import { createServer } from 'node:http';
import { simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';

const smtpPort = Number(process.env.SMTP_PORT);
const httpPort = Number(process.env.PORT);
const mails = [];

const smtp = new SMTPServer({
	authOptional: true,
	disabledCommands: ['STARTTLS'],
	logger: false,
	onRcptTo(address, _session, callback) {
		if (!address.address.endsWith('@bounce.test')) return callback();
		callback(Object.assign(new Error('No such user'), { responseCode: 550 }));
	},
	onData(stream, session, callback) {
		simpleParser(stream).then((mail) => {
			mails.push({
				to: session.envelope.rcptTo.map((rcpt) => rcpt.address.toLowerCase()),
				subject: mail.subject,
				messageId: mail.messageId,
				text: mail.text,
				html: mail.html,
				headers: Object.fromEntries(
					mail.headerLines.map(({ key, line }) => [key, line.replace(/^[^:]+:\s*/, '')])
				)
			});
			callback();
		}, callback);
	}
});
smtp.listen(smtpPort, '127.0.0.1');

createServer((request, response) => {
	const url = new URL(request.url, 'http://x');
	const to = url.searchParams.get('to')?.toLowerCase();
	response.setHeader('content-type', 'application/json');
	response.end(JSON.stringify(to ? mails.filter((mail) => mail.to.includes(to)) : mails));
}).listen(httpPort, '127.0.0.1');

for (const signal of ['SIGTERM', 'SIGINT']) process.on(signal, () => process.exit(0));
