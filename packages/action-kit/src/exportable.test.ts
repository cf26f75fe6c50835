import { describe, expect, it } from 'vitest';
import { ConfigurationError } from './errors.js';
import { checkExportable, refusedVariableReason } from './exportable.js';

describe('refusedVariableReason', () => {
  it.each([
    'GITHUB_ENV',
    'github_output',
    'Github_Step_Summary',
    'GITHUB_PATH',
    'GITHUB_STATE',
    'GITHUB_TOKEN',
    'RUNNER_TEMP',
    'ACTIONS_ID_TOKEN_REQUEST_URL',
    'INPUT_ROLE_TO_ASSUME',
    'BASH_ENV',
    'BASH_FUNC_echo',
    'ENV',
    'PATH',
    'Path',
    'path',
    'HOME',
    'IFS',
    'PS4',
    'PROMPT_COMMAND',
    'SHELLOPTS',
    'BASHOPTS',
    'CDPATH',
    'ZDOTDIR',
    'TMPDIR',
    'LD_PRELOAD',
    'ld_library_path',
    'LD_AUDIT',
    'DYLD_INSERT_LIBRARIES',
    'GCONV_PATH',
    'OPENSSL_CONF',
    'NODE_OPTIONS',
    'NODE_PATH',
    'NODE_EXTRA_CA_CERTS',
    'NODE_TLS_REJECT_UNAUTHORIZED',
    'NODE_REPL_EXTERNAL_MODULE',
    'npm_config_script_shell',
    'NPM_CONFIG_USERCONFIG',
    'YARN_YARN_PATH',
    'PYTHONPATH',
    'PYTHONSTARTUP',
    'PYTHONWARNINGS',
    'PERL5LIB',
    'PERL5OPT',
    'RUBYOPT',
    'JAVA_TOOL_OPTIONS',
    '_JAVA_OPTIONS',
    'JDK_JAVA_OPTIONS',
    'DOTNET_STARTUP_HOOKS',
    'CORECLR_PROFILER_PATH',
    'GOFLAGS',
    'RUSTC_WRAPPER',
    'GIT_SSH_COMMAND',
    'GIT_CONFIG_COUNT',
    'GIT_CONFIG_KEY_0',
    'GIT_CONFIG_PARAMETERS',
    'GIT_EXEC_PATH',
    'GIT_ASKPASS',
    'SSH_ASKPASS',
    'HTTPS_PROXY',
    'https_proxy',
    'SSL_CERT_FILE',
    'DOCKER_HOST',
    'AWS_CONFIG_FILE',
    'AWS_ENDPOINT_URL',
    'AWS_ENDPOINT_URL_S3',
  ])('refuses %s', (name) => {
    expect(refusedVariableReason(name)).toBeDefined();
  });

  it.each([
    'NODE_ENV',
    'node_env',
    'NPM_TOKEN',
    'APP_PATH',
    'PATHNAME',
    'HOME_URL',
    'DB_PASSWORD',
    'APP_GITHUB_ENV',
    'GITHUBS',
    'GIT',
    'AWS_REGION',
    'AWS_ACCESS_KEY_ID',
    'CARGO_REGISTRY_TOKEN',
  ])('allows %s', (name) => {
    expect(refusedVariableReason(name)).toBeUndefined();
  });

  it.each(['', '1A', 'A-B', 'A=B', 'A\nB', 'A<<EOF', 'NAME%%'])('refuses the invalid name %j', (name) => {
    expect(refusedVariableReason(name)).toMatch(/not a valid variable name/);
  });
});

describe('checkExportable', () => {
  it('names every refused variable in one error, with the caller’s description and hint', () => {
    let error: unknown;
    try {
      checkExportable(['OK', 'PATH', 'GITHUB_ENV'], { describe: (name) => `Source of ${name}`, hint: 'Do X.' });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ConfigurationError);
    const message = (error as Error).message;
    expect(message).toMatch(/^Refusing to export 2 variables to the job environment; nothing was exported\. Source of PATH changes/);
    expect(message).toContain('Source of GITHUB_ENV belongs to the runner');
    expect(message).toMatch(/ Do X\.$/);
  });

  it('accepts allowed names', () => {
    expect(() => checkExportable(['NODE_ENV', 'DB_HOST'])).not.toThrow();
  });
});
