// The checked list of README promises (test/readme-promises.json): for each README section (its
// `<!-- section:NAME … -->` marker), the claims it makes and the test that fails when each breaks, plus a hash of the
// section's text as last reviewed. test/unit/readme-promises.test.ts keeps list and README in step; after
// reviewing a changed section's claims, `npm run promises:update` records the new hashes.
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

/** One claim of a README section and the test that backs it (file relative to the repo, and a part of its title). */
export interface Promise {
  claim: string;
  test: string;
  title: string;
}

export interface SectionPromises {
  /** sha256 of the section's text (white space folded) when its claims were last reviewed. */
  sha256: string;
  promises: Promise[];
}

export interface PromiseList {
  sections: Record<string, SectionPromises>;
}

/** The repository root, from the source file (vitest) or its compiled copy under dist/ (npm run promises:update). */
function root(): string {
  const up = fileURLToPath(new URL('../..', import.meta.url));
  return /[\\/]dist[\\/]?$/.test(up) ? join(up, '..') : up;
}
export const listPath = (): string => join(root(), 'test', 'readme-promises.json');

/** README sections by name: the text between `<!-- section:NAME … -->` and `<!-- /section:NAME -->`. */
export function readmeSections(readme: string): Map<string, string> {
  const sections = new Map<string, string>();
  const open = /<!-- section:([a-z0-9-]+)[^>]*-->/g;
  for (let m = open.exec(readme); m; m = open.exec(readme)) {
    const name = m[1]!;
    const end = readme.indexOf(`<!-- /section:${name} -->`, m.index);
    if (end < 0) throw new Error(`README section "${name}" has no closing <!-- /section:${name} --> marker`);
    sections.set(name, readme.slice(m.index + m[0].length, end));
  }
  return sections;
}

export function sectionHash(text: string): string {
  return createHash('sha256').update(text.replace(/\s+/g, ' ').trim()).digest('hex');
}

export function loadPromiseList(): PromiseList {
  return JSON.parse(readFileSync(listPath(), 'utf8')) as PromiseList;
}

export function readme(): string {
  return readFileSync(join(root(), 'README.md'), 'utf8');
}

/** Records the current hash of every section that has an entry (run after reviewing the changed sections). */
export function updateHashes(): string[] {
  const list = loadPromiseList();
  const sections = readmeSections(readme());
  const changed: string[] = [];
  for (const [name, entry] of Object.entries(list.sections)) {
    const text = sections.get(name);
    if (text === undefined) continue;
    const hash = sectionHash(text);
    if (hash !== entry.sha256) changed.push(name);
    entry.sha256 = hash;
  }
  writeFileSync(listPath(), `${JSON.stringify(list, null, 2)}\n`);
  return changed;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const changed = updateHashes();
  console.log(changed.length ? `recorded new hashes for: ${changed.join(', ')}` : 'every section hash was already current');
}
