import { describe, expect, it } from 'vitest';
import { defaultPolicy, policyFromJson } from '../../../src/simulator/policy-file.js';

describe('policy file', () => {
  it('fills every documented default and a simulated target', () => {
    const p = defaultPolicy();
    expect(p).toMatchObject({ kind: 'vmss', seatsPerInstance: 4, spareSeats: 0, idleMinutesBeforeScaleIn: 5, maxDeallocated: 0, scaleToZero: true });
    expect(policyFromJson('{"seatsPerInstance": 1, "spareSeats": 0}')).toMatchObject({ seatsPerInstance: 1, spareSeats: 0 });
  });

  it.each([
    ['{nope', /not valid JSON/],
    ['[1]', /JSON object of policy fields/],
    ['{"seatsPerInstance": 0, "scaleInActon": "delete"}', /seatsPerInstance must be at least 1.*scaleInActon is not a policy field/],
  ])('rejects %s with a message that says what to fix', (text, message) => {
    expect(() => policyFromJson(text, 'p.json')).toThrow(message);
  });
});
