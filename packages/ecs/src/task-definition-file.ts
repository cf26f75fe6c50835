import type { RegisterTaskDefinitionCommandInput } from '@aws-sdk/client-ecs';
import { ConfigurationError, quote } from '@baepo/action-kit';
import { LineCounter, parseDocument } from 'yaml';
import { CONTAINER_KEYS, DESCRIBE_ONLY_KEYS, TASK_DEFINITION_KEYS } from './task-definition-keys.js';

export type TaskDefinitionInput = RegisterTaskDefinitionCommandInput;

const INPUT = 'task-definition';

/**
 * Parse a task definition file (JSON or YAML). The output of
 * `aws ecs describe-task-definition` works as is: the `taskDefinition` wrapper
 * and describe-only keys are dropped. Unknown keys are an error naming them.
 */
export function parseTaskDefinitionFile(text: string, file: string): TaskDefinitionInput {
  const data = file.toLowerCase().endsWith('.json') ? parseJson(text, file) : parseYaml(text, file);
  if (!isObject(data)) {
    throw new ConfigurationError(`Task definition file ${file} must hold an object (a task definition), not ${describeType(data)}.`, {
      input: INPUT,
    });
  }
  const body = isObject(data.taskDefinition) ? data.taskDefinition : data;
  return cleanTaskDefinition(body, file);
}

/** Strip describe-only keys and check every remaining key, top level and per container. */
export function cleanTaskDefinition(body: Record<string, unknown>, source: string): TaskDefinitionInput {
  const result: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(body)) {
    if ((DESCRIBE_ONLY_KEYS as readonly string[]).includes(key)) continue;
    if (!(TASK_DEFINITION_KEYS as readonly string[]).includes(key)) throw unknownKey(source, key, TASK_DEFINITION_KEYS, '');
    result[key] = value;
  }
  const containers = result.containerDefinitions;
  if (!Array.isArray(containers) || containers.length === 0) {
    throw new ConfigurationError(`Task definition ${source} has no 'containerDefinitions': add at least one container.`, { input: INPUT });
  }
  containers.forEach((container, index) => {
    if (!isObject(container) || typeof container.name !== 'string') {
      throw new ConfigurationError(`Task definition ${source}: containerDefinitions[${index}] needs a 'name'.`, { input: INPUT });
    }
    for (const key of Object.keys(container)) {
      if (!(CONTAINER_KEYS as readonly string[]).includes(key)) {
        throw unknownKey(source, key, CONTAINER_KEYS, ` in container ${quote(container.name)}`);
      }
    }
  });
  if (typeof result.family !== 'string' || result.family === '') {
    throw new ConfigurationError(`Task definition ${source} has no 'family': add one (the task definition's name).`, { input: INPUT });
  }
  return result as unknown as TaskDefinitionInput;
}

function unknownKey(source: string, key: string, valid: readonly string[], where: string): ConfigurationError {
  const near = valid.find((v) => v.toLowerCase() === key.toLowerCase() || editDistance(v, key) <= 2);
  const hint = near ? ` Did you mean '${near}'?` : ` Valid keys: ${valid.join(', ')}.`;
  return new ConfigurationError(`Task definition ${source} has an unknown key ${quote(key)}${where}.${hint}`, { input: INPUT });
}

function parseJson(text: string, file: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const position = /position (\d+)/.exec(message);
    const lineMatch = /line (\d+)/.exec(message);
    const line = lineMatch ? Number(lineMatch[1]) : position ? lineOf(text, Number(position[1])) : undefined;
    const where = line === undefined ? file : `${file}:${line}`;
    throw new ConfigurationError(`Task definition file ${where} is not valid JSON: ${message}. Fix the syntax at that line.`, {
      input: INPUT,
    });
  }
}

function parseYaml(text: string, file: string): unknown {
  const lineCounter = new LineCounter();
  const document = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  const problem = document.errors[0];
  if (problem) {
    const line = problem.linePos?.[0]?.line ?? lineCounter.linePos(problem.pos[0]).line;
    const reason = problem.message.split('\n')[0];
    throw new ConfigurationError(`Task definition file ${file}:${line} is not valid YAML: ${reason}. Fix the syntax at that line.`, {
      input: INPUT,
    });
  }
  return document.toJS();
}

function lineOf(text: string, position: number): number {
  return text.slice(0, position).split('\n').length;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function describeType(value: unknown): string {
  if (Array.isArray(value)) return 'a list';
  if (value === null || value === undefined) return 'nothing';
  return `a ${typeof value}`;
}

function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let previous = row[0] as number;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const current = row[j] as number;
      row[j] = Math.min(current + 1, (row[j - 1] as number) + 1, previous + (a[i - 1] === b[j - 1] ? 0 : 1));
      previous = current;
    }
  }
  return row[b.length] as number;
}
