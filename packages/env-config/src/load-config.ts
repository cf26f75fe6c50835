import { ConfigurationError } from '@baepo/action-kit';
import { isMap, isScalar, LineCounter, parseDocument } from 'yaml';
import { globProblem } from './glob.js';
import { PLACEHOLDERS, unknownPlaceholders } from './placeholders.js';
import {
  DEFAULTS_KEYS,
  ENVIRONMENT_KEYS,
  type EnvConfig,
  type EnvironmentConfig,
  RULE_KINDS,
  type RuleKind,
  type Settings,
  TOP_LEVEL_KEYS,
} from './schema.js';
import { describe, type Entry, NodeReader, type Problem } from './yaml-nodes.js';

const ENVIRONMENT_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;
const REGION = /^[a-z]{2}(-[a-z]+)+-\d+$/;
const ROLE_ARN = /^arn:aws(-[a-z]+)*:iam::\d{12}:role\/[\w+=,.@/-]+$/;

/**
 * Parse and validate the text of a baepo config file. Every problem is collected and
 * reported in one ConfigurationError naming `file:line`, the YAML path and what is valid.
 */
export function parseConfig(text: string, file: string): EnvConfig {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, uniqueKeys: false, prettyErrors: false });
  const syntax = doc.errors[0];
  if (syntax) {
    // Later syntax errors are usually echoes of the first; report that one.
    const message = syntax.message.split('\n')[0]?.replace(/ at line \d+, column \d+:?$/, '');
    // An error found at the very end (an unclosed quote) is reported on the last line, not past it.
    const lastLine = text.replace(/\n$/, '').split('\n').length;
    const line = Math.min(lines.linePos(syntax.pos[0]).line, lastLine);
    throw configError(file, [{ line, path: '', message: `invalid YAML: ${message}; fix the syntax` }]);
  }
  const reader = new NodeReader(doc, lines);
  const config = readConfig(reader, doc.contents, file);
  if (reader.problems.length > 0 || !config) throw configError(file, reader.problems);
  return config;
}

function configError(file: string, unsorted: Problem[]): ConfigurationError {
  const problems = [...unsorted].sort((a, b) => a.line - b.line);
  const format = (p: Problem) => `${file}:${p.line}: ${p.path === '' ? '' : `${p.path}: `}${p.message}.`;
  const message =
    problems.length === 1
      ? format(problems[0] as Problem)
      : `${file} has ${problems.length} problems:\n${problems.map((p, i) => `${i + 1}. ${format(p)}`).join('\n')}`;
  // The annotation puts the (first) problem on its line of the file in the run and PR views.
  return new ConfigurationError(message, { input: 'config', annotation: { file, line: problems[0]?.line ?? 1 } });
}

function readConfig(reader: NodeReader, root: unknown, file: string): EnvConfig | undefined {
  if (root === null || root === undefined) {
    reader.report(root, '', "is empty; start it with 'version: 1' and an 'environments' map");
    return undefined;
  }
  if (!reader.expectMap(root, '(top level)', 'version: 1, defaults, environments')) return undefined;
  const top = new Map(reader.entries(root, '', TOP_LEVEL_KEYS).map((e) => [e.key, e]));

  const version = top.get('version');
  if (!version) reader.report(root, 'version', "is missing; add 'version: 1' at the top");
  else {
    const value = reader.deref(version.value);
    if (!isScalar(value) || value.value !== 1) {
      reader.report(version.value ?? version.keyNode, 'version', `must be 1 (the only schema version); got ${describe(value)}`);
    }
  }

  const defaultsEntry = top.get('defaults');
  let defaults: Settings = {};
  if (defaultsEntry && reader.expectMap(defaultsEntry.value ?? defaultsEntry.keyNode, 'defaults', 'aws-region: eu-west-1')) {
    defaults = readSettings(reader, reader.entries(defaultsEntry.value, 'defaults', DEFAULTS_KEYS));
  }

  const environmentsEntry = top.get('environments');
  const environments: EnvironmentConfig[] = [];
  if (!environmentsEntry) {
    reader.report(root, 'environments', "is missing; add an 'environments' map (e.g. production: { match: { branches: [main] } })");
  } else if (reader.expectMap(environmentsEntry.value ?? environmentsEntry.keyNode, 'environments', 'production: { match: ... }')) {
    const entries = reader.entries(environmentsEntry.value, 'environments');
    const written = reader.deref(environmentsEntry.value);
    if (isMap(written) && written.items.length === 0) {
      reader.report(
        environmentsEntry.keyNode,
        'environments',
        'is empty; define at least one environment (e.g. production: { match: { branches: [main] } })',
      );
    }
    for (const entry of entries) {
      const environment = readEnvironment(reader, entry.key, entry.keyNode, entry.value, entry.path);
      if (environment) environments.push(environment);
    }
  }
  return { file, defaults, environments };
}

function readEnvironment(reader: NodeReader, name: string, keyNode: unknown, node: unknown, path: string): EnvironmentConfig | undefined {
  if (!ENVIRONMENT_NAME.test(name)) {
    reader.report(
      keyNode,
      path,
      `environment name '${name}' is not valid; use letters, digits, '-', '_' and '.' (it starts with a letter or digit)`,
    );
  }
  if (!reader.expectMap(node ?? keyNode, path, `write '${name}: {}' for an environment without settings`)) return undefined;
  const entries = reader.entries(node, path, ENVIRONMENT_KEYS);
  const settings = readSettings(reader, entries);
  const fields = new Map(entries.map((e) => [e.key, e]));
  const production = fields.get('production');
  const match: Record<RuleKind, EnvironmentConfig['match'][RuleKind]> = { branches: [], tags: [], 'pull-requests': [] };
  const matchEntry = fields.get('match');
  if (matchEntry && reader.expectMap(matchEntry.value ?? matchEntry.keyNode, matchEntry.path, "branches: [main], tags: ['v*']")) {
    for (const rule of reader.entries(matchEntry.value, matchEntry.path, RULE_KINDS)) {
      const kind = rule.key as RuleKind;
      for (const item of reader.stringList(rule.value, rule.path)) {
        const problem = globProblem(item.value);
        if (problem) reader.report(item.line, item.path, `glob '${item.value}' ${problem}`);
        else match[kind].push({ kind, pattern: item.value, path: item.path, line: item.line });
      }
    }
  }
  return {
    name,
    production: production ? (reader.boolean(production.value, production.path) ?? false) : false,
    match,
    settings,
    line: reader.line(keyNode),
  };
}

/** The settings among a map's entries (other keys are left to the caller). */
function readSettings(reader: NodeReader, entries: Entry[]): Settings {
  const settings: Settings = {};
  for (const entry of entries) {
    switch (entry.key) {
      case 'aws-region': {
        const value = reader.string(entry.value, entry.path);
        if (value !== undefined && !REGION.test(value)) {
          reader.report(entry.value, entry.path, `'${value}' is not an AWS region; write one such as 'eu-west-1' or 'ap-northeast-2'`);
        } else if (value !== undefined) settings.awsRegion = value;
        break;
      }
      case 'aws-role-arn': {
        const value = reader.string(entry.value, entry.path);
        if (value !== undefined && !ROLE_ARN.test(value)) {
          reader.report(
            entry.value,
            entry.path,
            `'${value}' is not an IAM role ARN; write one such as 'arn:aws:iam::111111111111:role/deploy'`,
          );
        } else if (value !== undefined) settings.awsRoleArn = value;
        break;
      }
      case 'url': {
        const value = reader.string(entry.value, entry.path);
        if (value !== undefined && checkPlaceholders(reader, entry.value, entry.path, value)) settings.url = value;
        break;
      }
      case 'ssm-paths': {
        const paths: string[] = [];
        for (const item of reader.stringList(entry.value, entry.path)) {
          if (!item.value.startsWith('/')) {
            reader.report(item.line, item.path, `SSM path '${item.value}' must start with '/' (e.g. '/shop/production')`);
          } else if (checkPlaceholders(reader, item.line, item.path, item.value)) paths.push(item.value);
        }
        settings.ssmPaths = paths;
        break;
      }
      case 'vars': {
        if (!reader.expectMap(entry.value ?? entry.keyNode, entry.path, 'cluster: shop-prod')) break;
        const vars: Record<string, string> = {};
        for (const variable of reader.entries(entry.value, entry.path)) {
          const value = reader.scalarText(variable.value ?? variable.keyNode, variable.path);
          if (value !== undefined && checkPlaceholders(reader, variable.value, variable.path, value)) vars[variable.key] = value;
        }
        settings.vars = vars;
        break;
      }
    }
  }
  return settings;
}

function checkPlaceholders(reader: NodeReader, at: unknown, path: string, text: string): boolean {
  const unknown = unknownPlaceholders(text);
  if (unknown.length === 0) return true;
  reader.report(
    at,
    path,
    `unknown placeholder ${unknown.map((name) => `'{${name}}'`).join(', ')}; valid placeholders: ${PLACEHOLDERS.map((p) => `{${p}}`).join(', ')}`,
  );
  return false;
}
