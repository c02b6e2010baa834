import { describe, expect, it } from 'vitest';
import { filterDimensions, filterMatches, parseMetricFilter } from '../../../src/local/emulator/monitor/metric-filter.js';

describe('metric $filter parser', () => {
  it.each([
    ["InstanceId eq '*'", { op: 'eq', dimension: 'InstanceId', value: '*' }],
    ["InstanceId eq '*' and Kind eq 'ssh'", { op: 'and', operands: [{ op: 'eq', dimension: 'InstanceId', value: '*' }, { op: 'eq', dimension: 'Kind', value: 'ssh' }] }],
    ["Kind eq 'ssh' or Kind eq 'jupyter'", { op: 'or', operands: [{ op: 'eq', dimension: 'Kind', value: 'ssh' }, { op: 'eq', dimension: 'Kind', value: 'jupyter' }] }],
    ["VMName eq 'it''s'", { op: 'eq', dimension: 'VMName', value: "it's" }],
    ["Kind ne 'ssh'", { op: 'ne', dimension: 'Kind', value: 'ssh' }],
  ])('parses %s', (text, expected) => {
    expect(parseMetricFilter(text)).toEqual(expected);
  });

  it('binds and tighter than or, and honours parentheses', () => {
    const loose = parseMetricFilter("A eq '1' or A eq '2' and B eq 'x'");
    const grouped = parseMetricFilter("(A eq '1' or A eq '2') and B eq 'x'");
    expect(filterMatches(loose, { a: '1', b: 'y' })).toBe(true);
    expect(filterMatches(grouped, { a: '1', b: 'y' })).toBe(false);
    expect(filterMatches(grouped, { a: '2', b: 'X' })).toBe(true);
  });

  it("matches '*' for any value and compares values case-insensitively", () => {
    const f = parseMetricFilter("InstanceId eq '*' and Kind eq 'SSH'");
    expect(filterMatches(f, { instanceid: '7', kind: 'ssh' })).toBe(true);
    expect(filterMatches(f, { instanceid: '7', kind: 'jupyter' })).toBe(false);
  });

  it('names every dimension it splits by, once, in lower case', () => {
    expect(filterDimensions(parseMetricFilter("(InstanceId eq '1' or InstanceId eq '2') and Kind eq '*'"))).toEqual(['instanceid', 'kind']);
  });

  it.each([
    ["InstanceId eq '*' andd Kind eq '*'", /expected "and", "or" or the end at position 18/],
    ["InstanceId eq *", /quoted value/],
    ["InstanceId eq 'x", /unterminated string/],
    ["(Kind eq 'x'", /"\)"/],
    ["eq 'x'", /dimension name/],
    ['', /dimension name .*at the end/],
  ])('rejects %j with a message that points at the problem', (text, message) => {
    expect(() => parseMetricFilter(text)).toThrow(message);
  });
});
