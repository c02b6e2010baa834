import { HttpRequest } from '@azure/functions';
import { describe, expect, it } from 'vitest';
import { openApiDocument } from '../../../src/http/openapi.js';
import { readJsonBody, readQuery } from '../../../src/http/request.js';
import { jobListQuerySchema } from '../../../src/jobs/job-view.js';
import { jobSpecSchema } from '../../../src/jobs/job-spec.js';

const req = (body: string, headers: Record<string, string> = { 'content-type': 'application/json' }) =>
  new HttpRequest({ method: 'POST', url: 'http://localhost/api/jobs', body: { string: body }, headers });
// The job API's own limit (64 KiB) is tested through its handler, in test/unit/http/jobs-api.test.ts.
const read = (r: HttpRequest, maxBytes = 65_536) => readJsonBody(r, jobSpecSchema, { maxBytes, what: 'job spec' });
const problemOf = (r: Awaited<ReturnType<typeof read>>) => (r.ok ? undefined : { status: r.response.status, body: JSON.parse(String(r.response.body)) });

describe('reading a JSON body', () => {
  it('parses a valid spec with defaults', async () => {
    const r = await read(req(JSON.stringify({ name: 'a', commandLine: 'b' })));
    expect(r.ok && r.value.pool).toBe('auto');
  });

  it('answers 415 for a non-JSON content type', async () => {
    expect(problemOf(await read(req('{}', { 'content-type': 'text/plain' })))).toMatchObject({ status: 415, body: { code: 'UNSUPPORTED_MEDIA_TYPE' } });
  });

  it('reads a body of exactly maxBytes and answers 413 to one byte more, by its bytes or its declared Content-Length', async () => {
    const body = JSON.stringify({ name: 'a', commandLine: 'x'.repeat(71) });
    expect(Buffer.byteLength(body)).toBe(100);
    expect((await read(req(body), 100)).ok).toBe(true);
    const over = JSON.stringify({ name: 'a', commandLine: 'x'.repeat(72) });
    expect(problemOf(await read(req(over), 100))).toMatchObject({ status: 413, body: { code: 'PAYLOAD_TOO_LARGE', detail: 'The job spec is 101 bytes; at most 100 bytes are accepted. Move large data into input files.' } });
    const declared = await read(req(body, { 'content-type': 'application/json', 'content-length': '101' }), 100);
    expect(problemOf(declared)).toMatchObject({ status: 413, body: { code: 'PAYLOAD_TOO_LARGE' } });
  });

  it('answers 400 for broken JSON', async () => {
    expect(problemOf(await read(req('{"name":')))).toMatchObject({ status: 400, body: { code: 'INVALID_JSON' } });
  });

  it('answers 400 naming every invalid field', async () => {
    const p = problemOf(await read(req(JSON.stringify({ name: 'bad name', commandLine: '', resources: { gpus: 99 }, colour: 'red' }))));
    expect(p?.status).toBe(400);
    expect(p?.body.errors.map((e: { field: string }) => e.field).sort()).toEqual(['colour', 'commandLine', 'name', 'resources.gpus']);
    expect(p?.body.detail).toContain('resources.gpus must be at most 16');
  });
});

describe('OpenAPI document', () => {
  it('describes the job spec from its schema, with limits and defaults', () => {
    const doc = openApiDocument() as { paths: Record<string, unknown>; components: { schemas: { JobSpec: { properties: Record<string, { properties?: Record<string, { maximum?: number; default?: unknown }> }> } } } };
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(['/jobs', '/jobs/{id}', '/jobs/{id}/cancel']));
    expect(doc.components.schemas.JobSpec.properties.resources!.properties!.gpus).toMatchObject({ maximum: 16, default: 0 });
  });

  it('merges the pool paths and schemas of autoscale', () => {
    const doc = openApiDocument() as { paths: Record<string, unknown>; components: { schemas: Record<string, unknown> } };
    expect(doc.paths['/pools/{pool}/policy']).toBeDefined();
    expect(doc.paths['/jobs']).toBeDefined();
    expect(doc.components.schemas.Problem).toBeDefined();
  });
});

describe('reading the list query', () => {
  const q = (url: string) => readQuery(new HttpRequest({ method: 'GET', url }), jobListQuerySchema, 'job listing query');
  it('ignores the function key in ?code= and applies defaults', () => {
    const r = q('http://localhost/api/jobs?code=secret&state=running');
    expect(r.ok && r.value).toEqual({ state: 'running', top: 20 });
  });
  it('names an unknown parameter and a bad state', () => {
    const r = q('http://localhost/api/jobs?stat=running&state=done');
    expect(!r.ok && JSON.parse(String(r.response.body)).errors.map((e: { field: string }) => e.field).sort()).toEqual(['stat', 'state']);
  });
});
