// authLevel enforcement as the host does it: `function` accepts a function key or the master (admin) key,
// `admin` only the master key; keys arrive as the `code` query parameter or the `x-functions-key` header.
// With no keys configured everything is open, as under Core Tools.
import { timingSafeEqual } from 'node:crypto';

export interface FunctionKeys {
  functionKeys: string[];
  masterKey?: string;
}

export function keysFromSettings(env: Record<string, string | undefined>): FunctionKeys | undefined {
  const functionKeys = (env.DSVMPOOL_LOCAL_FUNCTION_KEY ?? '').split(',').map((k) => k.trim()).filter(Boolean);
  const masterKey = env.DSVMPOOL_LOCAL_ADMIN_KEY?.trim() || undefined;
  return functionKeys.length > 0 || masterKey ? { functionKeys, masterKey } : undefined;
}

function same(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

export function presentedKey(url: URL, headers: Record<string, string | string[] | undefined>): string | undefined {
  const header = headers['x-functions-key'];
  return (Array.isArray(header) ? header[0] : header) ?? url.searchParams.get('code') ?? undefined;
}

export function isAuthorized(authLevel: string | undefined, key: string | undefined, keys: FunctionKeys | undefined): boolean {
  const level = (authLevel ?? 'function').toLowerCase();
  if (!keys || level === 'anonymous') return true;
  if (key === undefined) return false;
  const isMaster = keys.masterKey !== undefined && same(key, keys.masterKey);
  if (level === 'admin' || level === 'system') return isMaster;
  return isMaster || keys.functionKeys.some((k) => same(key, k));
}
