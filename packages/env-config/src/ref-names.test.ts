import { describe, expect, it } from 'vitest';
import { imageTag, refSlug, semverVersion, shortSha } from './ref-names.js';

describe('refSlug', () => {
  it.each([
    ['main', 'main'],
    ['feature/Login_Form', 'feature-login-form'],
    ['fix/JIRA-123__x!!', 'fix-jira-123-x'],
    ['--Weird--', 'weird'],
    ['v1.2.3', 'v1-2-3'],
    ['ünïcode/브랜치', 'n-code'],
    ['///', ''],
  ])('%s → %s', (name, slug) => {
    expect(refSlug(name)).toBe(slug);
  });

  it('keeps at most 63 characters and never ends with a dash after cutting', () => {
    expect(refSlug('a'.repeat(100))).toBe('a'.repeat(63));
    const slug = refSlug(`${'b'.repeat(62)}/tail`);
    expect(slug).toBe('b'.repeat(62));
    expect(slug).toMatch(/^[a-z0-9]([a-z0-9-]*[a-z0-9])?$/);
  });
});

describe('semverVersion', () => {
  it.each([
    ['v1.2.3', '1.2.3'],
    ['1.2.3', '1.2.3'],
    ['v1.2.3-rc.1+build', '1.2.3-rc.1+build'],
    ['v0.0.0', '0.0.0'],
    ['v1.2', ''],
    ['v01.2.3', ''],
    ['V1.2.3', ''],
    ['release-1.2.3', ''],
    ['v1.2.3-', ''],
    ['nightly', ''],
  ])('%s → %j', (tag, version) => {
    expect(semverVersion(tag)).toBe(version);
  });
});

describe('imageTag', () => {
  it('is the version for semver tags, with + made OCI-safe', () => {
    expect(imageTag('1.2.3', 'v1-2-3', '0123456')).toBe('1.2.3');
    expect(imageTag('1.2.3-rc.1+b.5', 'x', '0123456')).toBe('1.2.3-rc.1_b.5');
  });

  it('is <ref-slug>-<sha-short> otherwise, and never starts with a dash', () => {
    expect(imageTag('', 'feature-x', '0123456')).toBe('feature-x-0123456');
    expect(imageTag('', '', '0123456')).toBe('0123456');
  });

  it('stays within the OCI tag limit of 128 characters, keeping distinct versions distinct', () => {
    // OCI distribution spec, "Pulling manifests": a tag matches [a-zA-Z0-9_][a-zA-Z0-9._-]{0,127}.
    const long = `1.2.3-${'a'.repeat(140)}`;
    const other = `1.2.3-${'a'.repeat(139)}b`;
    const tag = imageTag(long, 'x', '0123456');
    expect(tag).toMatch(/^[a-zA-Z0-9_][a-zA-Z0-9._-]{0,127}$/);
    expect(tag.length).toBe(128);
    expect(tag.startsWith(long.slice(0, 115))).toBe(true);
    expect(imageTag(other, 'x', '0123456')).not.toBe(tag);
    expect(imageTag(long, 'x', '0123456')).toBe(tag);
    const exact = `1.0.0-${'r'.repeat(122)}`;
    expect(imageTag(exact, 'x', '0123456')).toBe(exact);
  });

  it('shortSha keeps 7 characters', () => {
    expect(shortSha('0123456789abcdef')).toBe('0123456');
  });
});
