import { describe, expect, it } from 'vitest';
import { parseCommandLine } from './command-line.js';

describe('parseCommandLine', () => {
  it('splits shell-like words with quotes and escapes', () => {
    expect(parseCommandLine(`npm run migrate -- --name "add users" 'it''s' a\\ b ""`)).toEqual([
      'npm',
      'run',
      'migrate',
      '--',
      '--name',
      'add users',
      'its',
      'a b',
      '',
    ]);
  });

  it('takes a JSON array as is', () => {
    expect(parseCommandLine('["sh", "-c", "echo $HOME && migrate"]')).toEqual(['sh', '-c', 'echo $HOME && migrate']);
  });

  it('rejects unclosed quotes and bad arrays, naming the input', () => {
    expect(() => parseCommandLine('npm "run')).toThrow(/'run-task-command' has an unclosed " quote/);
    expect(() => parseCommandLine('[1, 2]')).toThrow(/non-empty JSON array of strings/);
  });
});
