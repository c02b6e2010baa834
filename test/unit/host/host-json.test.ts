// host.json → host options, with the Functions host's defaults.
import { describe, expect, it } from 'vitest';
import { parseHostJson, parseTimeSpan } from '../../../src/local/host/host-json.js';

describe('parseTimeSpan', () => {
  it.each([
    ['00:00:10', 10_000],
    ['00:01:00', 60_000],
    ['1.02:00:00', 26 * 3_600_000],
    ['00:00:00.250', 250],
  ])('%s is %i ms', (value, ms) => expect(parseTimeSpan(value)).toBe(ms));

  it('rejects anything else, showing the format', () => {
    expect(() => parseTimeSpan('10s')).toThrow(/hh:mm:ss/);
  });
});

describe('parseHostJson', () => {
  it('uses the host defaults for an empty host.json', () => {
    expect(parseHostJson({}, 2)).toEqual({
      routePrefix: 'api',
      queues: {
        batchSize: 16,
        newBatchThreshold: 16, // batchSize/2 × cores
        maxPollingIntervalInMs: 60_000,
        visibilityTimeoutInMs: 0,
        maxDequeueCount: 5,
        messageEncoding: 'base64',
      },
      functionTimeoutInMs: 30 * 60_000,
    });
  });

  it('reads the project host.json settings', () => {
    const parsed = parseHostJson(
      {
        functionTimeout: '00:10:00',
        extensions: {
          http: { routePrefix: '/' },
          queues: { batchSize: 4, newBatchThreshold: 2, maxPollingInterval: '00:00:02', visibilityTimeout: '00:00:10', maxDequeueCount: 3, messageEncoding: 'none' },
        },
      },
      2,
    );
    expect(parsed).toEqual({
      routePrefix: '',
      queues: { batchSize: 4, newBatchThreshold: 2, maxPollingIntervalInMs: 2000, visibilityTimeoutInMs: 10_000, maxDequeueCount: 3, messageEncoding: 'none' },
      functionTimeoutInMs: 600_000,
    });
  });

  it('rejects a batchSize above 32', () => {
    expect(() => parseHostJson({ extensions: { queues: { batchSize: 64 } } })).toThrow(/batchSize/);
  });
});
