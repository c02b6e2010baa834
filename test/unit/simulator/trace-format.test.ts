import { describe, expect, it } from 'vitest';
import { SimulatorError } from '../../../src/simulator/errors.js';
import { formatFromFileName, formatTrace, parseTrace } from '../../../src/simulator/trace-format.js';

function problemsOf(text: string, format: 'csv' | 'jsonl') {
  try {
    parseTrace(text, format);
  } catch (error) {
    expect(error).toBeInstanceOf(SimulatorError);
    return { code: (error as SimulatorError).code, problems: (error as SimulatorError).problems, message: (error as Error).message };
  }
  throw new Error('expected the trace to be rejected');
}

describe('trace format', () => {
  it('reads CSV sessions with offsets as instants, sorted by start', () => {
    const trace = parseTrace(
      ['user,kind,start,end', 'bo,ssh,2026-03-02T10:00:00+01:00,2026-03-02T11:30:00+01:00', 'ana,jupyter,2026-03-02T08:00:00Z,2026-03-02T16:00:00Z'].join('\n'),
      'csv',
    );
    expect(trace.sessions).toEqual([
      { user: 'ana', kind: 'jupyter', start: Date.parse('2026-03-02T08:00:00Z'), end: Date.parse('2026-03-02T16:00:00Z') },
      { user: 'bo', kind: 'ssh', start: Date.parse('2026-03-02T09:00:00Z'), end: Date.parse('2026-03-02T10:30:00Z') },
    ]);
    // Without a period line the window is the whole UTC days around the sessions.
    expect(trace.period).toEqual({ start: Date.parse('2026-03-02T00:00:00Z'), end: Date.parse('2026-03-03T00:00:00Z') });
  });

  it('reads JSONL with period and time zones', () => {
    const trace = parseTrace(
      [
        '{"period":"2026-03-07T00:00:00+01:00/2026-03-09T00:00:00+01:00"}',
        '{"timeZones":["Europe/Berlin","America/New_York"]}',
        '{"user":"ana","kind":"jupyter","start":"2026-03-07T10:00:00+01:00","end":"2026-03-07T12:00:00+01:00"}',
      ].join('\n'),
      'jsonl',
    );
    expect(trace.period.start).toBe(Date.parse('2026-03-06T23:00:00Z'));
    expect(trace.timeZones).toEqual(['Europe/Berlin', 'America/New_York']);
    expect(trace.sessions).toHaveLength(1);
  });

  it('accepts a period with no sessions (a quiet weekend) but not an empty file', () => {
    expect(parseTrace('# period: 2026-03-07T00:00:00Z/2026-03-09T00:00:00Z\nuser,kind,start,end\n', 'csv').sessions).toEqual([]);
    expect(problemsOf('user,kind,start,end\n', 'csv').code).toBe('TRACE_EMPTY');
  });

  it('writes what it reads, in both formats', () => {
    const text = '# period: 2026-03-02T00:00:00.000Z/2026-03-03T00:00:00.000Z\nuser,kind,start,end\nana,ssh,2026-03-02T08:00:00.000Z,2026-03-02T09:00:00.000Z\n';
    const trace = parseTrace(text, 'csv');
    expect(formatTrace(trace, 'csv')).toBe(text);
    expect(parseTrace(formatTrace(trace, 'jsonl'), 'jsonl')).toEqual(trace);
  });

  it.each([
    ['a time without an offset', 'ana,jupyter,2026-03-02T09:00:00,2026-03-02T10:00:00Z', 'start', 'with an offset'],
    ['an unknown kind', 'ana,rdp,2026-03-02T09:00:00Z,2026-03-02T10:00:00Z', 'kind', 'jupyter, ssh'],
    ['an end before the start', 'ana,ssh,2026-03-02T09:00:00Z,2026-03-02T08:00:00Z', 'end', 'after start'],
    ['an empty user', ',ssh,2026-03-02T09:00:00Z,2026-03-02T10:00:00Z', 'user', 'non-empty'],
    ['an impossible date', 'ana,ssh,2026-02-31T25:00:00Z,2026-03-02T10:00:00Z', 'start', ''],
  ])('rejects %s, naming line and field', (_case, row, field, hint) => {
    const { code, problems, message } = problemsOf(`user,kind,start,end\n${row}`, 'csv');
    expect(code).toBe('TRACE_INVALID');
    expect(problems[0]).toMatchObject({ line: 2, field });
    expect(message).toContain(`line 2 (${field})`);
    expect(message).toContain(hint);
  });

  it('rejects a wrong header and a wrong column count', () => {
    const { problems } = problemsOf('name,start,end\nana,jupyter,2026-03-02T09:00:00Z', 'csv');
    expect(problems.map((p) => p.line)).toEqual([1, 2]);
    expect(problems[0]?.message).toContain('user,kind,start,end');
    expect(problems[1]?.message).toContain('4 comma-separated values');
  });

  it('reports every bad JSONL line, not just the first', () => {
    const { problems } = problemsOf(['{"user":"ana"', '[1,2]', '{"user":"bo","kind":"ssh","start":"2026-03-02T09:00Z","end":"nope"}', '{"timeZones":["Mars/Olympus"]}'].join('\n'), 'jsonl');
    expect(problems.map((p) => [p.line, p.field])).toEqual([
      [1, undefined],
      [2, undefined],
      [3, 'end'],
      [4, 'timeZones'],
    ]);
  });

  it('tells the format from the file name', () => {
    expect(formatFromFileName('week.csv')).toBe('csv');
    expect(formatFromFileName('week.jsonl')).toBe('jsonl');
    expect(() => formatFromFileName('week.txt')).toThrow(/\*\.csv or \*\.jsonl/);
  });
});
