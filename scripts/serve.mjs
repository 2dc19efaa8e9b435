#!/usr/bin/env node
// Serves a directory on 127.0.0.1 with the right MIME types for wasm.
//   node scripts/serve.mjs <dir> [--port N]   (port 0 or absent = a free port)
// Prints "Serving <dir> at http://127.0.0.1:<port>/" once listening.
import { createServer } from 'node:http';
import { readFile, stat } from 'node:fs/promises';
import { extname, join, normalize, resolve } from 'node:path';

const TYPES = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.mjs': 'text/javascript; charset=utf-8',
  '.wasm': 'application/wasm', '.css': 'text/css; charset=utf-8', '.svg': 'image/svg+xml',
  '.webmanifest': 'application/manifest+json', '.json': 'application/json', '.png': 'image/png', '.data': 'application/octet-stream',
};

export function serve(root, port = 0) {
  const base = resolve(root);
  const server = createServer(async (req, res) => {
    try {
      const url = new URL(req.url, 'http://127.0.0.1');
      let path = normalize(join(base, decodeURIComponent(url.pathname)));
      if (!path.startsWith(base)) { res.writeHead(403).end(); return; }
      if ((await stat(path).catch(() => null))?.isDirectory()) path = join(path, 'index.html');
      const body = await readFile(path);
      res.writeHead(200, { 'Content-Type': TYPES[extname(path)] || 'application/octet-stream', 'Cache-Control': 'no-cache' });
      res.end(body);
    } catch {
      res.writeHead(404, { 'Content-Type': 'text/plain' }).end('not found');
    }
  });
  return new Promise((ok, fail) => {
    server.once('error', fail);
    server.listen(port, '127.0.0.1', () => ok(server));
  });
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const args = process.argv.slice(2);
  const dir = args[0];
  const pi = args.indexOf('--port');
  const port = pi >= 0 ? Number(args[pi + 1]) : 0;
  if (!dir) { console.error('usage: serve.mjs <dir> [--port N]'); process.exit(2); }
  serve(dir, port).then((s) => {
    console.log(`Serving ${dir} at http://127.0.0.1:${s.address().port}/  (Ctrl+C to stop)`);
  }, (e) => { console.error(`Cannot listen on 127.0.0.1:${port}: ${e.message}`); process.exit(1); });
}
