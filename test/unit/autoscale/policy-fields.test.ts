// The vmss policy field by field: the last allowed and the first refused value of each, the words an admin reads
// when a PUT or a hand-edited row is refused, and the OpenAPI descriptions that state each default.
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { parseVmssPolicy, vmssPolicySchema } from '../../../src/autoscale/policy.js';
import { TARGET } from './factories.js';

const parse = (fields: Record<string, unknown>) => parseVmssPolicy({ kind: 'vmss', target: TARGET, ...fields });
const problems = (fields: Record<string, unknown>) => {
  const r = parse(fields);
  return r.ok ? [] : r.problems;
};
const window = (w: Record<string, unknown> = {}) => ({ from: '08:00', to: '18:00', ...w });

describe('whole-number fields: bounds and messages', () => {
  // [field, lowest allowed, highest allowed, other fields the bound needs]
  const BOUNDS: [string, number, number, Record<string, unknown>][] = [
    ['minInstances', 0, 1000, { maxInstances: 1000 }],
    ['maxInstances', 1, 1000, {}],
    ['seatsPerInstance', 1, 1000, {}],
    ['spareSeats', 0, 10000, {}],
    ['idleMinutesBeforeScaleIn', 5, 1440, {}],
    ['scaleOutCooldownMinutes', 0, 120, {}],
    ['scaleInCooldownMinutes', 0, 1440, {}],
    ['maxScaleOutStep', 1, 1000, {}],
    ['wakeHoldMinutes', 1, 1440, {}],
    ['maxDeallocated', 0, 1000, {}],
    ['deallocateStoppedAfterMinutes', 5, 240, {}],
  ];

  it.each(BOUNDS)('%s takes %i to %i and refuses one beyond either end', (field, min, max, other) => {
    expect(parse({ ...other, [field]: min })).toMatchObject({ ok: true, value: { [field]: min } });
    expect(parse({ ...other, [field]: max })).toMatchObject({ ok: true, value: { [field]: max } });
    expect(problems({ ...other, [field]: min - 1 })).toEqual([{ field, reason: `must be at least ${min}` }]);
    expect(problems({ ...other, [field]: max + 1 })).toContainEqual({ field, reason: `must be at most ${max}` });
  });

  it.each([[2.5], ['two'], ['']])('refuses %j as "must be a whole number"', (cell) => {
    expect(problems({ maxInstances: cell })).toEqual([{ field: 'maxInstances', reason: 'must be a whole number' }]);
  });

  it('refuses minInstances above maxInstances, and takes them equal (also at maxInstances 1)', () => {
    expect(problems({ minInstances: 3, maxInstances: 3 })).toEqual([]);
    expect(problems({ minInstances: 1, maxInstances: 1 })).toEqual([]);
    expect(problems({ minInstances: 2, maxInstances: 1 })).toEqual([{ field: 'minInstances', reason: 'must not exceed maxInstances (1)' }]);
  });

  it('compares a window\'s minInstances with maxInstances, naming the window by its place', () => {
    expect(problems({ maxInstances: 2, schedules: [window({ minInstances: 2 }), window({ minInstances: 3 })] })).toEqual([
      { field: 'schedules.1.minInstances', reason: 'must not exceed maxInstances (2)' },
    ]);
  });

  it('a window\'s minInstances takes 0 to 1000 like the pool\'s', () => {
    expect(problems({ maxInstances: 1000, schedules: [window({ minInstances: 0 }), window({ minInstances: 1000 })] })).toEqual([]);
    expect(problems({ maxInstances: 1000, schedules: [window({ minInstances: 1001 })] })).toContainEqual({ field: 'schedules.0.minInstances', reason: 'must be at most 1000' });
  });
});

describe('text fields: the words an admin reads', () => {
  it.each([
    [{ target: undefined }, 'target', 'is required: the scale set resource id'],
    // Present but of the wrong type: said so, not "is required".
    [{ target: [] }, 'target', 'must be a string, not a list'],
    [{ target: 5 }, 'target', 'must be a string, not number 5'],
    [{ target: `/x${TARGET}` }, 'target', 'must be a scale set resource id: /subscriptions/{id}/resourceGroups/{rg}/providers/Microsoft.Compute/virtualMachineScaleSets/{name}'],
    [{ target: `${TARGET}/virtualMachines/0` }, 'target', 'must be a scale set resource id: /subscriptions/{id}/resourceGroups/{rg}/providers/Microsoft.Compute/virtualMachineScaleSets/{name}'],
    [{ placement: 'random' }, 'placement', 'must be "depth-first" or "breadth-first"'],
    [{ connectUrl: 'hub.local' }, 'connectUrl', 'must be an absolute http(s) URL'],
    [{ connectUrl: 'ftp://mirror.example/http://hub' }, 'connectUrl', 'must be an absolute http(s) URL'],
    [{ schedules: [window({ days: ['monday'] })] }, 'schedules.0.days.0', 'must be one of sun, mon, tue, wed, thu, fri, sat'],
    [{ schedules: [window({ days: [] })] }, 'schedules.0.days', 'must name at least one day'],
    [{ schedules: [window({ from: '108:00' })] }, 'schedules.0.from', 'must be a local time "HH:MM"'],
    [{ schedules: [window({ from: '08:000' })] }, 'schedules.0.from', 'must be a local time "HH:MM"'],
    [{ schedules: [window({ to: '118:00' })] }, 'schedules.0.to', 'must be a local time "HH:MM" (or "24:00" for midnight at the end of the day)'],
    [{ schedules: Array.from({ length: 51 }, () => window()) }, 'schedules', 'at most 50 windows'],
    [{ myetag: 'x' }, 'myetag', 'is not a policy field (check the spelling)'],
    [{ rowKeys: 'x' }, 'rowKeys', 'is not a policy field (check the spelling)'],
    [{ schedules: [window({ minInstance: 1 })] }, 'schedules.0.minInstance', 'is not a policy field (check the spelling)'],
  ])('%j: %s %s', (fields, field, reason) => {
    // A value may fail two checks with the same words (connectUrl); every problem reads the same.
    const found = problems(fields);
    expect(found.length).toBeGreaterThan(0);
    expect(new Set(found.map((p) => JSON.stringify(p)))).toEqual(new Set([JSON.stringify({ field, reason })]));
  });

  it('takes the last values before those refused', () => {
    expect(problems({ connectUrl: 'http://hub.example/' })).toEqual([]);
    expect(parse({ placement: 'breadth-first' })).toMatchObject({ ok: true, value: { placement: 'breadth-first' } });
    expect(problems({ target: TARGET.toUpperCase() })).toEqual([]);
    expect(problems({ schedules: [window({ from: '23:59', to: '24:00' }), window({ from: '00:00', to: '23:59' })] })).toEqual([]);
    expect(problems({ schedules: Array.from({ length: 50 }, () => window()) })).toEqual([]);
  });

  it('reads a blank schedules cell as no windows', () => {
    expect(parse({ schedules: '' })).toMatchObject({ ok: true, value: { schedules: [] } });
    expect(parse({ schedules: '  ' })).toMatchObject({ ok: true, value: { schedules: [] } });
  });

  it('ignores the OData type annotation of any column ("<column>@odata.type")', () => {
    expect(parse({ maxInstances: '6', 'maxInstances@odata.type': 'Edm.Int64' })).toMatchObject({ ok: true, value: { maxInstances: 6 } });
  });
});

describe('OpenAPI descriptions', () => {
  const json = z.toJSONSchema(vmssPolicySchema, { io: 'input', unrepresentable: 'any' }) as { properties: Record<string, { description?: string; items?: { properties: Record<string, { description?: string }> } }> };
  const parsed = parse({});
  const defaults = parsed.ok ? (parsed.value as Record<string, unknown>) : {};

  it('describes every field, and every field with a default names that default', () => {
    const fields = Object.keys(json.properties);
    expect(fields).toHaveLength(21);
    for (const field of fields) {
      const { description } = json.properties[field]!;
      expect(description, field).toMatch(/\w{3,}/);
      if (field === 'kind' || field === 'target' || field === 'connectUrl') continue;
      const value = defaults[field];
      expect(description, field).toContain(`Default ${Array.isArray(value) ? JSON.stringify(value) : String(value)}.`);
    }
  });

  it('describes every field of a schedule window, with its defaults', () => {
    const window = json.properties.schedules!.items!.properties;
    expect(Object.keys(window).sort()).toEqual(['days', 'from', 'minInstances', 'name', 'timeZone', 'to']);
    for (const [field, { description }] of Object.entries(window)) expect(description, field).toMatch(/\w{3,}/);
    expect(window.days!.description).toContain('Default: mon–fri.');
    expect(window.timeZone!.description).toContain('Default UTC.');
    expect(window.minInstances!.description).toContain('Default 1.');
  });
});
