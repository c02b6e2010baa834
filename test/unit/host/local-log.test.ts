// npm start's log: level filter, readable lines on a terminal, JSON otherwise, quiet idle timer runs, and its options.
import { describe, expect, it } from 'vitest';
import { HostLog } from '../../../src/local/host/host-log.js';
import { LocalLog, type LogFormat, type LogLevel } from '../../../src/local/local-log.js';
import { parseStartOptions } from '../../../src/local/start-options.js';

const NOW = new Date('2026-03-02T09:15:00.123Z');

function capture(level: LogLevel, format: LogFormat) {
  const lines: string[] = [];
  const log = new LocalLog({ level, format, color: false, write: (l) => lines.push(l), now: () => NOW });
  return { log, lines };
}

describe('local log', () => {
  it('writes one readable line per event, with the real time, level and function', () => {
    const { log, lines } = capture('info', 'pretty');
    log.hostLine(JSON.stringify({ time: '2026-03-02T09:15:01.500Z', level: 'information', kind: 'invocation', function: 'jobs-get', invocationId: 'i', trigger: 'http', durationMs: 12.5, outcome: 'succeeded' }));
    log.hostLine(JSON.stringify({ time: '2026-03-02T09:15:02.000Z', level: 'warning', kind: 'log', function: 'jobsync', invocationId: 'i', message: 'jobsync cpu: BATCH_THROTTLED slow down' }));
    log.console('info', JSON.stringify({ at: '2026-03-02T20:00:00.000Z', event: 'autoscale.evaluation', pool: 'dsvm-demo', outcome: 'done', reason: 'two people are on', steps: [] }));
    expect(lines).toEqual([
      '09:15:01.500 INFO  jobs-get   http run succeeded in 12.5 ms',
      '09:15:02.000 WARN  jobsync    jobsync cpu: BATCH_THROTTLED slow down',
      '09:15:00.123 INFO  app        autoscale.evaluation appTime=2026-03-02T20:00:00.000Z pool=dsvm-demo outcome=done reason="two people are on"',
    ]);
  });

  it('writes JSON objects, one a line, when asked (or not on a terminal)', () => {
    const { log, lines } = capture('info', 'json');
    log.console('warn', 'disk is slow');
    log.console('info', '{"event":"autoscale.tick","pools":1}');
    expect(lines.map((l) => JSON.parse(l))).toEqual([
      { time: NOW.toISOString(), level: 'warn', kind: 'app', message: 'disk is slow' },
      { time: NOW.toISOString(), level: 'info', kind: 'app', event: 'autoscale.tick', pools: 1 },
    ]);
  });

  it.each([
    ['debug', 4],
    ['info', 3],
    ['warn', 2],
    ['error', 1],
  ] as const)('at level %s keeps %i of debug, info, warn, error', (level, kept) => {
    const { log, lines } = capture(level, 'json');
    for (const l of ['debug', 'info', 'warn', 'error'] as const) log.console(l, l);
    expect(lines).toHaveLength(kept);
  });

  it('makes a timer run that logged nothing above debug a debug line, and keeps the others', () => {
    const entries: Record<string, unknown>[] = [];
    const host = new HostLog((line) => entries.push(JSON.parse(line) as Record<string, unknown>));
    const run = (id: string, trigger: string, logLevel: string | undefined, outcome: 'succeeded' | 'failed' = 'succeeded') => {
      if (logLevel) host.functionLog({ level: logLevel, category: 'user', functionName: 'f', invocationId: id, message: 'm' });
      host.invocation({ functionName: 'f', invocationId: id, trigger, durationMs: 1, outcome });
      return entries.filter((e) => e.kind === 'invocation' && e.invocationId === id)[0]!.level;
    };
    expect(run('idle', 'timer', 'debug')).toBe('debug');
    expect(run('silent', 'timer', undefined)).toBe('debug');
    expect(run('acted', 'timer', 'information')).toBe('information');
    expect(run('failed', 'timer', undefined, 'failed')).toBe('error');
    expect(run('http', 'http', undefined)).toBe('information');
  });
});

describe('npm start options', () => {
  it('defaults to info, pretty on a terminal and JSON in a pipe', () => {
    expect(parseStartOptions([], {}, true)).toEqual({ help: false, persist: false, empty: false, logLevel: 'info', logFormat: 'pretty' });
    expect(parseStartOptions([], {}, false).logFormat).toBe('json');
  });

  it('reads flags over the environment', () => {
    const env = { DSVMPOOL_LOG_LEVEL: 'warn', DSVMPOOL_LOG_FORMAT: 'json' };
    expect(parseStartOptions([], env, true)).toMatchObject({ logLevel: 'warn', logFormat: 'json' });
    expect(parseStartOptions(['--log-level', 'debug', '--log-format', 'pretty', '--empty', '--persist'], env, false)).toEqual({
      help: false, persist: true, empty: true, logLevel: 'debug', logFormat: 'pretty',
    });
    expect(parseStartOptions(['-h'], {}, true).help).toBe(true);
  });

  it.each([
    [['--log-level', 'loud'], /--log-level must be one of debug, info, warn, error/],
    [['--log-format', 'xml'], /--log-format must be pretty or json/],
    [['--emtpy'], /Unknown option '--emtpy'[\s\S]*--help/],
  ])('refuses %j with a message naming the fix', (argv, message) => {
    expect(() => parseStartOptions(argv, {}, true)).toThrow(message);
  });
});
