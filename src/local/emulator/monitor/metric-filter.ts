// The $filter of Azure Monitor metrics on dimensions: `Dim eq 'v'`, `Dim eq '*'` (split by Dim), `ne`, `and`, `or`
// and parentheses. Every dimension the filter names splits the result into one timeseries per value.
export type MetricFilter =
  | { op: 'eq' | 'ne'; dimension: string; value: string }
  | { op: 'and' | 'or'; operands: MetricFilter[] };

export class MetricFilterError extends Error {
  override readonly name = 'MetricFilterError';
}

type Token = { kind: 'word' | 'string' | '(' | ')'; text: string; at: number };

export function parseMetricFilter(text: string): MetricFilter {
  const tokens = tokenize(text);
  let k = 0;
  const peekWord = (w: string) => tokens[k]?.kind === 'word' && tokens[k]!.text.toLowerCase() === w;
  const fail = (what: string): never => {
    const t = tokens[k];
    throw new MetricFilterError(`Invalid $filter "${text}": expected ${what} ${t ? `at position ${t.at} ("${t.text}")` : 'at the end'}`);
  };
  const parseOr = (): MetricFilter => {
    const operands = [parseAnd()];
    while (peekWord('or')) {
      k++;
      operands.push(parseAnd());
    }
    return operands.length === 1 ? operands[0]! : { op: 'or', operands };
  };
  const parseAnd = (): MetricFilter => {
    const operands = [parseFactor()];
    while (peekWord('and')) {
      k++;
      operands.push(parseFactor());
    }
    return operands.length === 1 ? operands[0]! : { op: 'and', operands };
  };
  const parseFactor = (): MetricFilter => {
    const t = tokens[k];
    if (t?.kind === '(') {
      k++;
      const inner = parseOr();
      if (tokens[k]?.kind !== ')') fail('")"');
      k++;
      return inner;
    }
    if (t?.kind !== 'word' || ['and', 'or', 'eq', 'ne'].includes(t.text.toLowerCase())) return fail('a dimension name');
    k++;
    const op = tokens[k]?.text.toLowerCase();
    if (tokens[k]?.kind !== 'word' || (op !== 'eq' && op !== 'ne')) return fail('"eq" or "ne"');
    k++;
    const value = tokens[k];
    if (value?.kind !== 'string') return fail("a quoted value such as '*'");
    k++;
    return { op: op as 'eq' | 'ne', dimension: t.text, value: value.text };
  };
  const filter = parseOr();
  if (k < tokens.length) fail('"and", "or" or the end');
  return filter;
}

/** Dimensions the filter names (lower case): the result is split by each of them. */
export function filterDimensions(f: MetricFilter): string[] {
  if ('operands' in f) return [...new Set(f.operands.flatMap(filterDimensions))];
  return [f.dimension.toLowerCase()];
}

/** Whether a series with these dimension values (keys lower case) passes the filter; values compare case-insensitively. */
export function filterMatches(f: MetricFilter, dims: Record<string, string>): boolean {
  switch (f.op) {
    case 'and':
      return f.operands.every((o) => filterMatches(o, dims));
    case 'or':
      return f.operands.some((o) => filterMatches(o, dims));
    default: {
      const equal = f.value === '*' || (dims[f.dimension.toLowerCase()] ?? '').toLowerCase() === f.value.toLowerCase();
      return f.op === 'eq' ? equal : !equal;
    }
  }
}

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i]!;
    if (/\s/.test(c)) i++;
    else if (c === '(' || c === ')') tokens.push({ kind: c, text: c, at: i++ });
    else if (c === "'") {
      const at = i;
      let value = '';
      for (i++; ; i++) {
        if (i >= text.length) throw new MetricFilterError(`Invalid $filter "${text}": unterminated string at position ${at}`);
        if (text[i] === "'" && text[i + 1] === "'") {
          value += "'";
          i++;
        }
        else if (text[i] === "'") break;
        else value += text[i];
      }
      i++;
      tokens.push({ kind: 'string', text: value, at });
    } else {
      const m = /^[^\s()']+/.exec(text.slice(i))!;
      tokens.push({ kind: 'word', text: m[0], at: i });
      i += m[0].length;
    }
  }
  return tokens;
}
