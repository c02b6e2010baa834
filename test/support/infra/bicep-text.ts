// Just enough Bicep reading for the offline infra checks (no Bicep compiler is reachable here): comments
// stripped, `resource` blocks found by balanced braces, and the few properties the checks need.
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

export const infraDir = resolve(import.meta.dirname, '../../../infra');

/** Removes // and /* *\/ comments, leaving '…' strings (including '''…''' ones) intact. */
export function stripComments(text: string): string {
  let out = '';
  for (let i = 0; i < text.length; ) {
    if (text.startsWith("'''", i)) {
      const end = text.indexOf("'''", i + 3);
      const stop = end < 0 ? text.length : end + 3;
      out += text.slice(i, stop);
      i = stop;
    } else if (text[i] === "'") {
      let j = i + 1;
      while (j < text.length && text[j] !== "'" && text[j] !== '\n') j += text[j] === '\\' ? 2 : 1;
      out += text.slice(i, j + 1);
      i = j + 1;
    } else if (text.startsWith('//', i)) {
      while (i < text.length && text[i] !== '\n') i++;
    } else if (text.startsWith('/*', i)) {
      const end = text.indexOf('*/', i + 2);
      i = end < 0 ? text.length : end + 2;
    } else {
      out += text[i];
      i++;
    }
  }
  return out;
}

export function readBicep(relativePath: string): string {
  return stripComments(readFileSync(join(infraDir, relativePath), 'utf8'));
}

export function bicepFiles(): string[] {
  const walk = (dir: string): string[] =>
    readdirSync(join(infraDir, dir), { withFileTypes: true }).flatMap((e) =>
      e.isDirectory() ? walk(join(dir, e.name)) : e.name.endsWith('.bicep') ? [join(dir, e.name)] : [],
    );
  return walk('.');
}

/** The text from `open` (an index of '{' or '[') to its matching closer, brackets inside strings ignored. */
export function balanced(text: string, open: number): string {
  const pairs: Record<string, string> = { '{': '}', '[': ']', '(': ')' };
  const stack: string[] = [];
  for (let i = open; i < text.length; i++) {
    const c = text[i]!;
    if (c === "'") {
      i++;
      while (i < text.length && text[i] !== "'") i += text[i] === '\\' ? 2 : 1;
    } else if (pairs[c]) stack.push(pairs[c]);
    else if (c === stack[stack.length - 1]) {
      stack.pop();
      if (stack.length === 0) return text.slice(open, i + 1);
    }
  }
  throw new Error(`unbalanced brackets from offset ${open}`);
}

export interface BicepResource {
  symbol: string;
  type: string; // e.g. Microsoft.Authorization/roleAssignments
  apiVersion: string;
  existing: boolean;
  body: string; // from the first '{' (or '[' for loops) to its match
}

export function resources(text: string): BicepResource[] {
  const found: BicepResource[] = [];
  const re = /^resource\s+(\w+)\s+'([^'@]+)@([^']+)'\s+(existing\s+)?=\s*(?:if\s*\([^\n]*?\)\s*)?([[{])/gm;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    found.push({ symbol: m[1]!, type: m[2]!, apiVersion: m[3]!, existing: Boolean(m[4]), body: balanced(text, m.index + m[0].length - 1) });
  }
  return found;
}

/** `key: value` on one line inside a block (first match), value without trailing comment. */
export function property(block: string, key: string): string | undefined {
  const m = new RegExp(`(?:^|[\\s{,])${key}:\\s*([^\\n]+)`).exec(block);
  return m?.[1]?.trim();
}

/** The bracketed value of `key: [` or `key: {` inside a block. */
export function propertyBlock(block: string, key: string): string | undefined {
  const m = new RegExp(`(?:^|[\\s{,])${key}:\\s*([[{])`).exec(block);
  return m ? balanced(block, m.index + m[0].length - 1) : undefined;
}

/** All single-quoted string literals in a block. */
export function stringLiterals(block: string): string[] {
  return [...block.matchAll(/'((?:[^'\\\n]|\\.)*)'/g)].map((m) => m[1]!);
}

/** `var name = '…'` / `var name = [ … ]` / `var name = { … }` text of a variable. */
export function variable(text: string, name: string): string | undefined {
  const m = new RegExp(`^var\\s+${name}\\s*=\\s*`, 'm').exec(text);
  if (!m) return undefined;
  const start = m.index + m[0].length;
  const c = text[start];
  if (c === '[' || c === '{') return balanced(text, start);
  const line = text.slice(start, text.indexOf('\n', start));
  // A call that spans lines, e.g. `reduce(\n [...],\n ...)`: take the whole call.
  const call = /^[\w.]+\(/.exec(line);
  return call ? text.slice(start, start + call[0].length - 1) + balanced(text, start + call[0].length - 1) : line;
}

export interface BicepParam {
  name: string;
  type: string;
  hasDefault: boolean;
}

export function params(text: string): BicepParam[] {
  return [...text.matchAll(/^param\s+(\w+)\s+(\w+)(\s*=)?/gm)].map((m) => ({ name: m[1]!, type: m[2]!, hasDefault: Boolean(m[3]) }));
}

export function outputs(text: string): string[] {
  return [...text.matchAll(/^output\s+(\w+)\s/gm)].map((m) => m[1]!);
}

export interface BicepModule {
  symbol: string;
  path: string;
  params: string[]; // names passed in `params: { … }`
}

export function modules(text: string): BicepModule[] {
  return [...text.matchAll(/^module\s+(\w+)\s+'([^']+)'\s*=\s*\{/gm)].map((m) => {
    const body = balanced(text, m.index + m[0].length - 1);
    const paramBlock = propertyBlock(body, 'params') ?? '{}';
    // Top-level keys of the params object only: depth-1 `name:` at the start of a line.
    const names: string[] = [];
    let depth = 0;
    for (const line of paramBlock.split('\n')) {
      const key = /^\s*(\w+):/.exec(line);
      if (key && depth === 1) names.push(key[1]!);
      for (const c of line.replace(/'[^']*'/g, '')) {
        if (c === '{' || c === '[') depth++;
        else if (c === '}' || c === ']') depth--;
      }
    }
    return { symbol: m[1]!, path: m[2]!, params: names };
  });
}

/** The `{ … }` items of an array block `[ … ]` (items of other shapes are skipped). */
export function arrayItems(arrayBlock: string): string[] {
  const items: string[] = [];
  for (let i = 1; i < arrayBlock.length - 1; i++) {
    const c = arrayBlock[i];
    if (c === "'") {
      i++;
      while (i < arrayBlock.length && arrayBlock[i] !== "'") i++;
    } else if (c === '{') {
      const item = balanced(arrayBlock, i);
      items.push(item);
      i += item.length - 1;
    }
  }
  return items;
}

/** The decorators (`@name(...)` lines) written directly above `resource <symbol>` or `param <symbol>`. */
export function decorators(text: string, symbol: string): string[] {
  const lines = text.split('\n');
  const at = lines.findIndex((l) => new RegExp(`^(resource|param)\\s+${symbol}\\b`).test(l));
  if (at < 0) return [];
  const found: string[] = [];
  // Walk up over decorator lines; a multi-line decorator (e.g. @allowed([ … ])) is taken whole.
  let i = at - 1;
  while (i >= 0) {
    const line = lines[i]!.trim();
    if (line.startsWith('@')) {
      found.unshift(line);
      i--;
    } else if (line === '])' || line === '})' || (found.length === 0 && /^[\]})]+\)?$/.test(line))) {
      let j = i;
      while (j >= 0 && !lines[j]!.trim().startsWith('@')) j--;
      found.unshift(lines.slice(j, i + 1).join('\n').trim());
      i = j - 1;
    } else if (line === '') i--;
    else break;
  }
  return found;
}
