// The emulator's OData $filter subset for Batch list calls: the forms our client sends, precedence, errors.
import { describe, expect, it } from 'vitest';
import { ODataFilterError, parseODataFilter } from '../../../src/local/emulator/batch/odata-filter.js';

const tasks = [
  { id: 'a', state: 'completed', stateTransitionTime: '2026-01-05T08:10:00.000Z', executionInfo: { exitCode: 0 } },
  { id: 'b', state: 'running', stateTransitionTime: '2026-01-05T08:20:00.000Z', executionInfo: { retryCount: 0 } },
  { id: "o'brien", state: 'active', stateTransitionTime: '2026-01-05T08:30:00.000Z', executionInfo: { exitCode: 3 } },
];
const ids = (filter: string): string[] => tasks.filter(parseODataFilter(filter)).map((t) => t.id);

describe('OData $filter for Batch lists', () => {
  it.each([
    ["state eq 'completed'", ['a']],
    ["state ne 'completed'", ['b', "o'brien"]],
    ["stateTransitionTime gt datetime'2026-01-05T08:15:00Z'", ['b', "o'brien"]],
    ["stateTransitionTime ge datetime'2026-01-05T08:20:00.000Z'", ['b', "o'brien"]],
    ["stateTransitionTime lt datetime'2026-01-05T08:20:00Z'", ['a']],
    ["state eq 'completed' or state eq 'running'", ['a', 'b']],
    ["state eq 'running' and stateTransitionTime gt datetime'2026-01-05T08:00:00Z'", ['b']],
    ["(state eq 'completed' or state eq 'active') and stateTransitionTime gt datetime'2026-01-05T08:15:00Z'", ["o'brien"]],
    ["state eq 'active' or state eq 'running' and stateTransitionTime lt datetime'2026-01-05T08:15:00Z'", ["o'brien"]],
    ["not (state eq 'completed')", ['b', "o'brien"]],
    ['executionInfo/exitCode gt 0', ["o'brien"]],
    ['executionInfo/exitCode eq null', ['b']],
    ["id eq 'o''brien'", ["o'brien"]],
    ["State EQ 'completed'", []],
  ])('%s', (filter, expected) => {
    expect(ids(filter)).toEqual(expected);
  });

  it.each([
    ["state eq 'completed", /Unterminated/],
    ["state 'completed'", /Expected eq, ne/],
    ["stateTransitionTime gt datetime'yesterday'", /not an ISO-8601/],
    ["(state eq 'completed'", /Missing '\)'/],
    ["state eq 'a' state eq 'b'", /Unexpected token/],
    ['', /empty/],
    ['state eq', /Expected a literal/],
  ])('rejects %j with a message naming the problem', (filter, message) => {
    expect(() => parseODataFilter(filter)).toThrow(ODataFilterError);
    expect(() => parseODataFilter(filter)).toThrow(message);
  });
});
