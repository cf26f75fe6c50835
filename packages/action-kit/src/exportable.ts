import { ConfigurationError, quote } from './errors.js';

/**
 * Which variable names an action may export to later steps (GITHUB_ENV). A value exported
 * there is seen by every later step of the job, including the runner's own node for post
 * steps, every `bash` the job starts and every third-party action; its *name* must not be
 * one that redirects the runner or runs code. Names are compared case-insensitively: Windows
 * runners treat `Path` as `PATH`, and zsh ties `path` to `PATH`.
 * The list and the reasoning are in actions/ssm-load/README.md ("Refused variable names").
 */
interface Rule {
  names?: readonly string[];
  prefixes?: readonly string[];
  except?: readonly string[];
  /** Why, completing "it ...". */
  why: string;
}

const RULES: readonly Rule[] = [
  {
    prefixes: ['GITHUB_', 'RUNNER_', 'ACTIONS_'],
    why: "belongs to the runner: it would redirect the runner's files (GITHUB_ENV, GITHUB_OUTPUT...), tokens or caches",
  },
  { prefixes: ['INPUT_'], why: 'is how the runner passes inputs: it would change the inputs of later actions' },
  {
    names: ['PATH', 'HOME', 'CDPATH', 'ZDOTDIR'],
    why: 'changes which programs later steps run, or which start-up and configuration files they read',
  },
  {
    names: ['ENV', 'IFS', 'GLOBIGNORE', 'SHELLOPTS', 'BASHOPTS', 'PROMPT_COMMAND'],
    prefixes: ['BASH_', 'PS0', 'PS1', 'PS2', 'PS3', 'PS4'],
    why: 'makes a later shell run its value or changes how it runs commands (BASH_ENV is sourced by every bash step)',
  },
  {
    names: ['TMPDIR', 'TMP', 'TEMP', 'XDG_CONFIG_HOME', 'XDG_CONFIG_DIRS', 'EDITOR', 'VISUAL', 'PAGER'],
    why: 'moves where later programs read their configuration or write temporary files, or names a command they run',
  },
  {
    names: ['GCONV_PATH', 'OPENSSL_CONF', 'OPENSSL_ENGINES', 'OPENSSL_MODULES'],
    prefixes: ['LD_', 'DYLD_'],
    why: 'makes later programs load a library of its choosing',
  },
  {
    names: [
      'RUBYOPT',
      'RUBYLIB',
      'JAVA_TOOL_OPTIONS',
      '_JAVA_OPTIONS',
      'JDK_JAVA_OPTIONS',
      'MAVEN_OPTS',
      'GRADLE_OPTS',
      'DOTNET_STARTUP_HOOKS',
      'GOFLAGS',
      'GOENV',
      'RUSTC_WRAPPER',
      'RUSTC_WORKSPACE_WRAPPER',
      'CARGO_BUILD_RUSTC_WRAPPER',
    ],
    prefixes: ['NODE_', 'NPM_CONFIG_', 'YARN_', 'PYTHON', 'PERL', 'CORECLR_'],
    except: ['NODE_ENV'],
    why: 'passes options or code to a language runtime or package manager in later steps (the runner itself refuses NODE_OPTIONS)',
  },
  {
    names: ['SSH_ASKPASS', 'SSH_ASKPASS_REQUIRE'],
    prefixes: ['GIT_'],
    why: 'makes git or ssh run a command of its choosing (GIT_SSH_COMMAND, GIT_CONFIG_*, GIT_ASKPASS...)',
  },
  {
    names: [
      'HTTP_PROXY',
      'HTTPS_PROXY',
      'ALL_PROXY',
      'SSL_CERT_FILE',
      'SSL_CERT_DIR',
      'CURL_CA_BUNDLE',
      'REQUESTS_CA_BUNDLE',
      'DOCKER_HOST',
      'DOCKER_CONFIG',
      'AWS_CONFIG_FILE',
      'AWS_SHARED_CREDENTIALS_FILE',
      'AWS_CA_BUNDLE',
      'AWS_ENDPOINT_URL',
    ],
    prefixes: ['AWS_ENDPOINT_URL_'],
    why: "sends later steps' requests and credentials elsewhere, or changes which servers they trust",
  },
];

const VALID_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** Why `name` must not be exported to later steps, or undefined when it may be. */
export function refusedVariableReason(name: string): string | undefined {
  if (!VALID_NAME.test(name)) return "is not a valid variable name (letters, digits and '_', not starting with a digit)";
  const upper = name.toUpperCase();
  for (const rule of RULES) {
    if (rule.except?.includes(upper)) continue;
    if (rule.names?.includes(upper) || rule.prefixes?.some((prefix) => upper.startsWith(prefix))) return rule.why;
  }
  return undefined;
}

/**
 * Throw one ConfigurationError naming every variable that may not be exported (and why),
 * before anything is written. `describe` names where a variable came from (e.g. the SSM
 * parameter that becomes it); `hint` says what to do instead.
 */
export function checkExportable(
  names: Iterable<string>,
  options: { describe?: (name: string) => string; hint?: string; target?: string } = {},
): void {
  const describe = options.describe ?? ((name: string) => `The variable ${quote(name)}`);
  const hint = options.hint ?? "Export it under another name, e.g. with a prefix such as 'APP_' (APP_PATH is fine).";
  const refused: string[] = [];
  for (const name of names) {
    const why = refusedVariableReason(name);
    if (why) refused.push(`${describe(name)} ${why}.`);
  }
  if (refused.length === 0) return;
  throw new ConfigurationError(
    `Refusing to export ${refused.length === 1 ? 'a variable' : `${refused.length} variables`} to ${options.target ?? 'the job environment'}; nothing was exported. ${refused.join(' ')} ${hint}`,
  );
}
