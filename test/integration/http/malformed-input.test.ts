// Generated malformed input against every HTTP route the app registers (read from the host's captured
// registrations, so a new route is covered without editing this file): bad path parameters, query strings, headers
// and bodies, as a user and as an admin. Every answer must be 4xx application/problem+json (never 5xx), and a refused
// request must write nothing: no table row, no queue message. What each route reads (query parameters, headers,
// body schema) comes from the app's own OpenAPI document.
import { TableClient } from '@azure/data-tables';
import { QueueClient } from '@azure/storage-queue';
import fc from 'fast-check';
import { request as httpRequest } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { storageNames } from '../../../src/azure/storage.js';
import { callerHeaders } from '../../support/caller-headers.js';
import { startJobsStack, type JobsStack } from '../jobs/jobs-stack.js';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

interface Route {
  name: string;
  method: string;
  template: string;
  operation: Json | undefined;
}

interface Sent {
  method: string;
  path: string;
  headers: Record<string, string>;
  body?: string;
}

interface Answer {
  status: number;
  contentType: string;
  body: string;
}

function send(base: string, r: Sent): Promise<Answer> {
  const url = new URL(base);
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: url.hostname, port: url.port, method: r.method, path: r.path, headers: { ...r.headers, ...(r.body !== undefined ? { 'content-length': String(Buffer.byteLength(r.body)) } : {}) } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, contentType: String(res.headers['content-type'] ?? ''), body: Buffer.concat(chunks).toString('utf8') }));
    });
    req.on('error', reject);
    if (r.body !== undefined) req.write(r.body);
    req.end();
  });
}

// ---- generators of malformed parts -------------------------------------------------------------------------

const badSegment = fc.oneof(
  fc.constantFrom('%2F', 'cpu%2Fevil', '%2Fcpu', '%00', 'cpu%00', '..', '%2E%2E', '.', '%ZZ', '%', '%C0%AF', '%E2%80%AE', '%F0%9F%92%A5', '%20', "x'%20or%20'1'%3D'1", '%27', '~', 'a%5Cb', '%0D%0Aset-cookie:x'),
  fc.integer({ min: 300, max: 4000 }).map((n) => 'a'.repeat(n)),
  fc.string({ unit: 'grapheme', minLength: 1, maxLength: 40 }).map((s) => encodeURIComponent(`${s}\u00e9`)),
);

/** Values the parameter's schema refuses (from its OpenAPI schema), plus garbage any parser must survive. */
function badQueryValue(name: string, schema: Json | undefined): fc.Arbitrary<string> {
  const s = schema ?? {};
  const options: fc.Arbitrary<string>[] = [fc.constantFrom('%00', 'x'.repeat(5000))];
  if (s.type === 'integer' || s.type === 'number') {
    options.push(fc.constantFrom('abc', '-1', '0', '1.5', '', 'NaN', 'Infinity', '1e400', '99999999999999999999', '0x10', String((s.maximum ?? 1000) + 1), '%20'));
  }
  if (Array.isArray(s.enum)) options.push(fc.constantFrom('bogus', '', 'QUEUED%20'));
  if (s.pattern) options.push(fc.constantFrom('%00', 'a%0Ab', '%7F', 'x%2C%00'));
  if (s.maxLength) options.push(fc.constant('x'.repeat(s.maxLength + 1)));
  if (s.type === 'string' && s.minLength) options.push(fc.constant(''));
  if (/token/i.test(name)) {
    options.push(
      fc.constantFrom('garbage', 'eyJhIjoxfQ', 'eyJhIjoxfQ==', '%FF%FE', 'null', '{}', '[]', 'bnVsbA'),
      fc.uint8Array({ minLength: 1, maxLength: 200 }).map((b) => encodeURIComponent(Buffer.from(b).toString('base64'))),
      fc.json().map((j) => encodeURIComponent(Buffer.from(j).toString('base64url'))),
    );
  }
  return fc.oneof(...options);
}

/** A value of the wrong JSON type for a property whose schema is `s`. */
function wrongType(s: Json | undefined): fc.Arbitrary<unknown> {
  const t = s?.type;
  const all: fc.Arbitrary<unknown>[] = [fc.constant(null), fc.constant([1, 2]), fc.constant({ nested: { deeper: true } })];
  if (t !== 'string') all.push(fc.string());
  if (t !== 'number' && t !== 'integer') all.push(fc.oneof(fc.integer(), fc.constant(1e308), fc.constant(-1)));
  if (t !== 'boolean') all.push(fc.boolean());
  return fc.oneof(...all);
}

function deeplyNested(depth: number): string {
  return '{"a":'.repeat(depth) + '1' + '}'.repeat(depth);
}

// ---- the test ---------------------------------------------------------------------------------------------

describe('every HTTP route under malformed input', () => {
  let s: JobsStack;
  let routes: Route[];
  let openapi: Json;
  let jobId: string;
  const callers: Record<string, Record<string, string>> = {};
  const queues = () => storageNames.queues.map((q) => new QueueClient(s.azurite.connectionString, q));
  const tables = () => storageNames.tables.map((t) => TableClient.fromConnectionString(s.azurite.connectionString, t, { allowInsecureConnection: true }));

  /** Rows per table and messages per queue: what a refused request must leave as it was. */
  async function written(): Promise<string> {
    const counts: string[] = [];
    for (const t of tables()) {
      let n = 0;
      for await (const _ of t.listEntities()) n++;
      counts.push(`${t.tableName}=${n}`);
    }
    for (const q of queues()) {
      const props = await q.getProperties();
      counts.push(`${q.name}=${props.approximateMessagesCount ?? 0}`);
    }
    return counts.join(' ');
  }

  beforeAll(async () => {
    s = await startJobsStack();
    callers.ann = await callerHeaders(s, 'ann');
    callers.root = await callerHeaders(s, 'root', true);
    jobId = await s.submit({ name: 'fuzz-target', commandLine: 'python run.py', env: { EMULATOR_TASK_SECONDS: '3000' } });
    await s.waitFor(jobId, ['dispatched']);
    openapi = (await s.api('GET', '/openapi.json')).body;
    routes = s.host.functions
      .filter((f) => f.trigger === 'http')
      .flatMap((f) => (f.methods?.length ? f.methods : ['GET']).map((method) => ({ name: f.name, method, template: f.route!, operation: openapi.paths?.[`/${f.route}`]?.[method.toLowerCase()] })));
  }, 60_000);
  afterAll(async () => {
    await s?.stop();
  });

  it('finds the routes from the registrations', () => {
    const names = routes.map((r) => `${r.method} ${r.template}`);
    // The routes the API documents at the time of writing; more may be added, none may go missing.
    for (const known of ['POST jobs', 'GET jobs', 'GET jobs/{id}', 'POST jobs/{id}/cancel', 'GET pools/{pool}', 'GET pools/{pool}/events', 'POST pools/{pool}/wake', 'GET pools/{pool}/connect', 'GET pools/{pool}/policy', 'PUT pools/{pool}/policy']) {
      expect(names).toContain(known);
    }
  });

  /** A well-formed request for the route, which the generators then spoil in exactly one part. */
  function wellFormed(route: Route, admin: boolean): Sent & { params: Record<string, string> } {
    const params: Record<string, string> = {};
    for (const [, p] of route.template.matchAll(/\{([^}:?]+)[^}]*\}/g)) params[p!] = p === 'id' ? jobId : 'cpu';
    const headers = admin ? callers.root! : callers.ann!;
    const schemaRef: string | undefined = route.operation?.requestBody?.content?.['application/json']?.schema?.$ref;
    const body = schemaRef?.endsWith('/JobSpec') ? { name: 'fuzz', commandLine: 'python run.py' } : schemaRef?.endsWith('/Policy') ? { kind: 'batch', poolId: 'cpu', vmSize: 'Standard_D4s_v5', gpusPerNode: 0, cpusPerNode: 4, memoryGiBPerNode: 16 } : undefined;
    return { method: route.method, path: '', headers: body ? { ...headers, 'content-type': 'application/json' } : headers, body: body ? JSON.stringify(body) : undefined, params };
  }

  function pathOf(route: Route, params: Record<string, string>, query = ''): string {
    return `/api/${route.template.replace(/\{([^}:?]+)[^}]*\}/g, (_, p: string) => params[p]!)}${query ? `?${query}` : ''}`;
  }

  /** Arbitrary malformed requests for one route: one part spoiled, chosen among what the route reads. */
  function malformed(route: Route): fc.Arbitrary<{ sent: Sent; spoiled: string; harmless?: boolean }> {
    const op = route.operation ?? {};
    const queryParams: Json[] = (op.parameters ?? []).filter((p: Json) => p.in === 'query');
    const headerParams: Json[] = (op.parameters ?? []).filter((p: Json) => p.in === 'header');
    const hasBody = Boolean(op.requestBody);
    const bodySchema = hasBody ? openapi.components?.schemas?.[String(op.requestBody.content['application/json'].schema.$ref).split('/').pop()!] : undefined;
    const pathParams = [...route.template.matchAll(/\{([^}:?]+)[^}]*\}/g)].map((m) => m[1]!);
    const kinds: fc.Arbitrary<{ sent: Sent; spoiled: string }>[] = [];
    const base = fc.boolean().map((admin) => wellFormed(route, admin));

    if (pathParams.length) {
      kinds.push(
        fc.tuple(base, fc.constantFrom(...pathParams), badSegment).map(([b, p, v]) => ({ sent: { ...b, path: pathOf(route, { ...b.params, [p]: v }) }, spoiled: `path ${p}=${v.slice(0, 60)}` })),
      );
    }
    if (queryParams.length) {
      const one = fc.constantFrom(...queryParams).chain((p) => badQueryValue(p.name, p.schema).map((v) => ({ q: `${encodeURIComponent(p.name)}=${v}`, what: `query ${p.name}=${v.slice(0, 60)}` })));
      // The host hands the app a repeated parameter comma-joined ("1,2"), as Azure's host does; no single value reads so.
      const repeated = fc.constantFrom(...queryParams).map((p) => ({ q: `${p.name}=1&${p.name}=2`, what: `query ${p.name} repeated` }));
      kinds.push(fc.tuple(base, fc.oneof(one, repeated)).map(([b, q]) => ({ sent: { ...b, path: pathOf(route, b.params, q.q) }, spoiled: q.what })));
    }
    for (const h of headerParams) {
      const bad = fc.constantFrom('', ' ', 'has space', 'x'.repeat(h.schema?.maxLength ? h.schema.maxLength + 1 : 5000), 'tab\there');
      kinds.push(fc.tuple(base, bad).map(([b, v]) => ({ sent: { ...b, path: pathOf(route, b.params), headers: { ...b.headers, [h.name]: v } }, spoiled: `header ${h.name}="${v.slice(0, 20)}"` })));
    }
    if (hasBody) {
      const contentType = fc.constantFrom('text/plain', 'application/xml', 'multipart/form-data; boundary=x', 'application/x-www-form-urlencoded', 'application/jsonx', 'json', 'text/json');
      kinds.push(fc.tuple(base, contentType).map(([b, ct]) => ({ sent: { ...b, path: pathOf(route, b.params), headers: { ...b.headers, 'content-type': ct } }, spoiled: `content-type ${ct}` })));
      const noContentType = base.map((b) => {
        const { 'content-type': _drop, ...headers } = b.headers;
        return { sent: { ...b, path: pathOf(route, b.params), headers }, spoiled: 'no content-type' };
      });
      kinds.push(noContentType);
      const properties: Record<string, Json> = bodySchema?.properties ?? {};
      const props = Object.keys(properties);
      const bodies: fc.Arbitrary<{ body: string; what: string }> = fc.oneof(
        fc.constantFrom('', '{', '{"a":', 'nul', "{'single':'quotes'}", '{"a":1,}', '\u0000', '\ufeff{}', '[', '"just a string"', '42', 'true', 'null', '[]', '[{}]', '{}').map((b) => ({ body: b, what: `body ${JSON.stringify(b)}` })),
        fc.integer({ min: 2_000, max: 20_000 }).map((d) => ({ body: deeplyNested(d), what: `body nested ${d} deep` })),
        fc.integer({ min: 70 * 1024, max: 200 * 1024 }).map((n) => ({ body: JSON.stringify({ name: 'big', commandLine: 'x'.repeat(n) }), what: `body ${n} bytes` })),
        fc.array(fc.object(), { minLength: 1, maxLength: 3 }).map((a) => ({ body: JSON.stringify(a), what: 'body array' })),
        fc.constantFrom('{"__proto__":{"isAdmin":true}}', '{"constructor":{"prototype":{}}}').map((b) => ({ body: b, what: `body ${b}` })),
        ...(props.length
          ? [
              fc
                .constantFrom(...props)
                .chain((p) => wrongType(properties[p]).map((v) => ({ p, v })))
                .map(({ p, v }) => {
                  const ok = JSON.parse(wellFormed(route, true).body!) as Json;
                  return { body: JSON.stringify({ ...ok, [p]: v }), what: `body ${p}=${JSON.stringify(v)?.slice(0, 40)}` };
                })
                .filter(({ body }) => body !== wellFormed(route, true).body),
            ]
          : []),
      );
      kinds.push(fc.tuple(base, bodies).map(([b, x]) => ({ sent: { ...b, path: pathOf(route, b.params), body: x.body }, spoiled: x.what })));
    }
    if (kinds.length === 0) {
      // The route reads no parameter and no body: junk in them is harmless, and a documented 2xx is allowed.
      const junk = fc.tuple(base, badQueryValue('junk', { type: 'integer' }), fc.constantFrom('{', '[]', 'x'.repeat(80 * 1024)));
      return junk.map(([b, q, body]) => ({ sent: { ...b, path: pathOf(route, b.params, `top=${q}&continuationToken=${q}`), headers: { ...b.headers, 'content-type': 'text/plain' }, body }, spoiled: `junk query ${q.slice(0, 30)} and body`, harmless: true }));
    }
    return fc.oneof(...kinds);
  }

  /** A path with a broken %-escape or non-UTF-8 bytes: the host cannot decode it and answers before the app runs. */
  function undecodable(path: string): boolean {
    try {
      decodeURIComponent(path.split('?')[0]!);
      return false;
    } catch {
      return true;
    }
  }

  /** The normalized path no longer reaches the route: the host (not the app) answers, as Azure's does, 404/405 with no body. */
  function reroutedByHost(route: Route, path: string): boolean {
    const pattern = new RegExp(`^/api/${route.template.replace(/\{[^}]+\}/g, '[^/]+')}$`, 'i');
    return !pattern.test(new URL(path, 'http://h').pathname);
  }

  it('answers 4xx problem+json and writes nothing, on every route', async () => {
    const before = await written();
    const offences: string[] = [];
    for (const route of routes) {
      const arb = malformed(route);
      await fc.assert(
        fc.asyncProperty(arb, async ({ sent, spoiled, harmless }) => {
          const a = await send(s.host.url, sent);
          const where = `${route.method} ${route.template} with ${spoiled} → ${a.status} ${a.contentType} ${a.body.slice(0, 160)}`;
          if (process.env.FUZZ_LOG) console.log(where);
          if (undecodable(sent.path) && a.status >= 400 && a.status < 500 && a.body === '') return true; // the host refuses the URL itself
          if (reroutedByHost(route, sent.path)) {
            // Dot segments normalized away: the request reached another route (or none), well-formed for it.
            if (a.status >= 500 || (await written()) !== before) offences.push(`${where} (rerouted)`);
            return true;
          }
          if (harmless && route.method === 'GET' && a.status >= 200 && a.status < 300) {
            if ((await written()) !== before) offences.push(`${where} (wrote)`);
            return true;
          }
          if (a.status >= 500 || a.status < 400) offences.push(where);
          else if (!a.contentType.startsWith('application/problem+json')) offences.push(`${where} (not problem+json)`);
          else {
            const after = await written();
            if (after !== before) offences.push(`${where} (wrote: ${before} → ${after})`);
          }
          return true;
        }),
        { numRuns: 30, seed: 20261130 },
      );
    }
    // One line per offence, deduplicated by route and spoiled part's kind, so a failure reads as a to-do list.
    expect([...new Set(offences.map((o) => o.replace(/(with \S+ \S+?)[=\s].*?→/, '$1 →')))].slice(0, 40)).toEqual([]);
  }, 300_000);
});
