import { type Document, isAlias, isMap, isScalar, isSeq, type LineCounter, type Node, type Scalar } from 'yaml';
import { closest } from './suggest.js';

/** One mistake in the config file, with where it is. */
export interface Problem {
  line: number;
  /** YAML path, e.g. `environments.qa.match.branches[1]`; empty for the whole file. */
  path: string;
  message: string;
}

/** A key of a map with its value node and YAML path. */
export interface Entry {
  key: string;
  keyNode: Scalar;
  value: unknown;
  path: string;
}

/** Walks a parsed document, collecting problems with their YAML path and line. */
export class NodeReader {
  readonly problems: Problem[] = [];

  constructor(
    private readonly doc: Document,
    private readonly lines: LineCounter,
  ) {}

  line(node: unknown): number {
    const range = (node as Node | null)?.range;
    return range ? this.lines.linePos(range[0]).line : 1;
  }

  /** Record a problem at a node (its line) or at a line number. */
  report(at: unknown, path: string, message: string): void {
    this.problems.push({ line: typeof at === 'number' ? at : this.line(at), path, message });
  }

  /** The node an alias points to, or the node itself. */
  deref(node: unknown): unknown {
    return isAlias(node) ? node.resolve(this.doc) : node;
  }

  /**
   * The entries of a map, in order. Reports (and skips) non-string and duplicate keys and,
   * when `allowed` is given, unknown keys with the valid ones and a "did you mean".
   */
  entries(node: unknown, path: string, allowed?: readonly string[]): Entry[] {
    const map = this.deref(node);
    if (!isMap(map)) return [];
    const seen = new Map<string, number>();
    const result: Entry[] = [];
    for (const pair of map.items) {
      const keyNode = this.deref(pair.key);
      const childPath = (key: string) => (!/^[\w-]+$/.test(key) ? `${path}[${JSON.stringify(key)}]` : path === '' ? key : `${path}.${key}`);
      if (!isScalar(keyNode) || (typeof keyNode.value !== 'string' && typeof keyNode.value !== 'number')) {
        this.report(pair.key ?? map, path, `has a key that is not a plain name (${describe(keyNode)}); keys must be names`);
        continue;
      }
      const key = String(keyNode.value);
      const first = seen.get(key);
      if (first !== undefined) {
        this.report(keyNode, childPath(key), `duplicate key '${key}' (first defined on line ${first}); keep one of them`);
        continue;
      }
      seen.set(key, this.line(keyNode));
      if (allowed && !allowed.includes(key)) {
        const hint = closest(key, allowed);
        this.report(
          keyNode,
          childPath(key),
          `unknown key '${key}'${hint ? ` (did you mean '${hint}'?)` : ''}; valid keys here: ${allowed.join(', ')}`,
        );
        continue;
      }
      result.push({ key, keyNode, value: pair.value, path: childPath(key) });
    }
    return result;
  }

  /** Reports unless the node is a map; returns whether it is. */
  expectMap(node: unknown, path: string, example: string): boolean {
    if (isMap(this.deref(node))) return true;
    this.report(node, path, `must be a map (${example}); got ${describe(this.deref(node))}`);
    return false;
  }

  string(node: unknown, path: string): string | undefined {
    const value = this.deref(node);
    if (isScalar(value) && typeof value.value === 'string') return value.value;
    this.report(node, path, `must be a string; got ${describe(value)}`);
    return undefined;
  }

  /** A string, number or boolean written as text (`8080`, `1.10` and `true` keep their spelling). */
  scalarText(node: unknown, path: string): string | undefined {
    const value = this.deref(node);
    if (isScalar(value) && typeof value.value === 'string') return value.value;
    if (isScalar(value) && (typeof value.value === 'number' || typeof value.value === 'boolean')) {
      return typeof value.source === 'string' ? value.source : String(value.value);
    }
    this.report(node, path, `must be a string, number or boolean; got ${describe(value)}`);
    return undefined;
  }

  boolean(node: unknown, path: string): boolean | undefined {
    const value = this.deref(node);
    if (isScalar(value) && typeof value.value === 'boolean') return value.value;
    this.report(node, path, `must be true or false; got ${describe(value)}`);
    return undefined;
  }

  /** A list of strings, each with its path and line. */
  stringList(node: unknown, path: string): { value: string; path: string; line: number }[] {
    const seq = this.deref(node);
    if (!isSeq(seq)) {
      this.report(node, path, `must be a list of strings (e.g. [main, 'release/**']); got ${describe(seq)}`);
      return [];
    }
    const result: { value: string; path: string; line: number }[] = [];
    seq.items.forEach((item, index) => {
      const itemPath = `${path}[${index}]`;
      const value = this.string(item, itemPath);
      if (value !== undefined) result.push({ value, path: itemPath, line: this.line(item) });
    });
    return result;
  }
}

/** How a node reads in an error message: `a list`, `the number 3`, `nothing (null)`. */
export function describe(node: unknown): string {
  if (isMap(node)) return 'a map';
  if (isSeq(node)) return 'a list';
  if (isScalar(node)) {
    const { value } = node;
    if (value === null || value === undefined) return 'nothing (null)';
    if (typeof value === 'string') return `the string ${JSON.stringify(value)}`;
    if (typeof value === 'number') return `the number ${typeof node.source === 'string' ? node.source : value}`;
    if (typeof value === 'boolean') return `the boolean ${value}`;
  }
  if (node === null || node === undefined) return 'nothing (null)';
  return 'an unsupported value';
}
