// The trigger binding of a registered function: the one binding whose type ends in "Trigger".
import type { RegisteredFunction, RpcBindingInfo } from './core-api.js';

export function triggerBinding(fn: RegisteredFunction): { name: string; binding: RpcBindingInfo } {
  const entry = Object.entries(fn.metadata.bindings).find(([, b]) => /trigger$/i.test(b.type ?? ''));
  if (!entry) throw new Error(`Function "${fn.metadata.name}" has no trigger binding.`);
  return { name: entry[0], binding: entry[1] };
}

/** Short trigger kind for logs and listings: http, timer, queue, … */
export function triggerKind(fn: RegisteredFunction): string {
  const type = (triggerBinding(fn).binding.type ?? '').replace(/Trigger$/i, '');
  return type === 'queue' ? 'queue' : type.toLowerCase();
}
