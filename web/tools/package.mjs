// Assembles the web build's page from web/index.html after the wasm link.
//   node package.mjs hosted <web-src-dir> <out-dir>
//       writes index.html (CSP for the hosted build), copies css, boot script,
//       manifest and icon, and writes sw.js with a cache name hashing the build.
//   node package.mjs single <web-src-dir> <planner-single.js> <out.html>
//       writes one self-contained HTML file: script and style inline, allowed
//       by their SHA-256 in the CSP, and connect-src 'none'.
import { createHash } from 'node:crypto';
import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const [mode, src, ...rest] = process.argv.slice(2);
const template = readFileSync(join(src, 'index.html'), 'utf8');
const sha256b64 = (text) => createHash('sha256').update(text, 'utf8').digest('base64');

function fill(html, csp, head, body) {
  return html.replace('@PLANNER_CSP@', csp).replace('<!--planner:head-->', head).replace('<!--planner:body-->', body);
}

if (mode === 'hosted') {
  const [out] = rest;
  const csp = [
    "default-src 'none'",
    "script-src 'self' 'wasm-unsafe-eval'",
    "style-src 'self'",
    "img-src 'self' blob: data:",
    "connect-src 'self'",
    "worker-src 'self'",
    "manifest-src 'self'",
    "base-uri 'none'",
    "form-action 'none'",
  ].join('; ');
  const head = '<link rel="stylesheet" href="planner.css">\n<link rel="manifest" href="manifest.webmanifest">\n' +
    '<link rel="icon" href="icon.svg" type="image/svg+xml">';
  const body = '<script src="boot.js"></script>\n<script src="planner.js"></script>';
  writeFileSync(join(out, 'index.html'), fill(template, csp, head, body));
  for (const f of ['planner.css', 'boot.js', 'manifest.webmanifest', 'icon.svg']) copyFileSync(join(src, f), join(out, f));
  const hash = createHash('sha256');
  for (const f of ['planner.js', 'planner.wasm', 'index.html', 'planner.css', 'boot.js']) hash.update(readFileSync(join(out, f)));
  const sw = readFileSync(join(src, 'sw.js'), 'utf8').replace('@PLANNER_BUILD_HASH@', hash.digest('hex').slice(0, 16));
  writeFileSync(join(out, 'sw.js'), sw);
} else if (mode === 'single') {
  const [jsPath, out] = rest;
  const css = readFileSync(join(src, 'planner.css'), 'utf8');
  // Emscripten 3.1.6's glue fetches the embedded data: URI of the wasm before
  // decoding it itself; under connect-src 'none' that fetch is refused (and
  // logged). Send it straight to the decoder instead.
  const glueFetch = 'if(typeof fetch=="function"){return fetch(wasmBinaryFile';
  let js = readFileSync(jsPath, 'utf8');
  if (!js.includes(glueFetch)) throw new Error('package.mjs: the wasm loader in ' + jsPath + ' has an unexpected shape');
  js = js.replace(glueFetch, 'if(typeof fetch=="function"&&!isDataURI(wasmBinaryFile)){return fetch(wasmBinaryFile');
  js = js.replace(/<\/script/gi, '<\\/script');
  const icon = 'data:image/svg+xml;base64,' + readFileSync(join(src, 'icon.svg')).toString('base64');
  const csp = [
    "default-src 'none'",
    `script-src 'sha256-${sha256b64(js)}' 'wasm-unsafe-eval'`,
    `style-src 'sha256-${sha256b64(css)}'`,
    'img-src data: blob:',
    "connect-src 'none'",
    "base-uri 'none'",
    "form-action 'none'",
  ].join('; ');
  const head = `<style>${css}</style>\n<link rel="icon" href="${icon}" type="image/svg+xml">`;
  const body = `<script>${js}</script>`;
  writeFileSync(out, fill(template, csp, head, body));
} else {
  console.error('usage: package.mjs hosted <web-src> <out-dir> | single <web-src> <planner-single.js> <out.html>');
  process.exit(2);
}
