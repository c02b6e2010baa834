// The dashboard against the real stack (Azurite, the emulator, the local Functions host) with 20 pools of 3 VMs:
// GET /api/ui/view (what the page polls) side by side with GET /api/pools (the same pool statuses) and one pool's
// timeline, median and p95 of interleaved requests; then the page's first load in headless Chromium, in bytes
// transferred (headers + bodies, as the browser counts them). The view is measured cold (the app clock moved past
// the shared snapshot's 10 s, so it observes every pool, like GET /api/pools) and warm (another viewer polled within
// 10 s). Targets: the polled view < 200 ms; cold ≤ 1.5× GET /api/pools; first load < 300 KB.
import { ADMIN_ROLE, identityHeaders, launchChromium } from '../integration/web/browser.js';
import { signedInPage } from '../support/identity.js';
import { startTestStack } from '../support/stack.js';
import { checkTarget } from './targets.js';

const POOLS = 20;
const VMS = 3;
const ROUNDS = 20;
const TARGET_VIEW_MS = 200;
const TARGET_FIRST_LOAD_BYTES = 300 * 1024;

const percentile = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))]!;

export async function bench(): Promise<void> {
  const stack = await startTestStack();
  try {
    const admin = await identityHeaders(stack, 'admin@example.com', ADMIN_ROLE);
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
    const COLD = 'GET /api/ui/view (admin), cold';
    const WARM = 'GET /api/ui/view (admin), warm';
    const routes: [string, string][] = [['GET /api/pools', '/api/pools'], [COLD, '/api/ui/view'], [WARM, '/api/ui/view'], ['GET /api/pools/{pool}/timeline?range=24h', '/api/pools/pool-0/timeline?range=24h'], ['GET /api/pools/{pool}/timeline?range=7d', '/api/pools/pool-0/timeline?range=7d']];
    const times = new Map<string, number[]>(routes.map(([name]) => [name, []]));
    const bytes = new Map<string, number>();
    for (const [, path] of routes) await fetch(`${stack.host.url}${path}`, { headers: admin }).then((r) => r.arrayBuffer()); // warm-up
    for (let round = 0; round < ROUNDS; round++) {
      for (const [name, path] of routes) {
        if (name === COLD) stack.emulator.clock.advance(11_000);
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
    checkTarget({ name: `dashboard view for ${POOLS} pools as polled (warm), p95`, value: percentile(times.get(WARM)!, 95), atMost: TARGET_VIEW_MS, unit: 'ms' });
    checkTarget({ name: 'dashboard view cold vs GET /api/pools, median', value: percentile(times.get(COLD)!, 50) / base, atMost: 1.5, unit: '×' });

    const browser = await launchChromium();
    try {
      // Signed in (session cookie) at a page of its own, so only the dashboard's first load is counted.
      const page = await signedInPage(browser, stack, 'admin@example.com', ADMIN_ROLE, '/api/health');
      await page.setViewportSize({ width: 1280, height: 900 });
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
      checkTarget({ name: `dashboard first load, ${all.length} requests`, value: total / 1024, atMost: TARGET_FIRST_LOAD_BYTES / 1024, unit: 'KB' });
    } finally {
      await browser.close();
    }
  } finally {
    await stack.stop();
  }
}
