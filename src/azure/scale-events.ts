// The ScaleEventStore port over the `scaleevents` table: PartitionKey = pool, RowKey = reverse time, so a plain
// range query returns a pool's events newest first. Structured parts are JSON columns (each well under 64 KiB).
import { randomBytes } from 'node:crypto';
import { odata, type TableClient, type TableEntityResult } from '@azure/data-tables';
import { AutoscaleError } from '../autoscale/errors.js';
import { tableCall } from './table-errors.js';
import type { ScaleEvent } from '../autoscale/scale-event.js';
import type { ScaleEventStore } from '../autoscale/scale-event-store.port.js';

const MAX_MS = 8_640_000_000_000_000;
const reverseTime = (at: Date) => String(MAX_MS - at.getTime()).padStart(16, '0');

type Row = Record<string, unknown>;

function toRow(e: ScaleEvent): Row & { partitionKey: string; rowKey: string } {
  const json = (v: unknown) => (v === undefined ? undefined : JSON.stringify(v));
  const row: Row = {
    partitionKey: e.pool,
    rowKey: `${reverseTime(e.at)}-${randomBytes(4).toString('hex')}`,
    at: e.at,
    kind: e.kind,
    trigger: e.trigger,
    outcome: e.outcome,
    direction: e.direction,
    reason: e.reason,
    observed: json(e.observed),
    plan: json(e.plan),
    actedOut: e.actedOut,
    actedIn: e.actedIn,
    steps: json(e.steps),
    errorCode: e.error?.code,
    errorMessage: e.error?.message,
    errorStep: e.error?.step,
    problems: json(e.problems),
    drained: json(e.drained),
    pending: json(e.pending),
    settled: json(e.settled),
    durationMs: e.durationMs,
    requestedBy: e.requestedBy,
  };
  return Object.fromEntries(Object.entries(row).filter(([, v]) => v !== undefined)) as Row & { partitionKey: string; rowKey: string };
}

function fromRow(r: TableEntityResult<Row>): ScaleEvent {
  const parse = (v: unknown) => (typeof v === 'string' ? (JSON.parse(v) as unknown) : undefined);
  const s = (v: unknown) => (v === undefined || v === null ? undefined : String(v));
  return {
    pool: String(r.partitionKey),
    at: new Date(r.at as string | Date),
    kind: r.kind as ScaleEvent['kind'],
    trigger: r.trigger as ScaleEvent['trigger'],
    outcome: r.outcome as ScaleEvent['outcome'],
    direction: r.direction as ScaleEvent['direction'],
    reason: String(r.reason ?? ''),
    observed: parse(r.observed) as ScaleEvent['observed'],
    plan: parse(r.plan) as ScaleEvent['plan'],
    actedOut: r.actedOut === true,
    actedIn: r.actedIn === true,
    steps: parse(r.steps) as string[] | undefined,
    error: r.errorCode ? { code: String(r.errorCode), message: String(r.errorMessage ?? ''), step: s(r.errorStep) } : undefined,
    problems: parse(r.problems) as ScaleEvent['problems'],
    drained: parse(r.drained) as string[] | undefined,
    pending: parse(r.pending) as string[] | undefined,
    settled: parse(r.settled) as string[] | undefined,
    durationMs: Number(r.durationMs ?? 0),
    requestedBy: s(r.requestedBy),
  };
}

export function createScaleEventStore(table: TableClient): ScaleEventStore {
  return {
    append: (event) => tableCall(`record an event of ${event.pool}`, async () => void (await table.createEntity(toRow(event)))),
    since: (pool, from) =>
      tableCall(`read recent events of ${pool}`, async () => {
        const events: ScaleEvent[] = [];
        // Newer events have smaller keys; '~' sorts after the '-' that follows the time part.
        const filter = odata`PartitionKey eq ${pool} and RowKey le ${`${reverseTime(from)}~`}`;
        for await (const r of table.listEntities<Row>({ queryOptions: { filter } })) events.push(fromRow(r));
        return events;
      }),
    async page(pool, { top, continuationToken }) {
      if (continuationToken !== undefined && !isWellFormedToken(continuationToken)) {
        throw new AutoscaleError('PAGE_TOKEN_INVALID', 'continuationToken is malformed; pass the one the previous page returned, or list again without it');
      }
      const pages = table.listEntities<Row>({ queryOptions: { filter: odata`PartitionKey eq ${pool}` } }).byPage({ maxPageSize: top, continuationToken });
      const first = await tableCall(`list events of ${pool}`, () => pages.next());
      if (first.done) return { events: [] };
      const page = first.value;
      return { events: page.map(fromRow), continuationToken: page.continuationToken };
    },
  };
}

/**
 * Whether a token has the shape this listing hands out: @azure/data-tables encodes the service's continuation keys
 * { nextPartitionKey, nextRowKey? } (opaque strings) as base64 JSON. Anything else would make the SDK throw.
 */
function isWellFormedToken(token: string): boolean {
  if (!/^[A-Za-z0-9+/=_-]{1,2048}$/.test(token)) return false;
  try {
    const t = JSON.parse(Buffer.from(token, 'base64').toString('utf8')) as { nextPartitionKey?: unknown; nextRowKey?: unknown };
    return t !== null && typeof t === 'object' && typeof t.nextPartitionKey === 'string' && (t.nextRowKey === undefined || typeof t.nextRowKey === 'string');
  } catch {
    return false;
  }
}
