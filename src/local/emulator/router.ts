// Matches a request path against the Route patterns of every API module. `{name}` matches one segment,
// `{name*}` one or more (for Monitor's `{resourceUri}/providers/Microsoft.Insights/metrics`). Case-insensitive.
import type { Route } from './route.js';

interface CompiledRoute {
  route: Route;
  regex: RegExp;
  names: string[];
}

export interface RouteMatch {
  route: Route;
  params: Record<string, string>;
}

export class Router {
  private readonly compiled: CompiledRoute[] = [];

  constructor(routes: readonly Route[]) {
    // Exact segments win over catch-alls, whatever order the modules list them in.
    const sorted = [...routes].sort((a, b) => Number(a.pattern.includes('*}')) - Number(b.pattern.includes('*}')));
    for (const route of sorted) this.compiled.push(compile(route));
  }

  match(method: string, path: string): RouteMatch | undefined {
    for (const c of this.compiled) {
      if (c.route.method !== method) continue;
      const m = c.regex.exec(path);
      if (!m) continue;
      const params: Record<string, string> = {};
      c.names.forEach((name, k) => (params[name] = safeDecode(m[k + 1]!)));
      return { route: c.route, params };
    }
    return undefined;
  }

  /** True when some route has this path under another method (405 rather than 404). */
  hasPath(path: string): boolean {
    return this.compiled.some((c) => c.regex.test(path));
  }
}

function compile(route: Route): CompiledRoute {
  const names: string[] = [];
  const source = route.pattern
    .split('/')
    .map((segment) => {
      const param = /^\{(\w+)(\*?)\}$/.exec(segment);
      if (!param) return segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
      names.push(param[1]!);
      return param[2] ? '(.+?)' : '([^/]+)';
    })
    .join('/');
  return { route, names, regex: new RegExp(`^${source}/?$`, 'i') };
}

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}
