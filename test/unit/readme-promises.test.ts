// Every README section's promises are on a checked list with the test that backs each (test/readme-promises.json):
// a section without an entry, a section changed since its claims were last reviewed, or a listed test that no longer
// exists fails here, so a new README claim without a test is noticed.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadPromiseList, readme, readmeSections, sectionHash } from '../support/readme-promises.js';
import { projectRoot } from '../support/stack.js';

const list = loadPromiseList();
const sections = readmeSections(readme());

describe('README promises → tests', () => {
  it('has an entry for every README section, and none for a section that is gone', () => {
    expect([...sections.keys()].filter((s) => !(s in list.sections)), 'README sections with no entry in test/readme-promises.json').toEqual([]);
    expect(Object.keys(list.sections).filter((s) => !sections.has(s)), 'entries for sections no longer in README').toEqual([]);
  });

  it.each([...sections.keys()].filter((s) => s in list.sections))('section "%s" is unchanged since its promises were last reviewed', (name) => {
    expect(
      sectionHash(sections.get(name)!),
      `README section "${name}" changed: check each claim it makes has a test listed in test/readme-promises.json (add one for a new claim), then run \`npm run promises:update\``,
    ).toBe(list.sections[name]!.sha256);
  });

  const rows = Object.entries(list.sections).flatMap(([section, e]) => e.promises.map((p) => [section, p.claim, p.test, p.title] as const));
  it.each(rows)('[%s] %s → %s', (_section, _claim, test, title) => {
    const file = join(projectRoot, test);
    expect(existsSync(file), `${test} does not exist`).toBe(true);
    expect(readFileSync(file, 'utf8'), `no test titled like "${title}" in ${test}`).toContain(title);
  });

  it('lists at least one promise for every section that makes any', () => {
    const empty = Object.entries(list.sections).filter(([, e]) => e.promises.length === 0).map(([s]) => s);
    expect(empty.filter((s) => !['overview'].includes(s)), 'sections with no promise listed').toEqual([]);
  });
});
