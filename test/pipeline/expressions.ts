import { data, Evaluator, Lexer, Parser } from '@actions/expressions';
import type { FunctionDefinition } from '@actions/expressions/funcs/info';

/** Plain JSON-like values of the contexts (github, inputs, needs, steps, env, ...). */
export type Contexts = Record<string, unknown>;

/** What the status functions answer for the job or step being evaluated. */
export interface Status {
  /** success(): every earlier step (or every needed job, transitively) succeeded. */
  success: boolean;
  /** failure(): an earlier step (or a needed job, transitively) failed. */
  failure: boolean;
  cancelled: boolean;
}

export const OK: Status = { success: true, failure: false, cancelled: false };

const CONTEXT_NAMES = ['github', 'inputs', 'needs', 'steps', 'runner', 'env', 'job', 'jobs', 'matrix', 'strategy', 'vars', 'secrets'];
const STATUS_FUNCTIONS = ['always', 'success', 'failure', 'cancelled'];

function statusFunctions(status: Status): Map<string, FunctionDefinition> {
  const fn = (name: string, value: () => boolean): [string, FunctionDefinition] => [
    name,
    { name, minArgs: 0, maxArgs: 0, call: () => new data.BooleanData(value()) },
  ];
  return new Map([
    fn('always', () => true),
    fn('success', () => status.success && !status.cancelled),
    fn('failure', () => status.failure),
    fn('cancelled', () => status.cancelled),
    // hashFiles is not used by the workflows; declared so that parsing fails loudly only when it is called.
    [
      'hashfiles',
      {
        name: 'hashFiles',
        minArgs: 1,
        maxArgs: 255,
        call: () => {
          throw new Error('hashFiles() is not supported by the pipeline executor');
        },
      },
    ],
  ]);
}

function toData(contexts: Contexts): data.Dictionary {
  return JSON.parse(JSON.stringify(contexts), data.reviver) as data.Dictionary;
}

/** Evaluate one expression (the text inside `${{ }}` or a bare `if:`). */
export function evaluateExpression(expression: string, contexts: Contexts, status: Status): data.ExpressionData {
  const functions = statusFunctions(status);
  const tokens = new Lexer(expression).lex().tokens;
  const ast = new Parser(tokens, CONTEXT_NAMES, [...functions.values()]).parse();
  return new Evaluator(ast, toData(contexts), functions).evaluate();
}

/** GitHub's truthiness: null, false, 0, NaN and '' are false. */
export function truthy(value: data.ExpressionData): boolean {
  switch (value.kind) {
    case data.Kind.Null:
      return false;
    case data.Kind.Boolean:
      return (value as data.BooleanData).value;
    case data.Kind.Number: {
      const n = (value as data.NumberData).value;
      return n !== 0 && !Number.isNaN(n);
    }
    case data.Kind.String:
      return (value as data.StringData).value !== '';
    default:
      return true;
  }
}

function stringOf(value: data.ExpressionData): string {
  if (value.kind === data.Kind.Array || value.kind === data.Kind.Dictionary) {
    return JSON.stringify(value, data.replacer, 2);
  }
  return value.coerceString();
}

/** Replace every `${{ }}` in a string; a string that is one whole expression keeps GitHub's string coercion. */
export function interpolate(template: string, contexts: Contexts, status: Status = OK): string {
  return template.replace(/\$\{\{([\s\S]*?)\}\}/g, (_, expression: string) =>
    stringOf(evaluateExpression(expression.trim(), contexts, status)),
  );
}

/** Interpolate every string in a YAML value (with:, env:, outputs:, environment:, ...). */
export function interpolateAll<T>(value: T, contexts: Contexts, status?: Status): T {
  if (typeof value === 'string') return interpolate(value, contexts, status) as T;
  if (Array.isArray(value)) return value.map((item) => interpolateAll(item, contexts, status)) as T;
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, interpolateAll(v, contexts, status)])) as T;
  }
  return value;
}

/**
 * A job or step `if:` as the runner computes it: `${{ }}` may wrap it, and an
 * expression without a status function gets an implicit `success() && (...)`.
 */
export function evaluateCondition(condition: string | boolean | undefined, contexts: Contexts, status: Status): boolean {
  if (condition === undefined || condition === '') return status.success && !status.cancelled;
  let expression = String(condition).trim();
  const wrapped = /^\$\{\{([\s\S]*)\}\}$/.exec(expression);
  if (wrapped?.[1] !== undefined) expression = wrapped[1].trim();
  const usesStatus = new RegExp(`\\b(${STATUS_FUNCTIONS.join('|')})\\s*\\(`, 'i').test(expression);
  if (!usesStatus) expression = `success() && (${expression})`;
  return truthy(evaluateExpression(expression, contexts, status));
}
