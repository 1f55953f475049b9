// Serves samples/site on http://localhost:8080 (no dependencies). The API base written in the pages
// (http://localhost:7071, the local functions host) can be changed for pages posted without JavaScript:
//   node scripts/serve-site.mjs [--port 8080] [--api http://localhost:7071]
import { createServer } from 'node:http';
import { readFile } from 'node:fs/promises';
import { dirname, extname, join, normalize, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const DEFAULT_API = 'http://localhost:7071';
const root = join(dirname(fileURLToPath(import.meta.url)), '..', 'samples', 'site');

const option = (name, fallback) => {
  const index = process.argv.indexOf(`--${name}`);
  return index > 0 && process.argv[index + 1] ? process.argv[index + 1] : fallback;
};
const port = Number(option('port', process.env.PORT || 8080));
const api = option('api', process.env.API_BASE || DEFAULT_API).replace(/\/+$/, '');

const types = {
  '.html': 'text/html; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
};

const server = createServer(async (request, response) => {
  if (request.method !== 'GET' && request.method !== 'HEAD') {
    response.writeHead(405, { Allow: 'GET, HEAD' }).end();
    return;
  }

  const path = decodeURIComponent(new URL(request.url, 'http://localhost').pathname);
  const file = normalize(join(root, path.endsWith('/') ? `${path}index.html` : path));
  if (!file.startsWith(root + sep) || !types[extname(file)]) {
    response.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8' }).end('Page introuvable.');
    return;
  }

  try {
    let body = await readFile(file);
    if (extname(file) === '.html' && api !== DEFAULT_API) {
      body = Buffer.from(body.toString('utf8').replaceAll(DEFAULT_API, api), 'utf8');
    }
    response.writeHead(200, { 'Content-Type': types[extname(file)], 'Cache-Control': 'no-cache' });
    response.end(request.method === 'HEAD' ? undefined : body);
  } catch {
    response.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8' }).end('Page introuvable.');
  }
});

server.listen(port, () => {
  console.log(`Site de démonstration : http://localhost:${port}/ (API : ${api})`);
});
