// The batch policy rows (kind `batch` in table `policies`). Invalid rows are reported, not thrown: the other
// pools carry on.
import type { NamedBatchPolicy } from './batch-policy.js';

export interface BatchPolicySet {
  policies: NamedBatchPolicy[];
  invalid: { name: string; problems: string[] }[];
  /** Names of the policy rows of kind vmss (VM pools for interactive sessions), to tell someone who pins a job to one. */
  vmPools?: string[];
}

export interface BatchPolicySource {
  /** `fresh` skips any cache (a job pinned to a pool saved seconds ago must not fail because of a cache). */
  list(options?: { fresh?: boolean }): Promise<BatchPolicySet>;
}
