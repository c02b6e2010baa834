// Runs one invocation the way the worker's InvocationHandler does: the programming model builds the arguments
// (HttpRequest, InvocationContext, …) from RPC data, hooks run around the handler, and the model turns the result
// back into RPC data. Emits one structured log line per invocation.
import { randomUUID } from 'node:crypto';
import type {
  CoreInvocationContext,
  InvocationState,
  RegisteredFunction,
  RpcInvocationRequest,
  RpcInvocationResponse,
  RpcLogCategory,
  RpcLogLevel,
  WorkerApp,
} from './core-api.js';
import { FunctionTimeoutError } from './errors.js';
import type { HostLog } from './host-log.js';

export interface InvocationInput {
  inputData: RpcInvocationRequest['inputData'];
  triggerMetadata?: RpcInvocationRequest['triggerMetadata'];
  retryContext?: RpcInvocationRequest['retryContext'];
}

export type InvocationOutcome =
  | { ok: true; response: RpcInvocationResponse; invocationId: string }
  | { ok: false; error: Error; invocationId: string };

export class Invoker {
  private readonly inFlight = new Set<Promise<unknown>>();

  constructor(
    private readonly app: WorkerApp,
    private readonly log: HostLog,
    private readonly functionTimeoutInMs: number,
    /** Writes output bindings; a failure here fails the invocation, as in the host. */
    private readonly deliverOutputs: (fn: RegisteredFunction, response: RpcInvocationResponse) => Promise<void> = async () => undefined,
  ) {}

  get inFlightCount(): number {
    return this.inFlight.size;
  }

  /** Waits for in-flight invocations; false when `timeoutInMs` passed first. */
  async drain(timeoutInMs: number): Promise<boolean> {
    const all = Promise.allSettled([...this.inFlight]).then(() => true);
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<boolean>((resolve) => {
      timer = setTimeout(() => resolve(false), timeoutInMs);
    });
    const drained = await Promise.race([all, timeout]);
    clearTimeout(timer);
    return drained;
  }

  invoke(fn: RegisteredFunction, trigger: string, input: InvocationInput): Promise<InvocationOutcome> {
    const run = this.run(fn, trigger, input);
    this.inFlight.add(run);
    void run.finally(() => this.inFlight.delete(run));
    return run;
  }

  private async run(fn: RegisteredFunction, trigger: string, input: InvocationInput): Promise<InvocationOutcome> {
    const invocationId = randomUUID();
    const name = fn.metadata.name;
    const started = performance.now();
    const log = this.log;
    const coreCtx: CoreInvocationContext = {
      invocationId,
      request: {
        invocationId,
        functionId: fn.functionId,
        inputData: input.inputData,
        triggerMetadata: input.triggerMetadata,
        retryContext: input.retryContext,
        traceContext: { traceParent: `00-${randomUUID().replace(/-/g, '')}-${randomUUID().replace(/-/g, '').slice(0, 16)}-01`, attributes: {} },
      },
      metadata: fn.metadata,
      state: undefined as InvocationState | undefined,
      log(level: RpcLogLevel, category: RpcLogCategory, message: string) {
        log.functionLog({ level, category, functionName: name, invocationId, message });
      },
    };
    try {
      const response = await withTimeout(this.execute(fn, coreCtx), this.functionTimeoutInMs, () => new FunctionTimeoutError(name, this.functionTimeoutInMs));
      await this.deliverOutputs(fn, response);
      log.invocation({ functionName: name, invocationId, trigger, durationMs: performance.now() - started, outcome: 'succeeded' });
      return { ok: true, response, invocationId };
    } catch (err) {
      const error = err instanceof Error ? err : new Error(String(err));
      log.invocation({
        functionName: name,
        invocationId,
        trigger,
        durationMs: performance.now() - started,
        outcome: error instanceof FunctionTimeoutError ? 'timeout' : 'failed',
        error,
      });
      return { ok: false, error, invocationId };
    }
  }

  private async execute(fn: RegisteredFunction, coreCtx: CoreInvocationContext): Promise<RpcInvocationResponse> {
    const model = this.app.programmingModel;
    if (!model) throw new Error('No programming model was set; is @azure/functions loaded by the app?');
    const invocationModel = model.getInvocationModel(coreCtx);
    const hookData: Record<string, unknown> = {};
    const { context, inputs: initialInputs } = await invocationModel.getArguments();
    const pre = {
      hookData,
      appHookData: this.app.appHookData,
      invocationContext: context,
      functionCallback: fn.callback,
      inputs: initialInputs,
    };
    await this.withState(coreCtx, 'preInvocationHooks', () => this.app.runHooks('preInvocation', pre));
    const post = { hookData, appHookData: this.app.appHookData, invocationContext: context, inputs: pre.inputs, result: null as unknown, error: null as unknown };
    await this.withState(coreCtx, 'invocation', async () => {
      try {
        post.result = await invocationModel.invokeFunction(context, pre.inputs, pre.functionCallback);
      } catch (err) {
        post.error = err;
      }
    });
    await this.withState(coreCtx, 'postInvocationHooks', () => this.app.runHooks('postInvocation', post));
    if (post.error) throw post.error;
    return invocationModel.getResponse(context, post.result);
  }

  private async withState(ctx: CoreInvocationContext, state: InvocationState, fn: () => Promise<void>): Promise<void> {
    ctx.state = state;
    try {
      await fn();
    } finally {
      ctx.state = undefined;
    }
  }
}

async function withTimeout<T>(work: Promise<T>, ms: number, error: () => Error): Promise<T> {
  if (!Number.isFinite(ms)) return work;
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(error()), ms);
  });
  try {
    return await Promise.race([work, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
