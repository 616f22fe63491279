// A pass-through proxy in front of Prism for `cargo xtask conformance`.
// Prism answers list operations with the `Link` header of GitHub's
// example, which points at the real API host. This proxy rewrites it so a
// client follows pages on loopback: `rel="next"` is the request's own URL
// with `page` one higher, for pages 1 and 2; page 3 has no next link.
// Everything else is passed through unchanged. Node.js only, no packages.
//
// usage: node prism-front.js LISTEN_PORT PRISM_PORT
'use strict';
const http = require('http');

const [listenPort, prismPort] = process.argv.slice(2).map(Number);
const PAGES = 3;

http
  .createServer((req, res) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      const upstream = http.request(
        { host: '127.0.0.1', port: prismPort, method: req.method, path: req.url, headers: req.headers },
        (answer) => {
          const headers = { ...answer.headers };
          if (headers.link !== undefined) {
            const url = new URL(req.url, `http://127.0.0.1:${listenPort}`);
            const page = Number(url.searchParams.get('page') || '1');
            if (page < PAGES) {
              url.searchParams.set('page', String(page + 1));
              headers.link = `<${url.href}>; rel="next"`;
            } else {
              delete headers.link;
            }
          }
          res.writeHead(answer.statusCode, headers);
          answer.pipe(res);
        },
      );
      upstream.on('error', (e) => {
        res.writeHead(502, { 'content-type': 'text/plain' });
        res.end(`prism-front: ${e.message}`);
      });
      upstream.end(Buffer.concat(chunks));
    });
  })
  .listen(listenPort, '127.0.0.1', () => console.log(`prism-front listening on ${listenPort}`));
