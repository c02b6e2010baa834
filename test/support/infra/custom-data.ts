// The scale set's customData as ARM would build it from infra/app/pool.bicep (no Bicep compiler is reachable here):
// the `cloudInit` reduce() over its { token, value } list is evaluated with a small interpreter of exactly the
// expressions that list uses — string literals with ${…} interpolation, parameter paths, base64(), join(),
// loadFileAsBase64(), loadTextContent() and `vmFiles['…']` (a loadJsonContent() variable). Anything else throws, so a
// new kind of expression in pool.bicep fails the tests that use this instead of being skipped.
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { arrayItems, balanced, infraDir, readBicep, variable } from './bicep-text.js';

/** Values for pool.bicep's parameters that reach customData (a JSON-like object; paths like `nfsShare.host`). */
export type PoolParams = Record<string, unknown>;

const appDir = join(infraDir, 'app');
const readFrom = (path: string) => readFileSync(resolve(appDir, path));

class Expr {
  private i = 0;
  constructor(private readonly src: string, private readonly scope: (name: string) => unknown) {}

  static evaluate(src: string, scope: (name: string) => unknown): unknown {
    const e = new Expr(src.trim(), scope);
    const v = e.value();
    e.ws();
    if (e.i !== e.src.length) throw new Error(`unexpected text in Bicep expression: ${e.src.slice(e.i)}`);
    return v;
  }

  private ws(): void {
    while (/\s/.test(this.src[this.i] ?? '')) this.i++;
  }

  private value(): unknown {
    this.ws();
    if (this.src[this.i] === "'") return this.string();
    if (this.src[this.i] === '[') return this.array();
    const name = /^[A-Za-z_]\w*/.exec(this.src.slice(this.i))?.[0];
    if (!name) throw new Error(`unsupported Bicep expression at: ${this.src.slice(this.i, this.i + 40)}`);
    this.i += name.length;
    this.ws();
    if (this.src[this.i] === '(') return this.call(name);
    let v = this.scope(name);
    for (;;) {
      if (this.src[this.i] === '.') {
        const key = /^\.(\w+)/.exec(this.src.slice(this.i))![1]!;
        this.i += key.length + 1;
        v = (v as Record<string, unknown>)[key];
      } else if (this.src[this.i] === '[') {
        this.i++;
        const key = this.value() as string;
        this.ws();
        this.expect(']');
        v = (v as Record<string, unknown>)[key];
      } else break;
      if (v === undefined) throw new Error(`undefined value in Bicep expression ${this.src}`);
    }
    return v;
  }

  private expect(c: string): void {
    if (this.src[this.i] !== c) throw new Error(`expected ${c} at: ${this.src.slice(this.i, this.i + 40)}`);
    this.i++;
  }

  private args(): unknown[] {
    this.expect('(');
    const out: unknown[] = [];
    for (this.ws(); this.src[this.i] !== ')'; this.ws()) {
      out.push(this.value());
      this.ws();
      if (this.src[this.i] === ',') this.i++;
    }
    this.i++;
    return out;
  }

  private array(): unknown[] {
    const block = balanced(this.src, this.i);
    this.i += block.length;
    // Bicep array items are separated by new lines.
    const inner = block.slice(1, -1);
    const items: unknown[] = [];
    const e = new Expr(inner, this.scope);
    for (e.ws(); e.i < inner.length; e.ws()) items.push(e.value());
    return items;
  }

  private call(name: string): unknown {
    const a = this.args();
    const str = (x: unknown) => {
      if (typeof x !== 'string') throw new Error(`${name}() wants a string, got ${typeof x}`);
      return x;
    };
    switch (name) {
      case 'base64':
        return Buffer.from(str(a[0]), 'utf8').toString('base64');
      case 'join':
        return (a[0] as unknown[]).map(str).join(str(a[1]));
      case 'loadFileAsBase64':
        return readFrom(str(a[0])).toString('base64');
      case 'loadTextContent':
        return readFrom(str(a[0])).toString('utf8');
      case 'loadJsonContent':
        return JSON.parse(readFrom(str(a[0])).toString('utf8')) as unknown;
      default:
        throw new Error(`unsupported Bicep function ${name}()`);
    }
  }

  private string(): string {
    this.i++;
    let out = '';
    for (;;) {
      const c = this.src[this.i];
      if (c === undefined) throw new Error('unterminated Bicep string');
      if (c === "'") {
        this.i++;
        return out;
      }
      if (c === '\\') {
        const n = this.src[this.i + 1]!;
        out += ({ n: '\n', r: '\r', t: '\t', '\\': '\\', "'": "'", $: '$' } as Record<string, string>)[n] ?? '';
        this.i += 2;
      } else if (this.src.startsWith('${', this.i)) {
        const end = this.src.indexOf('}', this.i);
        out += String(Expr.evaluate(this.src.slice(this.i + 2, end), this.scope));
        this.i = end + 1;
      } else {
        out += c;
        this.i++;
      }
    }
  }
}

/**
 * The decoded customData (the cloud-init text) pool.bicep builds for `params`, and the infra/vm files it loads.
 * Throws when pool.bicep's `cloudInit` stops being `reduce([ { token, value } … ], loadTextContent(…),
 * (text, t) => replace(text, t.token, t.value))` or uses an expression the interpreter does not know.
 */
export function customDataOf(params: PoolParams): string {
  const pool = readBicep('app/pool.bicep');
  if (!/customData: base64\(cloudInit\)/.test(pool)) throw new Error('pool.bicep no longer sets customData: base64(cloudInit)');
  const vars = new Map<string, string>();
  for (const m of pool.matchAll(/^var\s+(\w+)\s*=/gm)) vars.set(m[1]!, variable(pool, m[1]!)!);
  const scope = (name: string): unknown => {
    if (name in params) return params[name];
    const v = vars.get(name);
    if (v !== undefined && name !== 'cloudInit') return Expr.evaluate(v, scope);
    throw new Error(`pool.bicep's cloud-init uses ${name}, which the test gives no value`);
  };
  const reduce = /^reduce\(\s*(\[[\s\S]*\])\s*,\s*(loadTextContent\('[^']+'\))\s*,\s*\(text, t\) => replace\(text, t\.token, t\.value\)\s*\)$/.exec(
    vars.get('cloudInit') ?? '',
  );
  if (!reduce) throw new Error("pool.bicep's cloudInit is no longer reduce([...], loadTextContent(...), (text, t) => replace(...))");
  let text = Expr.evaluate(reduce[2]!, scope) as string;
  for (const item of arrayItems(reduce[1]!)) {
    const m = /^\{\s*token:\s*'([^']+)',?\s*value:\s*([\s\S]*)\}$/.exec(item);
    if (!m) throw new Error(`unexpected cloudInit item: ${item}`);
    text = text.replaceAll(m[1]!, String(Expr.evaluate(m[2]!, scope)));
  }
  return text;
}

export const vmDir = join(dirname(appDir), 'vm');
