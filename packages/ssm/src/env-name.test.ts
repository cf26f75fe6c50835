import { ConfigurationError } from '@baepo/action-kit';
import { describe, expect, it } from 'vitest';
import { isValidEnvName, parameterEnvName } from './env-name.js';

describe('parameterEnvName', () => {
  it('turns the relative path into a variable name', () => {
    expect(parameterEnvName('db/password', 'upper-snake')).toBe('DB_PASSWORD');
    expect(parameterEnvName('api/base-url.v2', 'upper-snake')).toBe('API_BASE_URL_V2');
    expect(parameterEnvName('db/password', 'lower-snake')).toBe('db_password');
    expect(parameterEnvName('Db_Password', 'as-is')).toBe('Db_Password');
    expect(parameterEnvName('db/password', 'upper-snake', 'APP_')).toBe('APP_DB_PASSWORD');
  });

  it('refuses names that are not valid variable names, saying what to do', () => {
    expect(() => parameterEnvName('db/password', 'as-is')).toThrow(ConfigurationError);
    expect(() => parameterEnvName('db/password', 'as-is')).toThrow(/use 'upper-snake' or 'lower-snake'/);
    expect(() => parameterEnvName('2fa/key', 'upper-snake')).toThrow(/"2FA_KEY".*set a 'prefix'/);
    expect(parameterEnvName('2fa/key', 'upper-snake', 'APP_')).toBe('APP_2FA_KEY');
  });

  it('knows a valid name', () => {
    expect(isValidEnvName('_A1')).toBe(true);
    expect(isValidEnvName('1A')).toBe(false);
    expect(isValidEnvName('A-B')).toBe(false);
    expect(isValidEnvName('')).toBe(false);
  });
});
