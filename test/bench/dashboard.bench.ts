// The dashboard against the real stack (Azurite, the emulator, the local Functions host) with 20 pools of 3 VMs:
// GET /api/ui/view (what the page polls) side by side with GET /api/pools (the same pool statuses) and one pool's
// timeline, median and p95 of interleaved requests; then the page's first load in headless Chromium, in bytes
// transferred (headers + bodies, as the browser counts them). Targets: view < 200 ms, first load < 300 KB.
import { principalHeader } from '../../src/http/identity.js';
import { launchChromium, signedIn } from '../integration/web/browser.js';
import { startTestStack } from '../support/stack.js';

const POOLS = 20;
const VMS = 3;
const ROUNDS = 20;
const TARGET_VIEW_MS = 200;
const TARGET_FIRST_LOAD_BYTES = 300 * 1024;

const percentile = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))]!;

export async function bench(): Promise<void> {
  const stack = await startTestStack();
  try {
    const admin = principalHeader('admin@example.com', ['DsvmPool.Admin']);
    for (let i = 0; i < POOLS; i++) {
      const target = stack.emulator.compute.createScaleSet({ resourceGroup: 'rg-bench', name: `pool-${i}`, capacity: VMS });
      const r = await fetch(`${stack.host.url}/api/pools/pool-${i}/policy`, { method: 'PUT', headers: { ...admin, 'content-type': 'application/json' }, body: JSON.stringify({ kind: 'vmss', target, minInstances: VMS, maxInstances: VMS }) });
      if (r.status !== 200) throw new Error(`policy pool-${i}: ${r.status}`);
    }
    // VMs booted and posting sessions for a while; an evaluation each minute so each pool has events.
    for (let m = 0; m < 20; m++) {
      stack.emulator.clock.advance(60_000);
      if (m % 5 === 0) await stack.host.runTimer('autoscale');
    }
    const routes: [string, string][] = [['GET /api/pools', '/api/pools'], ['GET /api/ui/view (admin)', '/api/ui/view'], ['GET /api/pools/{pool}/timeline?range=24h', '/api/pools/pool-0/timeline?range=24h'], ['GET /api/pools/{pool}/timeline?range=7d', '/api/pools/pool-0/timeline?range=7d']];
    const times = new Map<string, number[]>(routes.map(([name]) => [name, []]));
    const bytes = new Map<string, number>();
    for (const [, path] of routes) await fetch(`${stack.host.url}${path}`, { headers: admin }).then((r) => r.arrayBuffer()); // warm-up
    for (let round = 0; round < ROUNDS; round++) {
      for (const [name, path] of routes) {
        const started = performance.now();
        const r = await fetch(`${stack.host.url}${path}`, { headers: admin });
        const body = await r.arrayBuffer();
        times.get(name)!.push(performance.now() - started);
        if (r.status !== 200) throw new Error(`${path}: ${r.status}`);
        bytes.set(name, body.byteLength);
      }
    }
    const base = percentile(times.get('GET /api/pools')!, 50);
    console.log(`${POOLS} pools × ${VMS} VMs, ${ROUNDS} interleaved rounds over HTTP to the local host`);
    console.log('| request | median | p95 | vs GET /api/pools | body |');
    console.log('| --- | --- | --- | --- | --- |');
    for (const [name] of routes) {
      const t = times.get(name)!;
      console.log(`| ${name} | ${percentile(t, 50).toFixed(1)} ms | ${percentile(t, 95).toFixed(1)} ms | ${(percentile(t, 50) / base).toFixed(2)}× | ${(bytes.get(name)! / 1024).toFixed(1)} KB |`);
    }
    const view = percentile(times.get('GET /api/ui/view (admin)')!, 95);
    console.log(`pool view p95 ${view.toFixed(1)} ms: ${view < TARGET_VIEW_MS ? 'within' : 'OVER'} the ${TARGET_VIEW_MS} ms target`);

    const browser = await launchChromium();
    try {
      const context = await signedIn(browser, 'admin@example.com', ['DsvmPool.Admin']);
      const page = await context.newPage();
      const sizes: Promise<{ url: string; bytes: number }>[] = [];
      page.on('requestfinished', (req) => sizes.push(req.sizes().then((s) => ({ url: new URL(req.url()).pathname, bytes: s.requestHeadersSize + s.requestBodySize + s.responseHeadersSize + s.responseBodySize }))));
      await page.goto(`${stack.host.url}/api/ui`);
      await page.locator('#timeline-chart canvas').first().waitFor();
      await page.waitForLoadState('networkidle');
      const all = await Promise.all(sizes);
      const total = all.reduce((n, s) => n + s.bytes, 0);
      console.log('| first load: request | bytes |');
      console.log('| --- | --- |');
      for (const s of all) console.log(`| ${s.url.replace(/\/pools\/[^/]+\//, '/pools/{pool}/')} | ${s.bytes} |`);
      console.log(`first load ${(total / 1024).toFixed(1)} KB transferred in ${all.length} requests: ${total < TARGET_FIRST_LOAD_BYTES ? 'within' : 'OVER'} the 300 KB target (${(total / TARGET_FIRST_LOAD_BYTES).toFixed(2)}× of it)`);
    } finally {
      await browser.close();
    }
  } finally {
    await stack.stop();
  }
}
