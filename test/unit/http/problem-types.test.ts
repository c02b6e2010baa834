// Every problem+json `type` resolves: each code the source can emit has a row with a matching anchor in README's
// Errors section. The codes are read from the source itself, so a new code without a README row fails here.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { problem } from '../../../src/http/problem.js';

const root = new URL('../../../', import.meta.url).pathname;
const readme = readFileSync(join(root, 'README.md'), 'utf8');
const errorsSection = /<!-- section:errors[^>]*-->([\s\S]*?)<!-- \/section:errors -->/.exec(readme)?.[1] ?? '';

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? files(path) : path.endsWith('.ts') ? [path] : [];
  });
}

// Upper-case literals that are not codes: HTTP methods, a token format, a signing algorithm and a Unicode
// normalization form.
const HTTP_METHODS = new Set(['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS', 'JWT', 'RS256', 'NFKD']);

/**
 * Codes the app can answer or record: every upper-case string literal in src/http and src/functions (where codes
 * become problems) and every member of an `…ErrorCode` union in a core module's errors.ts (an unmapped one still
 * reaches a caller, as a 500 carrying its code). The local stack and the simulator never answer HTTP.
 */
function emittableCodes(): string[] {
  const codes = new Set<string>();
  for (const file of [...files(join(root, 'src/http')), ...files(join(root, 'src/functions'))]) {
    for (const [, code] of readFileSync(file, 'utf8').matchAll(/'([A-Z][A-Z0-9]*(?:_[A-Z0-9]+)*)'/g)) {
      if (!HTTP_METHODS.has(code!)) codes.add(code!);
    }
  }
  for (const file of files(join(root, 'src')).filter((f) => f.endsWith('/errors.ts') && !/\/src\/(local|simulator|azure)\//.test(f))) {
    for (const [, union] of readFileSync(file, 'utf8').matchAll(/export type \w*ErrorCode\s*=([^;]*);/g)) {
      for (const [, code] of union!.matchAll(/'([A-Z][A-Z0-9_]*)'/g)) codes.add(code!);
    }
  }
  return [...codes].sort();
}

const slug = (code: string) => code.toLowerCase().replace(/_/g, '-');

describe('problem types link to README', () => {
  const codes = emittableCodes();

  it('finds the codes in the source (the scan itself works)', () => {
    expect(codes).toEqual(expect.arrayContaining(['JOB_NOT_FOUND', 'POOL_NOT_FOUND', 'UNAUTHENTICATED', 'VALIDATION_FAILED', 'ARM_THROTTLED', 'INTERNAL']));
    expect(codes).not.toContain('POST');
  });

  it('has an anchor in the Errors section for every code the source can emit', () => {
    const missing = codes.filter((c) => !errorsSection.includes(`<a id="error-${slug(c)}"></a>\`${c}\``));
    expect(missing, `add a row to README's Errors section for: ${missing.join(', ')}`).toEqual([]);
  });

  it('builds each type from the code so that it lands on that anchor', () => {
    const body = JSON.parse(problem({ status: 404, code: 'JOB_NOT_FOUND', title: 't', detail: 'd' }).body as string) as { type: string };
    const fragment = new URL(body.type).hash.slice(1);
    expect(fragment).toBe('error-job-not-found');
    expect(readme).toContain(`id="${fragment}"`);
  });

  it('documents no code twice, in the whole README (a second anchor with the same id would catch the link)', () => {
    const ids = [...readme.matchAll(/<a id="(error-[a-z0-9-]+)"><\/a>/g)].map((m) => m[1]);
    expect(ids.length).toBeGreaterThan(30);
    expect(new Set(ids).size).toBe(ids.length);
  });
});
