// nginx in front of the end-to-end tests' PostgreSQL instances, through the deploy's own proxy
// settings (deploy/nginx/courier-proxy.conf). Playwright starts it as a web server.
// E2E_NGINX='{"dir": …, "upstreams": {"a": [port]}, "servers": [{"port": n, "upstream": "a"}]}'
// (and "workerConnections": n for more than 4,096 connections, two for each proxied stream).
import { spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';

const { dir, upstreams, servers, workerConnections = 4096 } = JSON.parse(process.env.E2E_NGINX);
const prefix = resolve(dir);
mkdirSync(`${prefix}/logs`, { recursive: true });
const proxy = resolve('deploy/nginx/courier-proxy.conf');

const config = `
${process.getuid?.() === 0 ? 'user root;' : ''}
worker_processes 1;
pid ${prefix}/nginx.pid;
error_log ${prefix}/logs/error.log warn;
events { worker_connections ${workerConnections}; }
http {
	access_log off;
	client_body_temp_path ${prefix}/body;
	proxy_temp_path ${prefix}/proxy;
	fastcgi_temp_path ${prefix}/fastcgi;
	uwsgi_temp_path ${prefix}/uwsgi;
	scgi_temp_path ${prefix}/scgi;
${Object.entries(upstreams)
	.map(
		([name, ports]) =>
			`	upstream ${name} { ${ports.map((port) => `server 127.0.0.1:${port};`).join(' ')} keepalive 32; keepalive_timeout 4s; }`
	)
	.join('\n')}
${servers
	.map(
		({ port, upstream }) =>
			`	server { listen 127.0.0.1:${port}; set $courier_upstream ${upstream}; include ${proxy}; }`
	)
	.join('\n')}
}
`;
writeFileSync(`${prefix}/nginx.conf`, config);
const nginx = spawn('nginx', ['-p', prefix, '-c', `${prefix}/nginx.conf`, '-g', 'daemon off;'], {
	stdio: 'inherit'
});
for (const signal of ['SIGTERM', 'SIGINT']) process.on(signal, () => nginx.kill('SIGQUIT'));
nginx.on('exit', (code) => process.exit(code ?? 0));
