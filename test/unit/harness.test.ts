import { describe, expect, it } from 'vitest';
import { parseFileCommands, parseWorkflowCommands } from '../harness/file-commands.js';

describe('parseFileCommands', () => {
  it('reads heredoc and legacy lines; later writes win', () => {
    const content = 'a<<ghadelimiter_1\nline 1\nline 2\nghadelimiter_1\nb=plain=value\na<<EOF\nagain\nEOF\nempty<<X\nX\n';
    expect(parseFileCommands(content)).toEqual({ a: 'again', b: 'plain=value', empty: '' });
  });

  it('fails on an unterminated heredoc', () => {
    expect(() => parseFileCommands('a<<EOF\nvalue\n')).toThrow(/Unterminated heredoc for 'a'/);
  });
});

describe('parseWorkflowCommands', () => {
  it('unescapes messages and properties', () => {
    const stdout = 'plain line\n::error file=a%2Cb.yml,line=3::bad%0Avalue 100%25\n::add-mask::secret\n::notice::done';
    expect(parseWorkflowCommands(stdout)).toEqual([
      { command: 'error', properties: { file: 'a,b.yml', line: '3' }, message: 'bad\nvalue 100%' },
      { command: 'add-mask', properties: {}, message: 'secret' },
      { command: 'notice', properties: {}, message: 'done' },
    ]);
  });
});
