// host.json → the options the local host honours, with the Functions host's documented defaults.
import { readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';

export interface QueueOptions {
  batchSize: number;
  newBatchThreshold: number;
  maxPollingIntervalInMs: number;
  visibilityTimeoutInMs: number;
  maxDequeueCount: number;
  messageEncoding: 'base64' | 'none';
}

export interface HostJson {
  routePrefix: string;
  queues: QueueOptions;
  functionTimeoutInMs: number;
}

/** Parses a .NET TimeSpan as written in host.json: "hh:mm:ss", "d.hh:mm:ss" or "hh:mm:ss.fff". */
export function parseTimeSpan(value: string): number {
  const m = /^(?:(\d+)\.)?(\d{1,2}):(\d{1,2}):(\d{1,2})(?:\.(\d{1,7}))?$/.exec(value.trim());
  if (!m) throw new Error(`"${value}" is not a TimeSpan; write it as hh:mm:ss, e.g. "00:00:10"`);
  const [, days, h, min, s, frac] = m;
  const ms = frac ? Number(`0.${frac}`) * 1000 : 0;
  return ((Number(days ?? 0) * 24 + Number(h)) * 60 + Number(min)) * 60_000 + Number(s) * 1000 + Math.round(ms);
}

interface RawHostJson {
  functionTimeout?: string;
  extensions?: {
    http?: { routePrefix?: string };
    queues?: Partial<Record<keyof QueueOptions | 'maxPollingInterval' | 'visibilityTimeout', unknown>>;
  };
}

export function parseHostJson(raw: RawHostJson, cores = availableParallelism()): HostJson {
  const q = raw.extensions?.queues ?? {};
  const batchSize = Number(q.batchSize ?? 16);
  if (!Number.isInteger(batchSize) || batchSize < 1 || batchSize > 32) {
    throw new Error(`host.json extensions.queues.batchSize must be a whole number from 1 to 32 (got ${String(q.batchSize)})`);
  }
  const encoding = String(q.messageEncoding ?? 'base64').toLowerCase();
  if (encoding !== 'base64' && encoding !== 'none') {
    throw new Error(`host.json extensions.queues.messageEncoding must be "base64" or "none" (got ${encoding})`);
  }
  const timeSpan = (v: unknown, fallback: string): number => parseTimeSpan(typeof v === 'string' ? v : fallback);
  return {
    routePrefix: (raw.extensions?.http?.routePrefix ?? 'api').replace(/^\/+|\/+$/g, ''),
    queues: {
      batchSize,
      newBatchThreshold: Number(q.newBatchThreshold ?? Math.floor(batchSize / 2) * cores),
      maxPollingIntervalInMs: timeSpan(q.maxPollingInterval, '00:01:00'),
      visibilityTimeoutInMs: timeSpan(q.visibilityTimeout, '00:00:00'),
      maxDequeueCount: Number(q.maxDequeueCount ?? 5),
      messageEncoding: encoding,
    },
    // Flex Consumption's default; "-1" means unbounded.
    functionTimeoutInMs: raw.functionTimeout === '-1' ? Infinity : timeSpan(raw.functionTimeout, '00:30:00'),
  };
}

export function readHostJson(appRoot: string): HostJson {
  let raw: RawHostJson = {};
  try {
    raw = JSON.parse(readFileSync(join(appRoot, 'host.json'), 'utf8')) as RawHostJson;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw new Error(`host.json is not valid JSON: ${(err as Error).message}`);
  }
  return parseHostJson(raw);
}
