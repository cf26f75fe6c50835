import { DeleteObjectCommand, DeleteObjectsCommand, type S3Client } from '@aws-sdk/client-s3';
import { describe, expect, it } from 'vitest';
import { deleteKeys, xmlCanCarry } from './deleter.js';

/** An S3 client that records each command it is sent. */
function recordingClient() {
  const sent: { name: string; keys: string[] }[] = [];
  const s3 = {
    send: async (command: unknown) => {
      if (command instanceof DeleteObjectsCommand) {
        sent.push({ name: 'DeleteObjects', keys: (command.input.Delete?.Objects ?? []).map((o) => o.Key ?? '') });
        return { Errors: [] };
      }
      if (command instanceof DeleteObjectCommand) {
        sent.push({ name: 'DeleteObject', keys: [command.input.Key ?? ''] });
        return {};
      }
      throw new Error('unexpected command');
    },
  } as unknown as S3Client;
  return { s3, sent };
}

describe('deleteKeys', () => {
  it('tells keys XML 1.0 can carry (CR, LF, tab: as character references) from those it cannot', () => {
    for (const key of ['a\rb', 'a\nb', 'a\tb', 'é\u0085\u2028', '😀']) expect(xmlCanCarry(key), JSON.stringify(key)).toBe(true);
    for (const key of ['a\u0000b', 'a\u0001b', 'a\u000bb', 'a\u001fb', 'a\ufffeb', 'a\uffff', '\ud800x'])
      expect(xmlCanCarry(key), JSON.stringify(key)).toBe(false);
  });

  it('batches what XML can carry and deletes the rest one by one', async () => {
    const { s3, sent } = recordingClient();
    const many = Array.from({ length: 1001 }, (_, i) => `k${i}`);
    await deleteKeys(s3, 'b', ['x\u0001y', ...many, 'a\rb', 'z\u001f']);
    expect(sent.filter((c) => c.name === 'DeleteObjects').map((c) => c.keys.length)).toEqual([1000, 2]);
    expect(sent.filter((c) => c.name === 'DeleteObjects').flatMap((c) => c.keys)).toContain('a\rb');
    expect(sent.filter((c) => c.name === 'DeleteObject').map((c) => c.keys[0])).toEqual(['x\u0001y', 'z\u001f']);
  });
});
