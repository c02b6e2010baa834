// Routing: which Batch pool runs a job, and how many task slots it takes there. Pure. Only described pools (the
// Batch pool exists and its node is known, see pool-catalog.ts) are candidates; a job pinned to an unusable pool is
// told why.
import type { DescribedPool } from './batch-policy.js';
import type { JobSpec } from './job-spec.js';

/**
 * A refusal carries `errors` (problem+json shape) when the job itself is what does not fit: ROUTE_IMPOSSIBLE names
 * `resources.gpus`, `resources.cpus`, `resources.memoryGiB` (the largest node has less), `resources` (no one node has
 * it all) or `pool` (a pinned pool with maxNodes 0); ROUTE_NO_POOL names `resources.gpus` (GPU job) or `pool` (CPU job).
 */
export type RouteResult =
  | { ok: true; policy: DescribedPool; requiredSlots: number }
  | { ok: false; code: 'ROUTE_UNKNOWN_POOL' | 'ROUTE_IMPOSSIBLE' | 'ROUTE_NO_POOL' | 'ROUTE_POOL_UNUSABLE'; reason: string; errors?: FieldGap[] };

/** One field of the job spec that no node can satisfy, and why. */
export interface FieldGap {
  field: string;
  message: string;
}

/** A pool with a policy that cannot take jobs now, and why (see pool-catalog.ts). */
export interface UnusablePool {
  name: string;
  reason: string;
}

type Resources = JobSpec['resources'];

/** Each reason one node of the pool cannot hold the job; empty when it fits. */
function gapsOf(r: Resources, p: DescribedPool): FieldGap[] {
  const gaps: FieldGap[] = [];
  const node = `a node of pool "${p.name}" (${p.vmSize})`;
  if (r.gpus > p.gpusPerNode) gaps.push({ field: 'resources.gpus', message: `needs ${r.gpus} GPUs, ${node} has ${p.gpusPerNode}` });
  if (r.cpus > p.cpusPerNode) gaps.push({ field: 'resources.cpus', message: `needs ${r.cpus} vCPUs, ${node} has ${p.cpusPerNode}` });
  if (r.memoryGiB > p.memoryGiBPerNode) gaps.push({ field: 'resources.memoryGiB', message: `needs ${r.memoryGiB} GiB memory, ${node} has ${p.memoryGiBPerNode}` });
  if (p.maxNodes === 0) gaps.push({ field: 'pool', message: `pool "${p.name}" has maxNodes 0` });
  return gaps;
}

/** Why one node of the pool cannot hold the job, or undefined when it fits. */
function misfit(r: Resources, p: DescribedPool): string | undefined {
  const gaps = gapsOf(r, p);
  return gaps.length ? gaps.map((g) => g.message).join('; ') : undefined;
}

/** Task slots a job takes on a node, so that jobs sharing a node never oversubscribe GPUs, vCPUs or memory. */
export function requiredSlots(r: Resources, p: DescribedPool): number {
  const s = p.taskSlotsPerNode;
  const shares = [Math.ceil((r.cpus * s) / p.cpusPerNode), Math.ceil((r.memoryGiB * s) / p.memoryGiBPerNode)];
  if (p.gpusPerNode > 0) shares.push(Math.ceil((r.gpus * s) / p.gpusPerNode));
  return Math.min(s, Math.max(1, ...shares));
}

function nodeSize(p: DescribedPool): [number, number, number] {
  return [p.gpusPerNode, p.cpusPerNode, p.memoryGiBPerNode];
}

function smallerFirst(a: DescribedPool, b: DescribedPool): number {
  const [x, y] = [nodeSize(a), nodeSize(b)];
  for (let i = 0; i < 3; i++) if (x[i] !== y[i]) return x[i]! - y[i]!;
  return a.name.localeCompare(b.name);
}

export function routeJob(spec: Pick<JobSpec, 'resources' | 'pool'>, policies: DescribedPool[], unusable: UnusablePool[] = []): RouteResult {
  const enabled = policies.filter((p) => p.enabled);
  const r = spec.resources;
  if (spec.pool !== 'auto') {
    const p = enabled.find((q) => q.name === spec.pool);
    const broken = unusable.find((q) => q.name === spec.pool);
    if (!p && broken) return { ok: false, code: 'ROUTE_POOL_UNUSABLE', reason: `pool "${spec.pool}" cannot take jobs: ${broken.reason}.` };
    if (!p) {
      const known = enabled.map((q) => q.name).join(', ') || 'none';
      return { ok: false, code: 'ROUTE_UNKNOWN_POOL', reason: `pool "${spec.pool}" is not an enabled Batch pool; known pools: ${known}. Use "auto" or one of those.` };
    }
    const gaps = gapsOf(r, p);
    if (!gaps.length) return { ok: true, policy: p, requiredSlots: requiredSlots(r, p) };
    return { ok: false, code: 'ROUTE_IMPOSSIBLE', reason: `${gaps.map((g) => g.message).join('; ')}. Ask for less or choose another pool.`, errors: gaps };
  }
  const wantsGpu = r.gpus > 0;
  const kind = wantsGpu ? 'GPU' : 'CPU';
  const candidates = enabled.filter((p) => (wantsGpu ? p.gpusPerNode > 0 : p.gpusPerNode === 0)).sort(smallerFirst);
  if (candidates.length === 0) {
    const reason = `no enabled ${kind} pool is configured; an admin must add a batch policy with ${wantsGpu ? 'gpusPerNode > 0' : 'gpusPerNode 0'}.`;
    return { ok: false, code: 'ROUTE_NO_POOL', reason, errors: [{ field: wantsGpu ? 'resources.gpus' : 'pool', message: `no enabled ${kind} pool is configured` }] };
  }
  const fitting = candidates.find((p) => !misfit(r, p));
  if (fitting) return { ok: true, policy: fitting, requiredSlots: requiredSlots(r, fitting) };
  const largest = candidates[candidates.length - 1]!;
  const limits: FieldGap[] = [];
  const [cpus, memory] = [Math.max(...candidates.map((p) => p.cpusPerNode)), Math.max(...candidates.map((p) => p.memoryGiBPerNode))];
  if (r.gpus > largest.gpusPerNode) limits.push({ field: 'resources.gpus', message: `needs ${r.gpus} GPUs, largest GPU node has ${largest.gpusPerNode}` });
  if (r.cpus > cpus) limits.push({ field: 'resources.cpus', message: `needs ${r.cpus} vCPUs, largest ${kind} node has ${cpus}` });
  if (r.memoryGiB > memory) limits.push({ field: 'resources.memoryGiB', message: `needs ${r.memoryGiB} GiB memory, largest ${kind} node has ${memory} GiB` });
  // No single limit is too small, but no one node has it all (or the pools that would may not grow).
  if (!limits.length) limits.push({ field: 'resources', message: candidates.map((p) => misfit(r, p)).join('; ') });
  return { ok: false, code: 'ROUTE_IMPOSSIBLE', reason: `no ${kind} pool can run this job: ${limits.map((l) => l.message).join('; ')}. Ask for less.`, errors: limits };
}
