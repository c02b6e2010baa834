// The Batch pools jobs can go to: each enabled policy joined with what Batch says about its pool (exists, VM size,
// task slots per node). Batch facts are cached per pool (they change only when an admin rebuilds a pool) and
// refreshed by every sync tick, which reads each pool anyway; a pool not in the cache is read once. A pool that
// Batch does not have, or whose node we cannot describe, is listed as unusable with the reason, never routed to.
import type { DescribedPool, NamedBatchPolicy } from './batch-policy.js';
import type { BatchPolicySource } from './batch-policy-source.port.js';
import type { BatchPort, PoolSnapshot } from './batch.port.js';
import { JobsError } from './errors.js';
import { vmSizeFacts } from './vm-sizes.js';

export interface PoolCatalogSet {
  pools: DescribedPool[];
  unusable: { name: string; poolId: string; reason: string }[];
  invalid: { name: string; problems: string[] }[];
}

export interface PoolSource {
  list(options?: { fresh?: boolean }): Promise<PoolCatalogSet>;
}

export type Described = { ok: true; pool: DescribedPool } | { ok: false; reason: string };

/** Joins a policy with its Batch pool; `undefined` snapshot = Batch has no such pool. Pure. */
export function describePool(policy: NamedBatchPolicy, snapshot: PoolSnapshot | undefined): Described {
  if (!snapshot) return { ok: false, reason: `Batch pool "${policy.poolId}" does not exist in the Batch account; create it, or point the policy's poolId at a pool that exists` };
  const vmSize = snapshot.vmSize ?? policy.vmSize;
  if (!vmSize) return { ok: false, reason: `Batch did not report the VM size of pool "${policy.poolId}"` };
  const known = vmSizeFacts(vmSize);
  const gpus = policy.gpusPerNode ?? known?.gpus;
  const cpus = policy.cpusPerNode ?? known?.cpus;
  const memory = policy.memoryGiBPerNode ?? known?.memoryGiB;
  if (gpus === undefined || cpus === undefined || memory === undefined) {
    return { ok: false, reason: `VM size ${vmSize} of Batch pool "${policy.poolId}" is not in dsvm-pool's VM size table; set gpusPerNode, cpusPerNode and memoryGiBPerNode in the policy` };
  }
  const { vmSize: _v, taskSlotsPerNode: _t, gpusPerNode: _g, cpusPerNode: _c, memoryGiBPerNode: _m, ...rest } = policy;
  return { ok: true, pool: { ...rest, vmSize: known?.name ?? vmSize, gpusPerNode: gpus, cpusPerNode: cpus, memoryGiBPerNode: memory, taskSlotsPerNode: snapshot.taskSlotsPerNode ?? 1 } };
}

const DEFAULT_TTL_MS = 10 * 60_000;

export class PoolCatalog implements PoolSource {
  private readonly facts = new Map<string, { at: number; snapshot: PoolSnapshot | undefined }>();

  constructor(
    private readonly policies: BatchPolicySource,
    private readonly batch: Pick<BatchPort, 'getPool'>,
    private readonly options: { ttlMs?: number; now?: () => number } = {},
  ) {}

  /** Records what sync just read (a snapshot, or undefined when Batch answered PoolNotFound). */
  remember(poolId: string, snapshot: PoolSnapshot | undefined): void {
    this.facts.set(poolId.toLowerCase(), { at: this.now(), snapshot });
  }

  async list(options: { fresh?: boolean } = {}): Promise<PoolCatalogSet> {
    const set = await this.policies.list(options);
    const out: PoolCatalogSet = { pools: [], unusable: [], invalid: set.invalid };
    await Promise.all(
      set.policies.map(async (policy) => {
        if (!policy.enabled) return;
        const d = describePool(policy, await this.snapshotOf(policy.poolId, options.fresh ?? false));
        if (d.ok) out.pools.push(d.pool);
        else out.unusable.push({ name: policy.name, poolId: policy.poolId, reason: d.reason });
      }),
    );
    out.pools.sort((a, b) => a.name.localeCompare(b.name));
    return out;
  }

  /** The pool as Batch describes it; undefined when Batch has no such pool. Transient errors are thrown. */
  async snapshotOf(poolId: string, fresh = false): Promise<PoolSnapshot | undefined> {
    const cached = this.facts.get(poolId.toLowerCase());
    const ttl = this.options.ttlMs ?? DEFAULT_TTL_MS;
    // A pool seen missing is asked again on a fresh read: it may have been created since.
    if (cached && this.now() - cached.at < ttl && !(fresh && !cached.snapshot)) return cached.snapshot;
    try {
      const snapshot = await this.batch.getPool(poolId);
      this.remember(poolId, snapshot);
      return snapshot;
    } catch (error) {
      if ((error as JobsError).code === 'BATCH_NOT_FOUND') {
        this.remember(poolId, undefined);
        return undefined;
      }
      if (cached) return cached.snapshot; // Batch busy: the last known facts beat failing a job
      throw error;
    }
  }

  private now(): number {
    return (this.options.now ?? Date.now)();
  }
}
