// Job records in table `jobs` (key design: src/jobs/job-record.ts). Every write is conditional: create fails on
// an existing row, replace carries the ETag read; a 412 becomes CONCURRENT_UPDATE for the core to re-read.
import { odata, type TableClient, type TableEntityResult, type TransactionAction } from '@azure/data-tables';
import { JobsError } from '../jobs/errors.js';
import type { JobRecord, StoredJob } from '../jobs/job-record.js';
import { ACTIVE_PARTITION, ALL_PARTITION, allIndexRowKey, jobIdFromAllIndexRowKey, keysOf, POOL_STATE_PARTITION, userPartition } from '../jobs/job-record.js';
import type { JobSpec } from '../jobs/job-spec.js';
import type { ActiveEntry, CreateJobResult, IdempotencyRow, JobListQuery, JobPage, JobStore, PoolState } from '../jobs/job-store.port.js';
import { userKeyOf } from '../jobs/spec-hash.js';
import { IndexBatcher } from './index-batcher.js';
import { classifyStorageError, statusOf } from './job-store-errors.js';

type Entity = Record<string, unknown> & { partitionKey: string; rowKey: string };

// A Table string property holds at most 64 KiB (32K UTF-16 chars); a 64 KiB spec is split over several columns.
const CHUNK = 30_000;

function toEntity(r: JobRecord): Entity {
  const keys = keysOf(r.id);
  if (!keys) throw new JobsError('INTERNAL', `not a job id: ${r.id}`);
  const { spec, ...rest } = r;
  const specJson = JSON.stringify(spec);
  const entity: Entity = {
    partitionKey: keys.partitionKey,
    rowKey: keys.rowKey,
    // Queryable columns; the rest of the record is one JSON column.
    user: r.user,
    state: r.state,
    pool: r.pool ?? '',
    submittedAt: r.submittedAt,
    data: JSON.stringify(rest),
    specChunks: Math.ceil(specJson.length / CHUNK),
  };
  for (let i = 0; i * CHUNK < specJson.length; i++) entity[`spec${i}`] = specJson.slice(i * CHUNK, (i + 1) * CHUNK);
  return entity;
}

function fromEntity(e: TableEntityResult<Record<string, unknown>>): JobRecord {
  const rest = JSON.parse(String(e.data)) as Omit<JobRecord, 'spec'>;
  let specJson = '';
  for (let i = 0; i < Number(e.specChunks ?? 0); i++) specJson += String(e[`spec${i}`] ?? '');
  return { ...rest, spec: JSON.parse(specJson) as JobSpec };
}

function stored(e: TableEntityResult<Record<string, unknown>>): StoredJob {
  return { record: fromEntity(e), etag: e.etag };
}

async function guard<T>(what: string, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    throw classifyStorageError(what, error);
  }
}

export function createJobStore(table: TableClient): JobStore {
  const indexes = new IndexBatcher(table);
  async function getEntity(pk: string, rk: string): Promise<TableEntityResult<Record<string, unknown>> | undefined> {
    try {
      return await table.getEntity<Record<string, unknown>>(pk, rk);
    } catch (error) {
      if (statusOf(error) === 404) return undefined;
      throw classifyStorageError(`reading ${pk}/${rk}`, error);
    }
  }

  async function get(id: string): Promise<StoredJob | undefined> {
    const keys = keysOf(id);
    if (!keys) return undefined;
    const e = await getEntity(keys.partitionKey, keys.rowKey);
    return e ? stored(e) : undefined;
  }

  async function getIdempotency(user: string, keyHash: string): Promise<IdempotencyRow | undefined> {
    const e = await getEntity(userPartition(userKeyOf(user)), `k-${keyHash}`);
    return e ? { jobId: String(e.jobId), payloadHash: String(e.payloadHash), createdAt: String(e.createdAt), etag: e.etag } : undefined;
  }

  async function page(filter: string, query: JobListQuery, toRecord: (e: TableEntityResult<Record<string, unknown>>) => Promise<JobRecord | undefined>): Promise<JobPage> {
    const items: { rowKey: string; record: JobRecord }[] = [];
    const iter = table.listEntities<Record<string, unknown>>({ queryOptions: { filter } }).byPage({ maxPageSize: Math.min(1000, query.top + 1) });
    for await (const batch of iter) {
      const records = await Promise.all(batch.map((e) => toRecord(e)));
      batch.forEach((e, i) => {
        const record = records[i];
        if (record) items.push({ rowKey: e.rowKey!, record });
      });
      if (items.length > query.top) break;
    }
    const more = items.length > query.top;
    const kept = items.slice(0, query.top);
    return { items: kept.map((i) => i.record), after: more ? kept[kept.length - 1]!.rowKey : undefined };
  }

  return {
    get,

    getIdempotency,

    async create(record, idem): Promise<CreateJobResult> {
      const entity = toEntity(record);
      const actions: TransactionAction[] = [['create', entity]];
      if (idem) {
        const row = { partitionKey: entity.partitionKey, rowKey: `k-${idem.keyHash}`, jobId: record.id, payloadHash: idem.payloadHash, createdAt: record.submittedAt };
        actions.push(idem.replaceIdempotencyEtag ? ['update', row, 'Replace', { etag: idem.replaceIdempotencyEtag }] : ['create', row]);
      }
      let etag: string | undefined;
      try {
        if (actions.length === 1) etag = (await table.createEntity(entity)).etag;
        else etag = (await table.submitTransaction(actions)).getResponseForEntity(entity.rowKey)?.etag;
      } catch (error) {
        const status = statusOf(error);
        if (idem && (status === 409 || status === 412)) {
          const existing = await getIdempotency(record.user, idem.keyHash);
          if (existing) return { created: false, existing };
        }
        throw classifyStorageError(`creating job ${record.id}`, error);
      }
      if (etag) return { created: true, stored: { record, etag } };
      // No ETag in the answer (older emulators): read it back.
      const written = await getEntity(entity.partitionKey, entity.rowKey);
      if (!written) throw new JobsError('STORAGE_FAILED', `job ${record.id} vanished right after it was written`);
      return { created: true, stored: stored(written) };
    },

    async replace(current, next) {
      const entity = toEntity(next);
      try {
        const res = await table.updateEntity(entity, 'Replace', { etag: current.etag });
        return { record: next, etag: res.etag! };
      } catch (error) {
        const status = statusOf(error);
        if (status === 412 || status === 409) throw new JobsError('CONCURRENT_UPDATE', `job ${next.id} was changed by someone else; re-read`, { cause: error });
        if (status === 404) throw new JobsError('JOB_NOT_FOUND', `job ${next.id} is gone`, { cause: error });
        throw classifyStorageError(`updating job ${next.id}`, error);
      }
    },

    // Concurrent submits share one batch transaction per index partition (index-batcher.ts).
    addIndexes: (record, which = 'both') =>
      guard(`indexing job ${record.id}`, async () => {
        await Promise.all([
          ...(which !== 'all' ? [indexes.upsert({ partitionKey: ACTIVE_PARTITION, rowKey: record.id, createdAt: record.submittedAt })] : []),
          ...(which !== 'active' ? [indexes.upsert({ partitionKey: ALL_PARTITION, rowKey: allIndexRowKey(record.id), jobId: record.id })] : []),
        ]);
      }),

    async removeIndexes(jobId, which) {
      const rows: [string, string][] = [];
      if (which !== 'all') rows.push([ACTIVE_PARTITION, jobId]);
      if (which !== 'active') rows.push([ALL_PARTITION, allIndexRowKey(jobId)]);
      await guard(`removing index rows of ${jobId}`, () => Promise.all(rows.map(([pk, rk]) => table.deleteEntity(pk, rk).catch((e) => (statusOf(e) === 404 ? undefined : Promise.reject(e))))));
    },

    listActive: () =>
      guard('listing active jobs', async () => {
        const out: ActiveEntry[] = [];
        const filter = odata`PartitionKey eq ${ACTIVE_PARTITION}`;
        for await (const e of table.listEntities<Record<string, unknown>>({ queryOptions: { filter, select: ['RowKey', 'createdAt'] } })) {
          out.push({ jobId: e.rowKey!, createdAt: String(e.createdAt) });
        }
        return out;
      }),

    listByUser: (user, query) =>
      guard(`listing jobs of ${user}`, () => {
        const pk = userPartition(userKeyOf(user));
        let filter = odata`PartitionKey eq ${pk} and RowKey gt ${query.after ?? 'j-'} and RowKey lt ${'j.'} and user eq ${user}`;
        if (query.state) filter += odata` and state eq ${query.state}`;
        if (query.pool) filter += odata` and pool eq ${query.pool}`;
        return page(filter, query, async (e) => fromEntity(e));
      }),

    listAll: (query) =>
      guard('listing all jobs', () => {
        const filter = query.after ? odata`PartitionKey eq ${ALL_PARTITION} and RowKey gt ${query.after}` : odata`PartitionKey eq ${ALL_PARTITION}`;
        return page(filter, query, async (e) => {
          const id = jobIdFromAllIndexRowKey(e.rowKey!);
          const s = id ? await get(id) : undefined;
          if (!s) return undefined; // an index row whose record never came
          if (query.state && s.record.state !== query.state) return undefined;
          if (query.pool && s.record.pool !== query.pool) return undefined;
          return s.record;
        });
      }),

    listUserActive: (user) =>
      guard(`listing active jobs of ${user}`, async () => {
        const pk = userPartition(userKeyOf(user));
        const filter = odata`PartitionKey eq ${pk} and RowKey gt ${'j-'} and RowKey lt ${'j.'} and state ne ${'succeeded'} and state ne ${'failed'} and state ne ${'cancelled'}`;
        const out: JobRecord[] = [];
        for await (const e of table.listEntities<Record<string, unknown>>({ queryOptions: { filter } })) out.push(fromEntity(e));
        return out;
      }),

    async getPoolState(pool) {
      const e = await getEntity(POOL_STATE_PARTITION, pool);
      const text = (v: unknown) => (typeof v === 'string' && v ? v : undefined);
      if (!e) return {};
      const usage = text(e.usage);
      return { idleSince: text(e.idleSince), problem: text(e.problem), usage: usage ? JSON.parse(usage) : undefined, usageAt: text(e.usageAt), etag: e.etag };
    },

    async putPoolState(pool, state: PoolState) {
      const entity = {
        partitionKey: POOL_STATE_PARTITION,
        rowKey: pool,
        idleSince: state.idleSince ?? '',
        problem: state.problem ?? '',
        usage: state.usage ? JSON.stringify(state.usage) : '',
        usageAt: state.usageAt ?? '',
      };
      try {
        if (state.etag) await table.updateEntity(entity, 'Replace', { etag: state.etag });
        else await table.createEntity(entity);
      } catch (error) {
        const status = statusOf(error);
        if (status === 409 || status === 412) return; // another sync wrote first; next tick decides again
        throw classifyStorageError(`writing pool state of ${pool}`, error);
      }
    },
  };
}
