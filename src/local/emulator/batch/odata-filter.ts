// The subset of OData $filter that Batch list calls accept and our clients send: comparisons of a property path
// (`state`, `stateTransitionTime`, `executionInfo/exitCode`) with a literal ('text', datetime'…', numbers, true/false),
// joined by and/or/not with parentheses. Evaluated against the wire JSON of an item.
export type ODataPredicate = (item: Record<string, unknown>) => boolean;

export class ODataFilterError extends Error {
  override readonly name = 'ODataFilterError';
}

type Literal = { kind: 'string'; value: string } | { kind: 'datetime'; value: number } | { kind: 'number'; value: number } | { kind: 'boolean'; value: boolean } | { kind: 'null' };
type Token = { t: 'ident'; v: string } | { t: 'lit'; v: Literal } | { t: '(' } | { t: ')' };

const comparators = new Set(['eq', 'ne', 'gt', 'ge', 'lt', 'le']);

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i]!;
    if (/\s/.test(c)) {
      i++;
    } else if (c === '(' || c === ')') {
      tokens.push({ t: c });
      i++;
    } else if (c === "'" || text.startsWith("datetime'", i)) {
      const isDate = c !== "'";
      let j = i + (isDate ? 9 : 1);
      let value = '';
      for (;;) {
        if (j >= text.length) throw new ODataFilterError(`Unterminated string literal at position ${i} in $filter.`);
        if (text[j] === "'") {
          if (text[j + 1] === "'") {
            value += "'";
            j += 2;
            continue;
          }
          break;
        }
        value += text[j];
        j++;
      }
      i = j + 1;
      if (isDate) {
        const ms = Date.parse(value);
        if (Number.isNaN(ms)) throw new ODataFilterError(`datetime'${value}' in $filter is not an ISO-8601 date-time.`);
        tokens.push({ t: 'lit', v: { kind: 'datetime', value: ms } });
      } else {
        tokens.push({ t: 'lit', v: { kind: 'string', value } });
      }
    } else {
      const m = /^-?\d+(?:\.\d+)?|^[A-Za-z_][\w/.]*/.exec(text.slice(i));
      if (!m) throw new ODataFilterError(`Unexpected character '${c}' at position ${i} in $filter.`);
      const word = m[0];
      i += word.length;
      if (/^-?\d/.test(word)) tokens.push({ t: 'lit', v: { kind: 'number', value: Number(word) } });
      else if (word === 'true' || word === 'false') tokens.push({ t: 'lit', v: { kind: 'boolean', value: word === 'true' } });
      else if (word === 'null') tokens.push({ t: 'lit', v: { kind: 'null' } });
      else tokens.push({ t: 'ident', v: word });
    }
  }
  return tokens;
}

function read(item: Record<string, unknown>, path: string): unknown {
  let v: unknown = item;
  for (const segment of path.split('/')) {
    if (v === null || typeof v !== 'object') return undefined;
    v = (v as Record<string, unknown>)[segment];
  }
  return v;
}

function compare(actual: unknown, op: string, literal: Literal): boolean {
  if (literal.kind === 'null') return op === 'eq' ? actual == null : op === 'ne' ? actual != null : false;
  if (actual == null) return op === 'ne';
  let a: number | string | boolean;
  let b: number | string | boolean;
  if (literal.kind === 'datetime') {
    a = typeof actual === 'string' ? Date.parse(actual) : Number.NaN;
    b = literal.value;
    if (Number.isNaN(a)) return false;
  } else {
    a = actual as number | string | boolean;
    b = literal.value;
    if (typeof a !== typeof b) return op === 'ne';
  }
  switch (op) {
    case 'eq': return a === b;
    case 'ne': return a !== b;
    case 'gt': return a > b;
    case 'ge': return a >= b;
    case 'lt': return a < b;
    default: return a <= b;
  }
}

/** Parses `text` into a predicate; throws ODataFilterError with a message naming what is wrong. */
export function parseODataFilter(text: string): ODataPredicate {
  const tokens = tokenize(text);
  let pos = 0;
  const peekWord = (): string | undefined => {
    const t = tokens[pos];
    return t?.t === 'ident' ? t.v.toLowerCase() : undefined;
  };

  const parseOr = (): ODataPredicate => {
    let left = parseAnd();
    while (peekWord() === 'or') {
      pos++;
      const l = left;
      const r = parseAnd();
      left = (x) => l(x) || r(x);
    }
    return left;
  };
  const parseAnd = (): ODataPredicate => {
    let left = parseUnary();
    while (peekWord() === 'and') {
      pos++;
      const l = left;
      const r = parseUnary();
      left = (x) => l(x) && r(x);
    }
    return left;
  };
  const parseUnary = (): ODataPredicate => {
    if (peekWord() === 'not') {
      pos++;
      const inner = parseUnary();
      return (x) => !inner(x);
    }
    const t = tokens[pos];
    if (t?.t === '(') {
      pos++;
      const inner = parseOr();
      if (tokens[pos]?.t !== ')') throw new ODataFilterError(`Missing ')' in $filter "${text}".`);
      pos++;
      return inner;
    }
    if (t?.t !== 'ident') throw new ODataFilterError(`Expected a property name at token ${pos + 1} in $filter "${text}".`);
    const op = tokens[pos + 1];
    const lit = tokens[pos + 2];
    if (op?.t !== 'ident' || !comparators.has(op.v.toLowerCase())) {
      throw new ODataFilterError(`Expected eq, ne, gt, ge, lt or le after '${t.v}' in $filter "${text}".`);
    }
    if (lit?.t !== 'lit') throw new ODataFilterError(`Expected a literal after '${t.v} ${op.v}' in $filter "${text}".`);
    pos += 3;
    const path = t.v;
    const operator = op.v.toLowerCase();
    return (x) => compare(read(x, path), operator, lit.v);
  };

  if (tokens.length === 0) throw new ODataFilterError('$filter is empty.');
  const predicate = parseOr();
  if (pos !== tokens.length) throw new ODataFilterError(`Unexpected token at position ${pos + 1} in $filter "${text}".`);
  return predicate;
}
