// Fault injection, applied by the server to any route operation whose name matches a rule's glob.
import picomatch from 'picomatch';
import { createSeededRandom, type SeededRandom } from './seeded-random.js';

export interface FaultRule {
  /** Glob on Route.operation, e.g. 'compute.vmss.*', 'batch.task.addCollection', '*'. */
  operation: string;
  kind: 'status' | 'latency' | 'lro-failed' | 'drop';
  status?: 429 | 409 | 500 | 503;
  /** Error code in the body; default per status and API family (e.g. TooManyRequests, ServerBusy). */
  code?: string;
  message?: string;
  /** For 429/503: Retry-After (seconds) and retry-after-ms; default 1. */
  retryAfterSeconds?: number;
  latencyInMs?: number;
  /** Fires on the next N matching calls, then the rule is gone. */
  count?: number;
  /** 0..1: fires on this share of matching calls, picked by a seeded RNG. Neither count nor rate: every call. */
  rate?: number;
}

export interface ActiveFaultRule extends FaultRule {
  id: string;
  /** How many times it has fired. */
  hits: number;
}

/** What the server does to one call: wait, then maybe answer with an error, drop the socket, or fail the LRO. */
export interface FaultPlan {
  latencyInMs: number;
  terminal?: ActiveFaultRule;
}

export class FaultInjector {
  private readonly rules: (ActiveFaultRule & { matches: (s: string) => boolean })[] = [];
  private nextId = 1;
  private random: SeededRandom;

  constructor(private readonly seed = 42) {
    this.random = createSeededRandom(seed);
  }

  add(rule: FaultRule): string {
    validate(rule);
    const id = `fault-${this.nextId++}`;
    this.rules.push({ ...rule, id, hits: 0, matches: picomatch(rule.operation, { nocase: true }) });
    return id;
  }

  remove(id: string): boolean {
    const k = this.rules.findIndex((r) => r.id === id);
    if (k >= 0) this.rules.splice(k, 1);
    return k >= 0;
  }

  clear(): void {
    this.rules.length = 0;
    this.random = createSeededRandom(this.seed);
  }

  list(): ActiveFaultRule[] {
    return this.rules.map(({ matches: _m, ...r }) => ({ ...r }));
  }

  /** Decides the faults for one call of `operation`, consuming counts of the rules that fire. */
  plan(operation: string): FaultPlan {
    const plan: FaultPlan = { latencyInMs: 0 };
    if (this.rules.length === 0) return plan;
    for (const rule of [...this.rules]) {
      if (!rule.matches(operation)) continue;
      if (rule.kind !== 'latency' && plan.terminal) continue;
      if (rule.rate !== undefined && this.random() >= rule.rate) continue;
      rule.hits++;
      if (rule.count !== undefined && --rule.count <= 0) this.remove(rule.id);
      if (rule.kind === 'latency') plan.latencyInMs += rule.latencyInMs ?? 0;
      else plan.terminal = rule;
    }
    return plan;
  }
}

function validate(rule: FaultRule): void {
  const kinds = ['status', 'latency', 'lro-failed', 'drop'];
  if (typeof rule.operation !== 'string' || rule.operation === '') throw new TypeError('fault rule needs an operation glob, e.g. "compute.vmss.*"');
  if (!kinds.includes(rule.kind)) throw new TypeError(`fault rule kind must be one of ${kinds.join(', ')}`);
  if (rule.kind === 'status' && ![429, 409, 500, 503].includes(rule.status as number)) throw new TypeError('a status fault needs status 429, 409, 500 or 503');
  if (rule.kind === 'latency' && !(typeof rule.latencyInMs === 'number' && rule.latencyInMs >= 0)) throw new TypeError('a latency fault needs latencyInMs >= 0');
  if (rule.count !== undefined && !(Number.isInteger(rule.count) && rule.count > 0)) throw new TypeError('count must be a positive integer');
  if (rule.rate !== undefined && !(rule.rate >= 0 && rule.rate <= 1)) throw new TypeError('rate must be between 0 and 1');
}
