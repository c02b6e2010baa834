// ARM Compute routes for VM Scale Sets (Uniform orchestration) over the scale-set registry: GET/PATCH/PUT of the
// VMSS, instance actions (delete, deallocate, start, powerOff) and VMSS VMs (list, get, PUT protection, DELETE),
// all writes as long-running operations with an absolute Azure-AsyncOperation URL to our own status resource.
import type { SimClock } from '../sim-clock.js';
import { errorResponse } from '../error-body.js';
import type { EmuRequest, EmuResponse, Route } from '../route.js';
import { ComputeModelError } from './errors.js';
import { OperationTracker, type OperationRecord } from './operation-tracker.js';
import type { ScaleInRule } from './pool-model.js';
import { parseRunCommandInput, runCommandResult, runScript } from './run-command.js';
import type { ScaleSetRecord, ScaleSetRegistry } from './scale-set-registry.js';
import { scaleSetBody, scaleSetInstanceView, vmBody, vmInstanceView } from './vmss-wire.js';

const RESOURCE_GROUP_VMSS = '/subscriptions/{subscriptionId}/resourceGroups/{resourceGroupName}/providers/Microsoft.Compute/virtualMachineScaleSets';
const VMSS = '/subscriptions/{subscriptionId}/resourceGroups/{resourceGroupName}/providers/Microsoft.Compute/virtualMachineScaleSets/{vmScaleSetName}';
const CONFLICT = 'The request failed due to conflict with a concurrent request. To resolve it, please refer to https://aka.ms/activitylog to get more details on the conflicting requests.';
const SCALE_IN_RULES: ScaleInRule[] = ['Default', 'NewestVM', 'OldestVM'];

export interface ComputeRoutesOptions {
  registry: ScaleSetRegistry;
  operations: OperationTracker;
  clock: SimClock;
  /** Real-time speed factor of a scaled clock, for Retry-After. */
  speed?: number;
  /** Items per page of the VMSS VM list (Azure pages much later; tests use small pages). */
  vmListPageSize: () => number;
}

type Handler = (req: EmuRequest, r: ScaleSetRecord) => EmuResponse;
/** Applies a write to the model; returns the instances whose state it changed (the operation ends when they settle). */
type Action = (req: EmuRequest, r: ScaleSetRecord, now: Date) => readonly string[] | undefined;

export function createComputeRoutes(o: ComputeRoutesOptions): Route[] {
  const { registry, operations, clock } = o;

  const withScaleSet = (handler: Handler) => (req: EmuRequest): EmuResponse => {
    const r = registry.find(req.params.subscriptionId!, req.params.resourceGroupName!, req.params.vmScaleSetName!);
    if (!r) return notFound(req, registry);
    r.model.advance(clock.now());
    try {
      return handler(req, r);
    } catch (e) {
      if (e instanceof ComputeModelError) return errorResponse('arm', 400, 'InvalidParameter', e.message);
      throw e;
    }
  };

  /**
   * Runs a write as an LRO: 409 while another runs on the set; an injected 'lro-failed' leaves the state as it was.
   * An operation that changed instances ends when they reach their new state (Azure-AsyncOperation stays
   * InProgress until then; see operation-tracker.ts for the sources).
   */
  const lro = (req: EmuRequest, r: ScaleSetRecord, apply: Action, respond: (op: OperationRecord) => EmuResponse): EmuResponse => {
    const key = r.id.toLowerCase();
    if (operations.running(key)) return errorResponse('arm', 409, 'Conflict', CONFLICT);
    const now = clock.now();
    const changed = req.lroFailure ? undefined : apply(req, r, now);
    const instancesSettleAtMs = changed && changed.length > 0 ? r.model.settledAtMs(changed, now) : undefined;
    const op = operations.start({ scaleSetKey: key, subscriptionId: r.subscriptionId, location: r.location, failure: req.lroFailure, instancesSettleAtMs });
    return respond(op);
  };

  const asyncHeaders = (req: EmuRequest, op: OperationRecord, withLocation: boolean): Record<string, string> => {
    const statusUrl = `${req.baseUrl}/subscriptions/${op.subscriptionId}/providers/Microsoft.Compute/locations/${op.location}/operations/${op.id}?api-version=${apiVersion(req)}`;
    const headers: Record<string, string> = { 'azure-asyncoperation': statusUrl, 'retry-after': String(operations.retryAfterSeconds(op, o.speed)) };
    if (withLocation) headers.location = `${statusUrl}&monitor=true`;
    return headers;
  };

  const action = (name: string, apply: Action): Route => ({
    method: 'POST',
    pattern: `${VMSS}/${name}`,
    operation: `compute.vmss.${name === 'poweroff' ? 'powerOff' : name}`,
    family: 'arm',
    handle: withScaleSet((req, r) => lro(req, r, apply, (op) => ({ status: 202, headers: asyncHeaders(req, op, true) }))),
  });

  const updateScaleSet: Handler = (req, r) => {
    const { capacity, rule } = parseScaleSetPatch(req.body);
    return lro(
      req,
      r,
      (_req, rec, now) => {
        if (rule) rec.model.scaleInRule = rule;
        if (capacity === undefined) return undefined;
        const change = rec.model.setCapacity(capacity, now);
        return [...change.created, ...change.removed];
      },
      (op) => ({ status: 200, headers: asyncHeaders(req, op, false), body: scaleSetBody(r, op.status === 'InProgress' ? 'Updating' : 'Succeeded') }),
    );
  };

  const putScaleSet = (req: EmuRequest): EmuResponse => {
    const p = req.params;
    if (registry.find(p.subscriptionId!, p.resourceGroupName!, p.vmScaleSetName!)) return withScaleSet(updateScaleSet)(req);
    const body = (req.body ?? {}) as { location?: string; sku?: { name?: string } };
    const { capacity } = parseScaleSetPatch(req.body);
    const r = registry.create(
      { subscriptionId: p.subscriptionId, resourceGroup: p.resourceGroupName!, name: p.vmScaleSetName!, capacity: capacity ?? 0, location: body.location, vmSize: body.sku?.name },
      clock.now(),
    );
    const created = r.model.instances().map((i) => i.instanceId);
    const instancesSettleAtMs = created.length > 0 ? r.model.settledAtMs(created, clock.now()) : undefined;
    const op = operations.start({ scaleSetKey: r.id.toLowerCase(), subscriptionId: r.subscriptionId, location: r.location, instancesSettleAtMs });
    return { status: 201, headers: asyncHeaders(req, op, false), body: scaleSetBody(r, 'Updating') };
  };

  const vmRoute = (method: Route['method'], operation: string, handler: (req: EmuRequest, r: ScaleSetRecord, instanceId: string) => EmuResponse, suffix = ''): Route => ({
    method,
    pattern: `${VMSS}/virtualMachines/{instanceId}${suffix}`,
    operation,
    family: 'arm',
    handle: withScaleSet((req, r) => {
      const instanceId = req.params.instanceId!;
      if (!r.model.get(instanceId)) return errorResponse('arm', 404, 'NotFound', 'The entity was not found in this Azure location.');
      return handler(req, r, instanceId);
    }),
  });

  const stateOf = (r: ScaleSetRecord) => (operations.running(r.id.toLowerCase()) ? 'Updating' : 'Succeeded');

  return [
    // Virtual Machine Scale Sets - List (by resource group), as `az vmss list -g` and the portal call it.
    { method: 'GET', pattern: RESOURCE_GROUP_VMSS, operation: 'compute.vmss.list', family: 'arm', handle: (req) => listScaleSets(req, registry, clock, stateOf) },
    { method: 'GET', pattern: `${VMSS}/instanceView`, operation: 'compute.vmss.getInstanceView', family: 'arm', handle: withScaleSet((_req, r) => ({ status: 200, body: scaleSetInstanceView(r, stateOf(r), clock.now()) })) },
    vmRoute('GET', 'compute.vmssvm.getInstanceView', (_req, r, id) => ({ status: 200, body: vmInstanceView(r, r.model.get(id)!) }), '/instanceView'),
    { method: 'GET', pattern: VMSS, operation: 'compute.vmss.get', family: 'arm', handle: withScaleSet((_req, r) => ({ status: 200, body: scaleSetBody(r, stateOf(r)) })) },
    { method: 'PATCH', pattern: VMSS, operation: 'compute.vmss.update', family: 'arm', handle: withScaleSet(updateScaleSet) },
    { method: 'PUT', pattern: VMSS, operation: 'compute.vmss.update', family: 'arm', handle: putScaleSet },
    action('delete', (req, r, now) => r.model.deleteInstances(instanceIdsOf(req.body, true)!, now, { force: req.query.get('forceDeletion') === 'true' })),
    action('deallocate', (req, r, now) => r.model.deallocate(instanceIdsOf(req.body, false), now)),
    action('start', (req, r, now) => r.model.start(instanceIdsOf(req.body, false), now)),
    action('poweroff', (req, r, now) => r.model.powerOff(instanceIdsOf(req.body, false), now)),
    action('restart', (req, r, now) => r.model.restart(instanceIdsOf(req.body, false), now)),
    {
      method: 'GET',
      pattern: `${VMSS}/virtualMachines`,
      operation: 'compute.vmssvm.list',
      family: 'arm',
      handle: withScaleSet((req, r) => listVms(req, r, registry, o.vmListPageSize())),
    },
    vmRoute('GET', 'compute.vmssvm.get', (req, r, id) => ({ status: 200, body: vmBody(r, r.model.get(id)!, registry.vmId(r, id), expandsInstanceView(req)) })),
    vmRoute('PUT', 'compute.vmssvm.update', (req, r, id) => {
      const policy = parseProtection(req.body);
      return lro(req, r, (_q, rec) => void rec.model.setProtection(id, policy), (op) => ({ status: 200, headers: asyncHeaders(req, op, false), body: vmBody(r, r.model.get(id)!, registry.vmId(r, id), false) }));
    }),
    {
      method: 'POST',
      pattern: `${VMSS}/virtualMachines/{instanceId}/runCommand`,
      operation: 'compute.vmssvm.runCommand',
      family: 'arm',
      handle: withScaleSet((req, r) => {
        const id = req.params.instanceId!;
        const vm = r.model.get(id);
        if (!vm) return errorResponse('arm', 404, 'NotFound', 'The entity was not found in this Azure location.');
        if (vm.state !== 'running') return errorResponse('arm', 409, 'OperationNotAllowed', `Operation 'RunCommand' is not allowed since the VM is ${vm.state}.`);
        const input = parseRunCommandInput(req.body);
        // Run Command is per VM: one at a time on a VM, VMs of one scale set in parallel.
        const key = `${r.id.toLowerCase()}/virtualmachines/${id}`;
        if (operations.running(key)) return errorResponse('arm', 409, 'Conflict', 'Run command extension execution is in progress. Please wait for completion before invoking a run command.');
        const stdout = req.lroFailure ? '' : runScript(r.model, id, input);
        const op = operations.start({ scaleSetKey: key, subscriptionId: r.subscriptionId, location: r.location, failure: req.lroFailure, result: runCommandResult(stdout) });
        return { status: 202, headers: asyncHeaders(req, op, true) };
      }),
    },
    vmRoute('DELETE', 'compute.vmssvm.delete', (req, r, id) =>
      lro(req, r, (_q, rec, now) => rec.model.deleteInstances([id], now, { force: req.query.get('forceDeletion') === 'true' }), (op) => ({ status: 202, headers: asyncHeaders(req, op, true) })),
    ),
    {
      method: 'GET',
      pattern: '/subscriptions/{subscriptionId}/providers/Microsoft.Compute/locations/{location}/operations/{operationId}',
      operation: 'compute.operation.get',
      family: 'arm',
      handle: (req) => operationStatus(req, operations, o.speed),
    },
  ];
}

/** Every scale set of a resource group (one page: a group holds few); a group with none is a missing group. */
function listScaleSets(req: EmuRequest, registry: ScaleSetRegistry, clock: SimClock, stateOf: (r: ScaleSetRecord) => 'Succeeded' | 'Updating'): EmuResponse {
  const { subscriptionId, resourceGroupName } = req.params;
  const inGroup = registry.all().filter((r) => r.subscriptionId.toLowerCase() === subscriptionId!.toLowerCase() && r.resourceGroup.toLowerCase() === resourceGroupName!.toLowerCase());
  if (inGroup.length === 0) return errorResponse('arm', 404, 'ResourceGroupNotFound', `Resource group '${resourceGroupName}' could not be found.`);
  return {
    status: 200,
    body: {
      value: inGroup.map((r) => {
        r.model.advance(clock.now());
        return scaleSetBody(r, stateOf(r));
      }),
    },
  };
}

function listVms(req: EmuRequest, r: ScaleSetRecord, registry: ScaleSetRegistry, pageSize: number): EmuResponse {
  const skip = Math.max(0, Number(req.query.get('$skiptoken') ?? 0) || 0);
  const expand = expandsInstanceView(req);
  const all = r.model.instances();
  const value = all.slice(skip, skip + pageSize).map((i) => vmBody(r, i, registry.vmId(r, i.instanceId), expand));
  const body: Record<string, unknown> = { value };
  if (skip + pageSize < all.length) {
    // The SDK follows nextLink as given and does not resend $expand, so the link carries everything.
    const q = new URLSearchParams({ 'api-version': apiVersion(req) });
    if (expand) q.set('$expand', 'instanceView');
    q.set('$skiptoken', String(skip + pageSize));
    body.nextLink = `${req.baseUrl}${req.path}?${q.toString()}`;
  }
  return { status: 200, body };
}

function operationStatus(req: EmuRequest, operations: OperationTracker, speed: number | undefined): EmuResponse {
  const op = operations.poll(req.params.operationId!);
  if (!op) return errorResponse('arm', 404, 'NotFound', `Operation ${req.params.operationId} was not found.`);
  if (req.query.get('monitor') === 'true' && op.status === 'Succeeded') return op.result === undefined ? { status: 200 } : { status: 200, body: op.result };
  if (req.query.get('monitor') === 'true' && op.status === 'InProgress') return { status: 202, headers: { location: `${req.baseUrl}${req.path}?${req.query.toString()}`, 'retry-after': String(operations.retryAfterSeconds(op, speed)) } };
  const body: Record<string, unknown> = { startTime: new Date(op.startMs).toISOString(), status: op.status, name: op.id };
  if (op.endMs !== undefined) body.endTime = new Date(op.endMs).toISOString();
  if (op.status === 'Failed') body.error = op.failure;
  const headers: Record<string, string> = op.status === 'InProgress' ? { 'retry-after': String(operations.retryAfterSeconds(op, speed)) } : {};
  return { status: 200, headers, body };
}

function parseScaleSetPatch(body: unknown): { capacity?: number; rule?: ScaleInRule } {
  const b = (body ?? {}) as { sku?: { capacity?: unknown }; properties?: { scaleInPolicy?: { rules?: unknown } } };
  if (typeof b !== 'object' || Array.isArray(b)) throw new ComputeModelError('InvalidParameter', 'The request body must be a JSON object.');
  const capacity = b.sku?.capacity;
  if (capacity !== undefined && !(Number.isInteger(capacity) && (capacity as number) >= 0)) throw new ComputeModelError('InvalidParameter', `sku.capacity must be a non-negative integer, got ${JSON.stringify(capacity)}`);
  const rules = b.properties?.scaleInPolicy?.rules;
  const rule = Array.isArray(rules) ? (rules[0] as ScaleInRule) : undefined;
  if (rule !== undefined && !SCALE_IN_RULES.includes(rule)) throw new ComputeModelError('InvalidParameter', `scaleInPolicy.rules must be one of ${SCALE_IN_RULES.join(', ')}`);
  return { capacity: capacity as number | undefined, rule };
}

function parseProtection(body: unknown): { protectFromScaleIn?: boolean; protectFromScaleSetActions?: boolean } {
  const p = (body as { properties?: { protectionPolicy?: Record<string, unknown> } } | undefined)?.properties?.protectionPolicy ?? {};
  for (const k of ['protectFromScaleIn', 'protectFromScaleSetActions'] as const) {
    if (p[k] !== undefined && typeof p[k] !== 'boolean') throw new ComputeModelError('InvalidParameter', `protectionPolicy.${k} must be a boolean`);
  }
  return { protectFromScaleIn: p.protectFromScaleIn as boolean | undefined, protectFromScaleSetActions: p.protectFromScaleSetActions as boolean | undefined };
}

function instanceIdsOf(body: unknown, required: boolean): string[] | undefined {
  const ids = (body as { instanceIds?: unknown } | undefined)?.instanceIds;
  if (ids === undefined && !required) return undefined;
  if (!Array.isArray(ids) || ids.length === 0 || !ids.every((id) => typeof id === 'string')) {
    throw new ComputeModelError('InvalidParameter', 'instanceIds must be a non-empty list of instance id strings.');
  }
  return ids as string[];
}

function expandsInstanceView(req: EmuRequest): boolean {
  return (req.query.get('$expand') ?? '').toLowerCase() === 'instanceview';
}

function apiVersion(req: EmuRequest): string {
  return req.query.get('api-version') ?? '2026-04-01';
}

/**
 * A missing scale set in a resource group that holds none is a missing resource group: ARM answers 404
 * ResourceGroupNotFound ("Resource group '…' could not be found."), not ResourceNotFound.
 */
function notFound(req: EmuRequest, registry: ScaleSetRegistry): EmuResponse {
  const { subscriptionId, resourceGroupName, vmScaleSetName } = req.params;
  const groupExists = registry.all().some((r) => r.subscriptionId.toLowerCase() === subscriptionId!.toLowerCase() && r.resourceGroup.toLowerCase() === resourceGroupName!.toLowerCase());
  if (!groupExists) return errorResponse('arm', 404, 'ResourceGroupNotFound', `Resource group '${resourceGroupName}' could not be found.`);
  return errorResponse('arm', 404, 'ResourceNotFound', `The Resource 'Microsoft.Compute/virtualMachineScaleSets/${vmScaleSetName}' under resource group '${resourceGroupName}' was not found. For more details please go to https://aka.ms/ARMResourceNotFoundFix`);
}
