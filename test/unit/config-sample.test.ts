// local.settings.sample.json documents every setting of src/config.ts, with the schema's own description, and a
// value that passes the schema. Fails when a setting is added to one and not the other.
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

  it('holds values the schema accepts', () => {
    expect(() => loadConfig(sample.Values)).not.toThrow();
  });
});
