// The composed OpenAPI document (every area's openapi-<area>.ts part) passes Redocly's `recommended` rules, and every
// operation has what a reader of the reference needs: an operationId, a summary, 500, and 401 unless it is public.
import { BaseResolver, createConfig, lintDocument, makeDocumentFromString } from '@redocly/openapi-core';
import { describe, expect, it } from 'vitest';
import { openApiDocument } from '../../../src/http/openapi.js';

type Operation = { operationId?: string; summary?: string; security?: unknown[]; responses?: Record<string, unknown> };
const METHODS = ['get', 'put', 'post', 'delete', 'patch'] as const;

/**
 * Findings of `recommended` we accept, each with its reason. Keyed by rule id, then by JSON pointer.
 * - info-license(-strict): the package is private (package.json `"private": true`) and has no licence to name.
 * - operation-4xx-response: /health and the /docs page answer 200 or 503 / 200 only; no 4xx exists for them.
 */
const ACCEPTED: Record<string, string[]> = {
  'info-license-strict': ['#/info/license'],
  'operation-4xx-response': ['#/paths/~1health/get/responses', '#/paths/~1docs/get/responses'],
};

function operations(doc: { paths: Record<string, Record<string, Operation>> }): { path: string; method: string; op: Operation }[] {
  return Object.entries(doc.paths).flatMap(([path, item]) => METHODS.flatMap((method) => (item[method] ? [{ path, method, op: item[method] }] : [])));
}

describe('OpenAPI document', () => {
  const doc = openApiDocument() as { paths: Record<string, Record<string, Operation>> };

  it("passes Redocly's recommended rules", async () => {
    const config = await createConfig({ extends: ['recommended'] });
    const problems = await lintDocument({ document: makeDocumentFromString(JSON.stringify(doc), 'openapi.json'), config, externalRefResolver: new BaseResolver() });
    const found = problems.map((p) => ({ rule: p.ruleId, severity: p.severity, at: p.location[0]?.pointer ?? '', message: p.message }));
    const unaccepted = found.filter((f) => !(ACCEPTED[f.rule] ?? []).includes(f.at));
    expect(unaccepted).toEqual([]);
  });

  it('fails a document that breaks a rule (the linter really runs)', async () => {
    const config = await createConfig({ extends: ['recommended'] });
    const broken = { ...doc, paths: { '/x': { get: { responses: { '200': { description: 'ok' } } } } } };
    const problems = await lintDocument({ document: makeDocumentFromString(JSON.stringify(broken), 'openapi.json'), config, externalRefResolver: new BaseResolver() });
    expect(problems.map((p) => p.ruleId)).toEqual(expect.arrayContaining(['operation-operationId', 'operation-summary', 'operation-4xx-response']));
  });

  it('gives every operation an operationId, a summary and a 500; a 401 unless it is public', () => {
    const ops = operations(doc);
    expect(ops.length).toBeGreaterThanOrEqual(15);
    for (const { path, method, op } of ops) {
      const where = `${method.toUpperCase()} ${path}`;
      expect(op.operationId, where).toMatch(/^[a-z][A-Za-z]+$/);
      expect(op.summary, where).toBeTruthy();
      const isPublic = Array.isArray(op.security) && op.security.length === 0;
      if (!isPublic) expect(Object.keys(op.responses ?? {}), where).toContain('401');
      if (path !== '/health' && path !== '/openapi.json') expect(Object.keys(op.responses ?? {}), where).toContain('500');
    }
  });

  it('says when to retry on every 503 and 429', () => {
    for (const { path, method, op } of operations(doc)) {
      for (const status of ['503', '429']) {
        const r = op.responses?.[status] as { headers?: Record<string, unknown>; content?: Record<string, unknown> } | undefined;
        if (r?.content?.['application/problem+json']) expect(Object.keys(r.headers ?? {}), `${method} ${path} ${status}`).toContain('Retry-After');
      }
    }
  });
});
