// local.settings.sample.json and the README settings table document every setting of src/config.ts, with the
// schema's own description, and values that pass the schema. Fails when a setting is added to one and not the other.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadConfig, settingsSchema } from '../../src/config.js';

const sample = JSON.parse(readFileSync(new URL('../../local.settings.sample.json', import.meta.url), 'utf8')) as {
  Values: Record<string, string>;
  Descriptions: Record<string, string>;
};
// Settings read by the Functions host (ours or Core Tools), not by the app's schema.
const hostSettings = ['FUNCTIONS_WORKER_RUNTIME', 'DSVMPOOL_LOCAL_FUNCTION_KEY', 'DSVMPOOL_LOCAL_ADMIN_KEY'];
const schemaSettings = Object.keys(settingsSchema.shape);

describe('local.settings.sample.json', () => {
  it('lists exactly the schema settings plus the host settings', () => {
    expect(Object.keys(sample.Values).sort()).toEqual([...schemaSettings, ...hostSettings].sort());
  });

  it('describes each setting as the schema does', () => {
    for (const name of schemaSettings) {
      expect(sample.Descriptions[name], name).toBe(settingsSchema.shape[name as keyof typeof settingsSchema.shape].description);
    }
    for (const name of hostSettings) expect(sample.Descriptions[name], name).toMatch(/\w+/);
  });

  it('is matched by the README settings table, one row per setting', () => {
    const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
    const section = /<!-- section:configuration \(foundation\) -->([\s\S]*?)<!-- \/section:configuration -->/.exec(readme)?.[1] ?? '';
    const rows = [...section.matchAll(/^\| `([^`]+)` \|/gm)].map((m) => m[1]);
    expect(rows.sort()).toEqual([...schemaSettings].sort());
  });

  it('holds values the schema accepts', () => {
    expect(() => loadConfig(sample.Values)).not.toThrow();
  });
});
