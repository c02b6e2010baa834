// Route templates as the Functions host matches them.
import { describe, expect, it } from 'vitest';
import { byPrecedence, compileRoute } from '../../../src/local/host/route-template.js';

describe('compileRoute', () => {
  it.each([
    ['jobs/{id}', '/jobs/abc', { id: 'abc' }],
    ['jobs/{id}', 'JOBS/abc/', { id: 'abc' }],
    ['jobs/{id}', '/jobs', undefined],
    ['jobs/{id}', '/jobs/a/b', undefined],
    ['jobs/{id?}', '/jobs', {}],
    ['jobs/{id?}', '/jobs/7', { id: '7' }],
    ['items/{id:int}', '/items/42', { id: '42' }],
    ['items/{id:int}', '/items/4x', undefined],
    ['items/{id:guid}', '/items/0f8fad5b-d9cb-469f-a165-70867728950e', { id: '0f8fad5b-d9cb-469f-a165-70867728950e' }],
    ['items/{id:alpha}', '/items/abc1', undefined],
    ['items/{n:min(2)}', '/items/1', undefined],
    ['items/{n:int:max(5)}', '/items/5', { n: '5' }],
    ['items/{n:int:max(5)}', '/items/6', undefined],
    ['items/{code:regex(^[a-z]+$)}', '/items/ab', { code: 'ab' }],
    ['items/{code:regex(^[a-z]+$)}', '/items/a1', undefined],
    ['files/{*path}', '/files/a/b/c.txt', { path: 'a/b/c.txt' }],
    ['pools/{pool}/events', '/pools/gpu%20a/events', { pool: 'gpu a' }],
  ])('%s matches %s → %j', (template, path, expected) => {
    expect(compileRoute(template).match(path)).toEqual(expected);
  });

  it('rejects an unknown constraint when the app loads, not when a request comes', () => {
    expect(() => compileRoute('items/{id:frobnicate}')).toThrow(/unknown constraint "frobnicate"/);
  });

  it('prefers literal segments over parameters, and constrained over free parameters', () => {
    const routes = ['jobs/{id}', 'jobs/search', 'jobs/{id:int}', 'jobs/{*rest}'].map(compileRoute);
    expect(routes.sort(byPrecedence).map((r) => r.template)).toEqual(['jobs/search', 'jobs/{id:int}', 'jobs/{id}', 'jobs/{*rest}']);
  });
});
