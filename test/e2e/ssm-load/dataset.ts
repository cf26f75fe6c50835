import type { SeedParameter } from './seed.js';

/** A PEM-like multi-line secret: every line must be masked on its own. */
export const MULTI_LINE_SECRET = [
  '-----BEGIN TEST KEY-----',
  'MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC7VJTUt9Us8cKj',
  'MzEfYyjiWA4R4/M2bS1GB4t7NXp98C3SC6dVMvDuictGeurT8jNbvJZHtCSuYEvu',
  'NMoSfm76oqFvAp8Gy0iz5sxjZmSnXyCdPEovGhLa0VzMaQ8s+CLOyS56YyCFGeJZ',
  '-----END TEST KEY-----',
].join('\n');

/** A value every dotenv parser must read back: quotes, $, #, =, backslash, spaces. */
export const TRICKY_VALUE = `p@ss "quoted" 'single' $HOME \${PATH} #not-a-comment a=b back\\slash  trailing `;
export const UNICODE_VALUE = '안녕하세요 🌏 héllo ünïcödé — 日本語';

export interface Dataset {
  parameters: SeedParameter[];
  /** The variables the action must export for paths [common, production] plus names. */
  expected: Record<string, string>;
  /** Every secret value (SecureString), whole. */
  secrets: string[];
  paths: string[];
  names: string[];
  counts: { common: number; production: number; names: number };
  /** Variables a production parameter overrides. */
  overridden: string[];
}

function fill(seed: string, length: number): string {
  let text = '';
  while (text.length < length) text += `${seed}-${text.length.toString(36)}|`;
  return text.slice(0, length);
}

/** 1,000+ parameters under /shop/common and /shop/production (nested), plus names under /shop/shared. */
export function buildDataset(root = '/shop'): Dataset {
  const parameters: SeedParameter[] = [];
  const expected: Record<string, string> = {};
  const secrets: string[] = [];
  const add = (name: string, value: string, type: SeedParameter['type'], envName: string | undefined, tier?: 'Advanced') => {
    parameters.push({ name, value, type, ...(tier ? { tier } : {}) });
    if (envName) expected[envName] = value;
    if (type === 'SecureString') secrets.push(value);
  };

  // /shop/common: 503 parameters, three levels deep.
  for (let i = 0; i < 500; i++) {
    const type = i % 7 === 0 ? 'SecureString' : 'String';
    const value = type === 'SecureString' ? `common-secret-${i}-${fill('c', 24)}` : `common-value-${i}`;
    add(`${root}/common/svc${i % 10}/group-${i % 5}/key_${i}`, value, type, `SVC${i % 10}_GROUP_${i % 5}_KEY_${i}`);
  }
  add(`${root}/common/db/host`, 'db.common.internal', 'String', undefined);
  add(`${root}/common/db/password`, 'common-db-password-never-used-Zq9', 'SecureString', undefined);
  add(`${root}/common/log/level`, 'info', 'String', undefined);

  // /shop/production: 511 parameters, overriding some of common.
  for (let i = 0; i < 500; i++) {
    const kind = i % 3;
    const type = kind === 0 ? 'SecureString' : kind === 1 ? 'String' : 'StringList';
    const value = kind === 0 ? `prod-secret-${i}-${fill('p', 20)}` : kind === 1 ? `prod-value-${i}` : `a${i},b${i},c${i}`;
    add(`${root}/production/app/feature-${i}`, value, type, `APP_FEATURE_${i}`);
  }
  add(`${root}/production/db/host`, 'db.production.internal', 'String', undefined);
  add(`${root}/production/db/password`, 'prod-db-password-Xy7!kQ2#', 'SecureString', undefined);
  add(`${root}/production/log/level`, 'warn', 'String', undefined);
  add(`${root}/production/tls/key`, MULTI_LINE_SECRET, 'SecureString', 'TLS_KEY');
  add(`${root}/production/text/unicode`, UNICODE_VALUE, 'String', 'TEXT_UNICODE');
  add(`${root}/production/text/tricky`, TRICKY_VALUE, 'SecureString', 'TEXT_TRICKY');
  add(`${root}/production/blob/four-kb`, fill('four', 4096), 'String', 'BLOB_FOUR_KB');
  add(`${root}/production/blob/eight-kb`, fill('eight-secret', 8192), 'SecureString', 'BLOB_EIGHT_KB', 'Advanced');
  add(`${root}/production/text/multi-line`, 'first line\nsecond line\n\nfourth after a blank', 'String', 'TEXT_MULTI_LINE');
  add(`${root}/production/list/regions`, 'ap-northeast-2,us-east-1', 'StringList', 'LIST_REGIONS');
  add(`${root}/production/text/empty-ish`, ' ', 'String', 'TEXT_EMPTY_ISH');
  expected.DB_HOST = 'db.production.internal';
  expected.LOG_LEVEL = 'warn';

  // Names: 14 names, two GetParameters batches; one overrides a path value.
  const names: string[] = [];
  for (let i = 0; i < 12; i++) {
    add(`${root}/shared/n${i}`, `shared-${i}`, 'String', `N${i}`);
    names.push(`${root}/shared/n${i}`);
  }
  add(`${root}/shared/sentry/dsn`, 'https://public@sentry.example/42', 'String', 'SENTRY_DSN');
  names.push(`SENTRY_DSN=${root}/shared/sentry/dsn`);
  add(`${root}/shared/db-password-rotated`, 'rotated-db-password-Lm3$Vv8', 'SecureString', 'DB_PASSWORD');
  names.push(`DB_PASSWORD=${root}/shared/db-password-rotated`);

  return {
    parameters,
    expected,
    secrets,
    paths: [`${root}/common`, `${root}/production`],
    names,
    counts: { common: 503, production: 511, names: 14 },
    overridden: ['DB_HOST', 'DB_PASSWORD', 'LOG_LEVEL'],
  };
}
