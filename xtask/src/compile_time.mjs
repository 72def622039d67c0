// `cargo xtask bench`: how long V8 takes to compile a Worker's module (what a cold start
// pays before any request), eagerly and lazily, in headless Chromium: the V8 closest to
// workerd's here (Node 20's cannot read the module: it uses exnref and GC types).
// Usage: node compile_time.mjs RUNS file.wasm... → one JSON line per file.
import { chromium } from 'playwright-core';
import { readFileSync } from 'node:fs';

const [runs, ...files] = process.argv.slice(2);
const median = (xs) => xs.sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function time(flags, bytes) {
  // A fresh browser per run: V8 caches compiled modules within a process.
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: [`--js-flags=${flags}`] });
  try {
    const page = await browser.newPage();
    return await page.evaluate((b64) => {
      const bytes = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
      const started = performance.now();
      new WebAssembly.Module(bytes);
      return performance.now() - started;
    }, bytes.toString('base64'));
  } finally {
    await browser.close();
  }
}

for (const file of files) {
  const bytes = readFileSync(file);
  const eager = [], lazy = [];
  for (let i = 0; i < Number(runs); i++) {
    eager.push(await time('--no-wasm-lazy-compilation', bytes));
    lazy.push(await time('--wasm-lazy-compilation', bytes));
  }
  console.log(JSON.stringify({ file, eager_ms: median(eager), lazy_ms: median(lazy) }));
}
