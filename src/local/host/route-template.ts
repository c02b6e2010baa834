// ASP.NET-style route templates as the Functions host accepts them: literals (case-insensitive), `{id}`,
// optional `{id?}`, constrained `{id:int}` / `{id:guid}` / `{id:regex(...)}` / `{id:min(1)}`, and catch-all `{*rest}`.
export interface RouteTemplate {
  template: string;
  /** Higher is more specific; used to pick between several matching routes. */
  precedence: number[];
  match(path: string): Record<string, string> | undefined;
}

type Segment =
  | { kind: 'literal'; text: string }
  | { kind: 'param'; name: string; optional: boolean; catchAll: boolean; constraints: ((v: string) => boolean)[] };

const constraintFactories: Record<string, (arg?: string) => (v: string) => boolean> = {
  int: () => (v) => /^-?\d+$/.test(v) && Math.abs(Number(v)) <= 2 ** 31,
  long: () => (v) => /^-?\d+$/.test(v),
  float: () => (v) => /^-?\d+(\.\d+)?$/.test(v),
  double: () => (v) => /^-?\d+(\.\d+)?$/.test(v),
  decimal: () => (v) => /^-?\d+(\.\d+)?$/.test(v),
  bool: () => (v) => /^(true|false)$/i.test(v),
  guid: () => (v) => /^\{?[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}\}?$/i.test(v),
  datetime: () => (v) => !Number.isNaN(Date.parse(v)),
  alpha: () => (v) => /^[a-z]+$/i.test(v),
  min: (a) => (v) => /^-?\d+$/.test(v) && Number(v) >= Number(a),
  max: (a) => (v) => /^-?\d+$/.test(v) && Number(v) <= Number(a),
  range: (a) => {
    const [lo, hi] = (a ?? '').split(',').map(Number);
    return (v) => /^-?\d+$/.test(v) && Number(v) >= lo! && Number(v) <= hi!;
  },
  minlength: (a) => (v) => v.length >= Number(a),
  maxlength: (a) => (v) => v.length <= Number(a),
  length: (a) => {
    const [lo, hi] = (a ?? '').split(',').map(Number);
    return (v) => (hi === undefined ? v.length === lo : v.length >= lo! && v.length <= hi);
  },
  regex: (a) => {
    const re = new RegExp(a ?? '', 'i');
    return (v) => re.test(v);
  },
};

function parseConstraint(spec: string, template: string): (v: string) => boolean {
  const m = /^(\w+)(?:\((.*)\))?$/s.exec(spec);
  const factory = m && constraintFactories[m[1]!.toLowerCase()];
  if (!m || !factory) throw new Error(`Route "${template}": unknown constraint "${spec}"`);
  return factory(m[2]);
}

function parseSegment(raw: string, template: string): Segment {
  const m = /^\{(\*{1,2})?([A-Za-z_][\w]*)(\?)?((?::[^:}]+(?:\([^)]*\))?)*)\}$/.exec(raw);
  if (!raw.startsWith('{')) return { kind: 'literal', text: raw.toLowerCase() };
  if (!m) throw new Error(`Route "${template}": cannot parse segment "${raw}"`);
  // Constraint arguments may contain ':' (regex); split only on ':' that starts a new constraint name.
  const constraints = (m[4] ?? '')
    .split(/:(?=[a-zA-Z]+(?:\(|$|:))/)
    .filter(Boolean)
    .map((c) => parseConstraint(c, template));
  return { kind: 'param', name: m[2]!, optional: m[3] === '?', catchAll: Boolean(m[1]), constraints };
}

export function compileRoute(template: string): RouteTemplate {
  const segments = template
    .replace(/^\/+|\/+$/g, '')
    .split('/')
    .filter((s) => s !== '')
    .map((s) => parseSegment(s, template));
  const precedence = segments.map((s) =>
    s.kind === 'literal' ? 4 : s.catchAll ? 0 : s.optional ? 1 : s.constraints.length > 0 ? 3 : 2,
  );
  return {
    template,
    precedence,
    match(path) {
      const parts = path
        .replace(/^\/+|\/+$/g, '')
        .split('/')
        .filter((s) => s !== '');
      const params: Record<string, string> = {};
      for (let i = 0; i < segments.length; i++) {
        const seg = segments[i]!;
        if (seg.kind === 'param' && seg.catchAll) {
          const rest = parts.slice(i).join('/');
          if (rest !== '') params[seg.name] = safeDecode(rest) ?? rest;
          return params;
        }
        const part = parts[i];
        if (part === undefined) {
          return seg.kind === 'param' && seg.optional && segments.slice(i + 1).every(isOptional) ? params : undefined;
        }
        const value = safeDecode(part);
        if (value === undefined) return undefined;
        if (seg.kind === 'literal') {
          if (value.toLowerCase() !== seg.text) return undefined;
        } else {
          if (!seg.constraints.every((c) => c(value))) return undefined;
          params[seg.name] = value;
        }
      }
      return parts.length === segments.length ? params : undefined;
    },
  };
}

function safeDecode(s: string): string | undefined {
  try {
    return decodeURIComponent(s);
  } catch {
    return undefined;
  }
}

function isOptional(s: Segment): boolean {
  return s.kind === 'param' && (s.optional || s.catchAll);
}

/** Compares two routes: negative when `a` should win. */
export function byPrecedence(a: RouteTemplate, b: RouteTemplate): number {
  const n = Math.max(a.precedence.length, b.precedence.length);
  for (let i = 0; i < n; i++) {
    const d = (b.precedence[i] ?? -1) - (a.precedence[i] ?? -1);
    if (d !== 0) return d;
  }
  return 0;
}
