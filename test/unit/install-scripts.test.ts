// Where npm runs install scripts only from an allow-list (npm 12, or --strict-allow-scripts), package.json
// `allowScripts` must decide every locked package that has one, and must allow `node`, whose preinstall fetches the
// project's Node 22. Read from package-lock.json, so a new dependency with an install script fails here until decided.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

const root = new URL('../../', import.meta.url);
const pkg = JSON.parse(readFileSync(new URL('package.json', root), 'utf8')) as { allowScripts?: Record<string, boolean> };
const lock = JSON.parse(readFileSync(new URL('package-lock.json', root), 'utf8')) as { packages: Record<string, { version?: string; hasInstallScript?: boolean }> };

/** `node_modules/a/node_modules/@s/b` → `@s/b`. */
const nameOf = (path: string) => path.slice(path.lastIndexOf('node_modules/') + 'node_modules/'.length);

describe('allowScripts', () => {
  const withScripts = Object.entries(lock.packages).filter(([path, p]) => path && p.hasInstallScript).map(([path, p]) => ({ name: nameOf(path), version: p.version }));

  it('decides every locked package that has an install script', () => {
    expect(withScripts.map((p) => p.name)).toContain('node');
    const decided = (p: { name: string; version?: string }) => pkg.allowScripts?.[p.name] !== undefined || pkg.allowScripts?.[`${p.name}@${p.version}`] !== undefined;
    expect(withScripts.filter((p) => !decided(p)).map((p) => `${p.name}@${p.version}`)).toEqual([]);
  });

  it("allows node's preinstall (the project's Node 22) and nothing else runs", () => {
    expect(Object.entries(pkg.allowScripts ?? {}).filter(([, allowed]) => allowed).map(([name]) => name)).toEqual(['node']);
  });
});
