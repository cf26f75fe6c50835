import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listPage, parseListPage } from './list-page.js';

const DECLARATION = '<?xml version="1.0" encoding="UTF-8"?>\n';
const ROOT = '<ListBucketResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/">';

/** One `<Contents>` as AWS writes it, with the fields a sync does not read around the ones it does. */
const item = (key: string, etag: string, size: number) =>
  `<Contents><Key>${key}</Key><LastModified>2026-11-23T10:00:00.000Z</LastModified><ETag>${etag}</ETag><ChecksumAlgorithm>CRC32</ChecksumAlgorithm><ChecksumType>FULL_OBJECT</ChecksumType><Size>${size}</Size><Owner><ID>abc</ID><DisplayName>me</DisplayName></Owner><StorageClass>STANDARD</StorageClass></Contents>`;

const page = (body: string, head = '<Name>site</Name><Prefix></Prefix><KeyCount>2</KeyCount><MaxKeys>1000</MaxKeys>') =>
  `${DECLARATION}${ROOT}${head}${body}</ListBucketResult>`;

/** Documents baepo's parser reads; each must come out exactly as the SDK's own parser reads it. */
const READ: Record<string, string> = {
  'as AWS writes it, truncated': page(
    `<IsTruncated>true</IsTruncated><NextContinuationToken>1ueGcxLPRx1Tr/XYExHnhbYLgveDs2J/wm36Hy4vbOwM=</NextContinuationToken>${item('index.html', '&quot;fba9dede5f27731c9771645a39863328&quot;', 434)}${item('assets/app-3f2a.js', '&quot;9b2cf535f27731c974343645a3985328-3&quot;', 52428800)}`,
  ),
  'the last page, fields in another order, pretty-printed': `${DECLARATION}${ROOT}\n  <Contents>\n    <Size>0</Size>\n    <ETag>"d41d8cd98f00b204e9800998ecf8427e"</ETag>\n    <Key>empty.txt</Key>\n  </Contents>\n  <IsTruncated>false</IsTruncated>\n  <Name>site</Name>\n</ListBucketResult>`,
  'keys with entities, character references, spaces and Hangul': page(
    `<IsTruncated>false</IsTruncated>${item('a &amp; b &lt;c&gt; &quot;d&quot; &apos;e&apos;.html', '"1"', 1)}${item('caf&#233; &#xAC00;?.txt', '"2"', 2)}${item(' leading and trailing ', '"3"', 3)}${item('배포/문서 +.html', '"4"', 4)}${item('tab\there', '"5"', 5)}`,
  ),
  'an empty listing': page(
    '<IsTruncated>false</IsTruncated>',
    '<Name>site</Name><Prefix>p/</Prefix><KeyCount>0</KeyCount><MaxKeys>1000</MaxKeys>',
  ),
  'an empty root element': `${DECLARATION}<ListBucketResult></ListBucketResult>`,
};

/** Documents baepo's parser leaves to the SDK (which then reads them its own way). */
const LEFT: Record<string, string> = {
  CDATA: page(`<IsTruncated>false</IsTruncated>${item('<![CDATA[a&b]]>', '"1"', 1)}`),
  'a comment': page(`<!-- x --><IsTruncated>false</IsTruncated>${item('a', '"1"', 1)}`),
  'carriage returns': page(`<IsTruncated>false</IsTruncated>\r\n${item('a', '"1"', 1)}`),
  'an HTML entity': page(`<IsTruncated>false</IsTruncated>${item('a&nbsp;b', '"1"', 1)}`),
  'a bare ampersand': page(`<IsTruncated>false</IsTruncated>${item('a & b', '"1"', 1)}`),
  'an encoding other than url': page(`<EncodingType>base64</EncodingType><IsTruncated>false</IsTruncated>${item('YQ==', '"1"', 1)}`),
  'a key of white space and a line break': page(`<IsTruncated>false</IsTruncated>${item(' \n ', '"1"', 1)}`),
  'a Contents with a missing size': page(
    `<IsTruncated>false</IsTruncated><Contents><Key>a</Key><ETag>"1"</ETag></Contents>${item('b', '"2"', 2)}`,
  ),
  'a truncated page without a token': page(`<IsTruncated>true</IsTruncated>${item('a', '"1"', 1)}`),
};

let server: Server;
let s3: S3Client;
let reply: { status: number; body: string }[] = [];
let requests = 0;

beforeAll(async () => {
  server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      requests++;
      const next = reply.length > 1 ? (reply.shift() as { status: number; body: string }) : (reply[0] as { status: number; body: string });
      res.writeHead(next.status, { 'content-type': 'application/xml', 'x-amz-request-id': 'r1' });
      res.end(next.body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  s3 = new S3Client({
    region: 'eu-west-1',
    endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    forcePathStyle: true,
    credentials: { accessKeyId: 'AKID', secretAccessKey: 'secret' },
    maxAttempts: 3,
  });
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

/** The same document read by the SDK alone, in listPage's shape. */
async function bySdk(xml: string) {
  reply = [{ status: 200, body: xml }];
  const output = await s3.send(new ListObjectsV2Command({ Bucket: 'site' }));
  return {
    Contents: (output.Contents ?? []).map((item) => ({ Key: item.Key ?? '', ETag: item.ETag ?? '', Size: item.Size ?? 0 })),
    IsTruncated: output.IsTruncated === true,
    NextContinuationToken: output.NextContinuationToken,
  };
}

describe('listPage', () => {
  for (const [name, xml] of Object.entries(READ)) {
    it(`reads ${name} as the SDK does, without the SDK's parser`, async () => {
      const expected = await bySdk(xml);
      reply = [{ status: 200, body: xml }];
      const { parsedBy, ...got } = await listPage(s3, { Bucket: 'site' });
      expect(parsedBy).toBe('baepo');
      expect(got).toEqual(expected);
      expect(parseListPage(xml)).toEqual(expected);
    });
  }

  it('decodes a character reference beyond U+FFFF to that character (the SDK keeps only its low 16 bits)', () => {
    const xml = page(`<IsTruncated>false</IsTruncated>${item('&#x1F600;.txt', '"1"', 1)}`);
    expect(parseListPage(xml)?.Contents[0]?.Key).toBe('\u{1F600}.txt');
  });

  for (const [name, xml] of Object.entries(LEFT)) {
    it(`leaves ${name} to the SDK, which reads the original bytes`, async () => {
      expect(parseListPage(xml)).toBeUndefined();
      const expected = await bySdk(xml);
      reply = [{ status: 200, body: xml }];
      const { parsedBy, ...got } = await listPage(s3, { Bucket: 'site' });
      expect(parsedBy).toBe('sdk');
      expect(got).toEqual(expected);
    });
  }

  // ListObjectsV2 API reference, EncodingType: with encoding-type=url, S3 URL-encodes <Key> (as forms do:
  // a space is '+', a '+' is '%2B') and says so in <EncodingType>url</EncodingType>. moto writes '%20'.
  const encoded = (body: string) => page(`<EncodingType>url</EncodingType><IsTruncated>false</IsTruncated>${body}`);
  const decoded = ['a b+c\rd\u0001e한.txt', 'sp ace%.txt'];
  it('decodes URL-encoded keys (AWS: + for a space; moto: %20), carriage returns and control characters included', async () => {
    const xml = encoded(`${item('a+b%2Bc%0Dd%01e%ED%95%9C.txt', '"1"', 1)}${item('sp%20ace%25.txt', '"2"', 2)}`);
    expect(parseListPage(xml)?.Contents.map((c) => c.Key)).toEqual(decoded);
    reply = [{ status: 200, body: xml }];
    expect(await listPage(s3, { Bucket: 'site', EncodingType: 'url' })).toMatchObject({
      parsedBy: 'baepo',
      Contents: decoded.map((Key) => ({ Key })),
    });
    // A document left to the SDK (a comment here) is decoded too: the SDK returns keys as sent.
    reply = [{ status: 200, body: xml.replace('<IsTruncated>', '<!-- x --><IsTruncated>') }];
    expect(await listPage(s3, { Bucket: 'site', EncodingType: 'url' })).toMatchObject({
      parsedBy: 'sdk',
      Contents: decoded.map((Key) => ({ Key })),
    });
    // Without the element (a server ignoring the parameter, like fauxqs), keys are taken as they are.
    expect(parseListPage(page(`<IsTruncated>false</IsTruncated>${item('100%25', '"1"', 1)}`))?.Contents[0]?.Key).toBe('100%25');
  });

  it('leaves error responses to the SDK: its retries, then its error with S3 code and status', async () => {
    const ok = page(`<IsTruncated>false</IsTruncated>${item('a', '"1"', 1)}`);
    const slowDown =
      '<?xml version="1.0" encoding="UTF-8"?><Error><Code>SlowDown</Code><Message>Please reduce your request rate.</Message></Error>';
    reply = [
      { status: 503, body: slowDown },
      { status: 200, body: ok },
    ];
    requests = 0;
    const retried = await listPage(s3, { Bucket: 'site' });
    expect(requests).toBe(2);
    expect(retried).toMatchObject({ parsedBy: 'baepo', Contents: [{ Key: 'a', ETag: '"1"', Size: 1 }] });

    reply = [
      {
        status: 403,
        body: '<?xml version="1.0" encoding="UTF-8"?><Error><Code>AccessDenied</Code><Message>Access Denied</Message></Error>',
      },
    ];
    const denied = await listPage(s3, { Bucket: 'site' }).catch((error: unknown) => error);
    expect(denied).toMatchObject({ name: 'AccessDenied', $metadata: { httpStatusCode: 403 } });
  });
});
