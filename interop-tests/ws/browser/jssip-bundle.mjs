// JsSIP for the page. The npm package (3.13.x) ships only its CommonJS sources (lib/), no
// browser build, and the pinned peers include no bundler: this wraps each module the sources
// require (JsSIP's own, debug, events, sdp-transform, ms) in a function of a small CommonJS
// module table, so the page loads one plain script that defines window.JsSIP. Resolution is
// the subset these packages use: relative paths (.js, .json, dir/index.js) and package names
// through their package.json "browser" (a string) or "main" field.
import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const NODE_MODULES = join(dirname(fileURLToPath(import.meta.url)), '..', 'node_modules');
const REQUIRE = /\brequire\(\s*['"]([^'"]+)['"]\s*\)/g;

function asFile(path) {
  for (const candidate of [path, `${path}.js`, `${path}.json`, join(path, 'index.js')]) {
    if (existsSync(candidate) && statSync(candidate).isFile()) {
      return candidate;
    }
  }
  throw new Error(`cannot resolve ${path}`);
}

function resolve(from, name) {
  if (name.startsWith('.')) {
    return asFile(join(dirname(from), name));
  }
  const root = join(NODE_MODULES, name);
  const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
  const entry = typeof pkg.browser === 'string' ? pkg.browser : (pkg.main ?? 'index.js');
  return asFile(join(root, entry));
}

/** The script text: every module reachable from jssip's main, then window.JsSIP = its exports. */
export function jssipBundle() {
  const ids = new Map();      // absolute file -> module id
  const sources = [];         // module id -> wrapped source
  const entry = resolve(join(NODE_MODULES, 'jssip', 'package.json'), './lib/JsSIP.js');
  const pending = [entry];
  ids.set(entry, 0);
  while (pending.length > 0) {
    const file = pending.shift();
    const text = readFileSync(file, 'utf8');
    const deps = {};
    for (const [, name] of text.matchAll(REQUIRE)) {
      const target = resolve(file, name);
      if (!ids.has(target)) {
        ids.set(target, ids.size);
        pending.push(target);
      }
      deps[name] = ids.get(target);
    }
    const body = file.endsWith('.json') ? `module.exports = ${text};` : text;
    sources[ids.get(file)] = `/* ${relative(NODE_MODULES, file)} */ [function (require, module, exports) {\n${body}\n}, ${JSON.stringify(deps)}]`;
  }
  return `(function () {
const modules = [\n${sources.join(',\n')}\n];
const cache = [];
function load(id) {
  if (cache[id]) return cache[id].exports;
  const module = cache[id] = { exports: {} };
  const [factory, deps] = modules[id];
  factory((name) => load(deps[name]), module, module.exports);
  return module.exports;
}
window.JsSIP = load(0);
})();
`;
}
