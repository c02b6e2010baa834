// The drain contract between the app and the VM (docs/drain.md): the two Run Command lines the app sends, and a pure
// parser of what Run Command hands back. The path is where infra/vm/install-reporter.sh installs the reporter; the
// VM side's tests check their script against these constants, so they change only together.

export const REPORTER_PATH = '/opt/dsvm-pool/session_reporter.py';
/** Minutes a drained VM stays drained unless undrained; the reporter's own timer undrains it after that. */
export const DRAIN_MINUTES = 15;
export const DRAIN_COMMAND = `${REPORTER_PATH} --drain --drain-minutes ${DRAIN_MINUTES}`;
export const UNDRAIN_COMMAND = `${REPORTER_PATH} --undrain`;

export type DrainKind = 'ssh' | 'jupyter';

/** What a drained VM counted after blocking new sessions. */
export interface DrainCounts {
  ssh: number;
  jupyter: number;
  /** Kinds the VM could not count: their sessions are unknown, so the VM must be kept. */
  unknown: DrainKind[];
}

export type DrainParse = { ok: true; counts: DrainCounts } | { ok: false; error: string };

/**
 * Parses Run Command's message ("Enable succeeded: \n[stdout]\n<stdout>\n[stderr]\n<stderr>\n") or bare stdout.
 * The answer is the last stdout line that is a JSON object with `"drained": true`; anything else is an error,
 * because only a well-formed count may let a VM go.
 */
export function parseDrainOutput(message: string): DrainParse {
  const stdout = stdoutOf(message);
  const lines = stdout.split('\n').map((l) => l.trim()).filter((l) => l.startsWith('{'));
  for (const line of lines.reverse()) {
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      continue;
    }
    if (!value || typeof value !== 'object' || (value as { drained?: unknown }).drained !== true) continue;
    return countsOf(value as Record<string, unknown>);
  }
  return { ok: false, error: `no drain answer on stdout: ${JSON.stringify(stdout.slice(0, 200))}` };
}

function countsOf(v: Record<string, unknown>): DrainParse {
  const unknown: DrainKind[] = [];
  if (v.unknown !== undefined) {
    if (!Array.isArray(v.unknown) || !v.unknown.every((k) => k === 'ssh' || k === 'jupyter')) {
      return { ok: false, error: `"unknown" must be a list of "ssh"/"jupyter", got ${JSON.stringify(v.unknown)}` };
    }
    unknown.push(...(v.unknown as DrainKind[]));
  }
  const counts: Record<DrainKind, number> = { ssh: 0, jupyter: 0 };
  for (const kind of ['ssh', 'jupyter'] as const) {
    const n = v[kind];
    if (Number.isInteger(n) && (n as number) >= 0) counts[kind] = n as number;
    else if (n === undefined || n === null) {
      if (!unknown.includes(kind)) unknown.push(kind);
    } else return { ok: false, error: `"${kind}" must be a non-negative integer, got ${JSON.stringify(n)}` };
  }
  return { ok: true, counts: { ...counts, unknown } };
}

function stdoutOf(message: string): string {
  const start = message.indexOf('[stdout]');
  if (start < 0) return message;
  const body = message.slice(start + '[stdout]'.length);
  const end = body.indexOf('[stderr]');
  return end < 0 ? body : body.slice(0, end);
}
