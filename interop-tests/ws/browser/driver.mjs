// Drives the browser phone (phone.html + phone.js, JsSIP) in headless Chromium for the Java
// interop tests (sip.interop.browser). Serves the page from 127.0.0.1 (an http:// loopback
// origin is a secure context: getUserMedia and WebRTC work), then reads one JSON command per
// line on stdin and prints one JSON event per line on stdout, stdout carrying nothing else:
//   {"cmd":"start","uri":"sip:alice@127.0.0.1","ws":"wss://127.0.0.1:5443"}   JsSIP UA, connects
//   {"cmd":"register"} {"cmd":"unregister"} {"cmd":"stop"}                    (ua.stop unregisters)
//   {"cmd":"call","target":"sip:bob@127.0.0.1"} {"cmd":"hangup"}              incoming calls are answered
//   {"cmd":"keepAlive","everyMs":1000}        CRLFCRLF pings on JsSIP's WebSocket (0: stop)
//   {"cmd":"openSocket","id":"a","url":"wss://...","pingEveryMs":1000,"firstMessage":"OPTIONS ..."}
//   {"cmd":"closeSocket","id":"a"}            a raw WebSocket of the page, subprotocol sip
//   {"cmd":"closePage"} {"cmd":"openPage"}    close the page without a word to the server / a fresh one
//   {"cmd":"quit"}                             Chromium closed, then {"event":"quitting"} (end of stdin quits too)
// Events: {"event":"ready","origin":...} once the page is loaded, then what the page reports
// (registered, confirmed, ended, socketPong, socketClose, ...), {"event":"error"} for a command
// that threw. Page console output goes to stderr. The whole run is bounded by --deadline
// seconds (default 300): then it prints {"event":"deadline"} and exits 3.
//
//   node driver.mjs [--chromium /usr/bin/chromium] [--deadline 300]
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { chromium } from 'playwright-core';
import { jssipBundle } from './jssip-bundle.mjs';

const HERE = dirname(fileURLToPath(import.meta.url));
// issue 8's flags: headless, no sandbox (containers), fake media devices and no permission
// prompt, a self-signed WSS certificate accepted, and no background traffic off the machine.
const CHROMIUM_ARGS = [
  '--headless', '--no-sandbox', '--disable-gpu', '--ignore-certificate-errors',
  '--use-fake-ui-for-media-stream', '--use-fake-device-for-media-stream',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
  '--disable-default-apps', '--no-first-run', '--disable-domain-reliability', '--metrics-recording-only',
];
const STEP_TIMEOUT_MS = 15_000;

const { values: options } = parseArgs({
  options: {
    chromium: { type: 'string', default: '/usr/bin/chromium' },
    deadline: { type: 'string', default: '300' },
  },
});

function emit(event, fields = {}) {
  process.stdout.write(JSON.stringify({ event, at: Date.now(), ...fields }) + '\n');
}

const files = {
  '/phone.html': ['text/html', readFileSync(join(HERE, 'phone.html'))],
  '/phone.js': ['text/javascript', readFileSync(join(HERE, 'phone.js'))],
  '/jssip.js': ['text/javascript', Buffer.from(jssipBundle())],
};
const server = createServer((req, res) => {
  const file = files[new URL(req.url, 'http://x').pathname];
  if (!file) {
    res.writeHead(req.url === '/favicon.ico' ? 204 : 404).end();
    return;
  }
  res.writeHead(200, { 'Content-Type': file[0], 'Cache-Control': 'no-store' }).end(file[1]);
});
await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
const origin = `http://127.0.0.1:${server.address().port}`;

let browser = null;
let page = null;
let quitting = false;

async function quit(code) {
  if (quitting) {
    return;
  }
  quitting = true;
  await browser?.close().catch(() => {});
  server.close();
  emit('quitting', { code });
  process.exit(code);
}

const deadline = setTimeout(() => {
  emit('deadline', { seconds: Number(options.deadline) });
  quit(3);
}, Number(options.deadline) * 1000);
deadline.unref();

async function openPage() {
  page = await browser.newPage();
  page.setDefaultTimeout(STEP_TIMEOUT_MS);
  // The debug package styles its lines for DevTools (%c + CSS arguments): plain text here.
  page.on('console', (m) => process.stderr.write(`[page ${m.type()}] ${m.text().replace(/%c/g, '').replace(/( color: \S+)+$/, '')}\n`));
  page.on('pageerror', (e) => emit('pageError', { message: String(e) }));
  await page.exposeFunction('report', (line) => process.stdout.write(JSON.stringify(line) + '\n'));
  await page.goto(`${origin}/phone.html`);
  await page.waitForFunction(() => typeof window.phone === 'object');
  emit('ready', { origin });
}

async function run(command) {
  const { cmd, ...args } = command;
  switch (cmd) {
    case 'quit':
      await quit(0);
      return;
    case 'closePage':
      // As a user closing the tab: the WebSocket goes away without REGISTER expires=0.
      await page.close();
      page = null;
      emit('pageClosed');
      return;
    case 'openPage':
      await openPage();
      return;
    default:
      if (!page) {
        throw new Error(`no page for ${cmd}: openPage first`);
      }
      await page.evaluate(([name, a]) => {
        if (typeof window.phone[name] !== 'function') {
          throw new Error(`no command ${name}`);
        }
        window.phone[name](a);
      }, [cmd, args]);
  }
}

try {
  browser = await chromium.launch({ executablePath: options.chromium, args: CHROMIUM_ARGS, timeout: 60_000 });
  await openPage();
} catch (e) {
  emit('error', { cmd: 'launch', message: String(e) });
  await quit(2);
}

// Commands run one after another, in the order they came.
let queue = Promise.resolve();
const input = createInterface({ input: process.stdin });
input.on('line', (line) => {
  if (line.trim() === '') {
    return;
  }
  queue = queue.then(async () => {
    let command;
    try {
      command = JSON.parse(line);
      await run(command);
    } catch (e) {
      emit('error', { cmd: command?.cmd ?? line, message: String(e?.message ?? e) });
    }
  });
});
input.on('close', () => queue.then(() => quit(0)));
