// The control API under /_emulator/…: the same operations as the programmatic Emulator API, over HTTPS, for people
// playing with `npm start` and for tools outside the test process. No bearer token needed (loopback only).
import { errorResponse } from '../error-body.js';
import type { FaultRule } from '../faults.js';
import type { EmuRequest, EmuResponse, Route } from '../route.js';
import type { SessionKind } from '../../../autoscale/session-metric.js';

/** What the control API drives; implemented by the emulator itself (index.ts). */
export interface EmulatorControl {
  state(): unknown;
  createScaleSet(o: { subscriptionId?: string; resourceGroup: string; name: string; capacity?: number; location?: string; vmSize?: string; startRunning?: boolean }): string;
  setSessions(scaleSet: string, instanceId: string, s: { jupyter?: number; ssh?: number }): void;
  setUsers(scaleSet: string, users: number, kind?: SessionKind): { unplaced: number };
  setReporting(scaleSet: string, instanceId: string, enabled: boolean): void;
  killedSessions(scaleSet?: string): number;
  faults: { add(rule: FaultRule): string; remove(id: string): boolean; clear(): void; list(): unknown[] };
  clockNow(): Date;
  /** Simulated seconds per real second (60 under npm start); undefined for a manual clock, which moves only when advanced. */
  clockSpeed(): number | undefined;
  advanceClock(o: { seconds?: number; to?: string }): Date;
  calls(filter?: { operation?: string }): number;
  callsByOperation(): Record<string, number>;
  reset(): void;
}

export function createControlRoutes(c: EmulatorControl): Route[] {
  const route = (method: Route['method'], path: string, operation: string, run: (req: EmuRequest) => EmuResponse | unknown): Route => ({
    method,
    pattern: `/_emulator${path}`,
    operation: `control.${operation}`,
    family: 'control',
    handle: (req) => {
      try {
        const result = run(req);
        return isResponse(result) ? result : { status: 200, body: result ?? {} };
      } catch (e) {
        return errorResponse('control', 400, (e as { code?: string }).code ?? 'BadRequest', e instanceof Error ? e.message : String(e));
      }
    },
  });
  const body = <T>(req: EmuRequest): Partial<T> => (req.body ?? {}) as Partial<T>;

  return [
    route('GET', '/state', 'state', () => c.state()),
    route('POST', '/scalesets', 'createScaleSet', (req) => {
      const b = body<Parameters<EmulatorControl['createScaleSet']>[0]>(req);
      return { status: 201, body: { id: c.createScaleSet({ ...b, resourceGroup: required(b.resourceGroup, 'resourceGroup'), name: required(b.name, 'name') }) } };
    }),
    route('POST', '/sessions', 'setSessions', (req) => {
      const b = body<{ scaleSet: string; instanceId: string; jupyter: number; ssh: number }>(req);
      c.setSessions(required(b.scaleSet, 'scaleSet'), required(b.instanceId, 'instanceId'), { jupyter: b.jupyter, ssh: b.ssh });
      return { status: 204 };
    }),
    route('POST', '/users', 'setUsers', (req) => {
      const b = body<{ scaleSet: string; users: number; kind: SessionKind }>(req);
      return c.setUsers(required(b.scaleSet, 'scaleSet'), required(b.users, 'users'), b.kind);
    }),
    route('POST', '/reporting', 'setReporting', (req) => {
      const b = body<{ scaleSet: string; instanceId: string; enabled: boolean }>(req);
      c.setReporting(required(b.scaleSet, 'scaleSet'), required(b.instanceId, 'instanceId'), required(b.enabled, 'enabled'));
      return { status: 204 };
    }),
    route('GET', '/killed', 'killed', (req) => ({ killedSessions: c.killedSessions(req.query.get('scaleSet') ?? undefined) })),
    route('GET', '/faults', 'listFaults', () => ({ value: c.faults.list() })),
    route('POST', '/faults', 'addFault', (req) => ({ status: 201, body: { id: c.faults.add(body<FaultRule>(req) as FaultRule) } })),
    route('DELETE', '/faults', 'clearFaults', () => (c.faults.clear(), { status: 204 })),
    route('DELETE', '/faults/{id}', 'removeFault', (req) => (c.faults.remove(req.params.id!) ? { status: 204 } : errorResponse('control', 404, 'NotFound', `No fault rule ${req.params.id}.`))),
    // `speed` lets tools outside the app (the CLI) turn app-clock times into real seconds for people.
    route('GET', '/clock', 'getClock', () => clockAnswer(c.clockNow(), c.clockSpeed())),
    route('POST', '/clock', 'advanceClock', (req) => clockAnswer(c.advanceClock(body<{ seconds: number; to: string }>(req)), c.clockSpeed())),
    route('GET', '/calls', 'calls', (req) => ({ count: c.calls({ operation: req.query.get('operation') ?? undefined }), byOperation: c.callsByOperation() })),
    route('POST', '/reset', 'reset', () => (c.reset(), { status: 204 })),
  ];
}

/** `{ now, speed }`: the simulated now (ISO) and simulated seconds per real second, left out for a manual clock. */
function clockAnswer(now: Date, speed: number | undefined): { now: string; speed?: number } {
  return { now: now.toISOString(), ...(speed === undefined ? {} : { speed }) };
}

function required<T>(value: T | undefined, name: string): T {
  if (value === undefined || value === null) throw Object.assign(new Error(`"${name}" is required in the JSON body.`), { code: 'MissingParameter' });
  return value;
}

function isResponse(x: unknown): x is EmuResponse {
  return typeof x === 'object' && x !== null && typeof (x as EmuResponse).status === 'number' && Object.keys(x).every((k) => ['status', 'headers', 'body'].includes(k));
}
