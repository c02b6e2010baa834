// The VM size table: what a node of each size our pools use offers, looked up in any case (Batch reports lower case).
import { describe, expect, it } from 'vitest';
import { vmSizeFacts } from '../../../src/jobs/vm-sizes.js';

describe('vmSizeFacts', () => {
  // Microsoft Learn's series pages: Dsv5/Dv5 4 GiB per vCPU, Esv5 8 GiB per vCPU, NCasT4_v3 and NC A100 v4 as listed.
  it.each([
    ['standard_nc4as_t4_v3', { name: 'Standard_NC4as_T4_v3', cpus: 4, memoryGiB: 28, gpus: 1 }],
    ['Standard_NC96ads_A100_v4', { name: 'Standard_NC96ads_A100_v4', cpus: 96, memoryGiB: 880, gpus: 4 }],
    ['standard_d2s_v5', { name: 'Standard_D2s_v5', cpus: 2, memoryGiB: 8, gpus: 0 }],
    ['standard_d96s_v5', { name: 'Standard_D96s_v5', cpus: 96, memoryGiB: 384, gpus: 0 }],
    ['standard_d4_v5', { name: 'Standard_D4_v5', cpus: 4, memoryGiB: 16, gpus: 0 }],
    ['STANDARD_D96_V5', { name: 'Standard_D96_v5', cpus: 96, memoryGiB: 384, gpus: 0 }],
    ['standard_e2s_v5', { name: 'Standard_E2s_v5', cpus: 2, memoryGiB: 16, gpus: 0 }],
    ['standard_e64s_v5', { name: 'Standard_E64s_v5', cpus: 64, memoryGiB: 512, gpus: 0 }],
  ])('knows %s', (size, facts) => {
    expect(vmSizeFacts(size)).toEqual(facts);
  });

  it.each(['standard_e96s_v5', 'standard_d6s_v5', 'standard_e4_v5', 'standard_nc4as_t4_v2', ''])('does not know %j', (size) => {
    expect(vmSizeFacts(size)).toBeUndefined();
  });
});
