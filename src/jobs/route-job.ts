// Routing: which Batch pool runs a job, and how many task slots it takes there. Pure. Only described pools (the
// Batch pool exists and its node is known, see pool-catalog.ts) are candidates; a job pinned to an unusable pool is
// told why.
import type { DescribedPool } from './batch-policy.js';
import type { JobSpec } from './job-spec.js';

export type RouteResult =
  | { ok: true; policy: DescribedPool; requiredSlots: number }
  | { ok: false; code: 'ROUTE_UNKNOWN_POOL' | 'ROUTE_IMPOSSIBLE' | 'ROUTE_NO_POOL' | 'ROUTE_POOL_UNUSABLE'; reason: string };

/** A pool with a policy that cannot take jobs now, and why (see pool-catalog.ts). */
export interface UnusablePool {
  name: string;
  reason: string;
}

type Resources = JobSpec['resources'];

/** Why one node of the pool cannot hold the job, or undefined when it fits. */
function misfit(r: Resources, p: DescribedPool): string | undefined {
  const gaps: string[] = [];
  if (r.gpus > p.gpusPerNode) gaps.push(`needs ${r.gpus} GPUs, a node of pool "${p.name}" (${p.vmSize}) has ${p.gpusPerNode}`);
  if (r.cpus > p.cpusPerNode) gaps.push(`needs ${r.cpus} vCPUs, a node of pool "${p.name}" (${p.vmSize}) has ${p.cpusPerNode}`);
  if (r.memoryGiB > p.memoryGiBPerNode)
    gaps.push(`needs ${r.memoryGiB} GiB memory, a node of pool "${p.name}" (${p.vmSize}) has ${p.memoryGiBPerNode}`);
  if (p.maxNodes === 0) gaps.push(`pool "${p.name}" has maxNodes 0`);
  return gaps.length ? gaps.join('; ') : undefined;
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
    const gap = misfit(r, p);
    return gap ? { ok: false, code: 'ROUTE_IMPOSSIBLE', reason: `${gap}. Ask for less or choose another pool.` } : { ok: true, policy: p, requiredSlots: requiredSlots(r, p) };
  }
  const wantsGpu = r.gpus > 0;
  const kind = wantsGpu ? 'GPU' : 'CPU';
  const candidates = enabled.filter((p) => (wantsGpu ? p.gpusPerNode > 0 : p.gpusPerNode === 0)).sort(smallerFirst);
  if (candidates.length === 0) {
    return { ok: false, code: 'ROUTE_NO_POOL', reason: `no enabled ${kind} pool is configured; an admin must add a batch policy with ${wantsGpu ? 'gpusPerNode > 0' : 'gpusPerNode 0'}.` };
  }
  const fitting = candidates.find((p) => !misfit(r, p));
  if (fitting) return { ok: true, policy: fitting, requiredSlots: requiredSlots(r, fitting) };
  const largest = candidates[candidates.length - 1]!;
  const limits: string[] = [];
  if (r.gpus > largest.gpusPerNode) limits.push(`needs ${r.gpus} GPUs, largest GPU node has ${largest.gpusPerNode}`);
  if (r.cpus > Math.max(...candidates.map((p) => p.cpusPerNode)))
    limits.push(`needs ${r.cpus} vCPUs, largest ${kind} node has ${Math.max(...candidates.map((p) => p.cpusPerNode))}`);
  if (r.memoryGiB > Math.max(...candidates.map((p) => p.memoryGiBPerNode)))
    limits.push(`needs ${r.memoryGiB} GiB memory, largest ${kind} node has ${Math.max(...candidates.map((p) => p.memoryGiBPerNode))} GiB`);
  const detail = limits.length ? limits.join('; ') : candidates.map((p) => misfit(r, p)).join('; ');
  return { ok: false, code: 'ROUTE_IMPOSSIBLE', reason: `no ${kind} pool can run this job: ${detail}. Ask for less.` };
}
