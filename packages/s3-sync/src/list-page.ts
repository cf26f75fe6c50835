import { ListObjectsV2Command, type ListObjectsV2CommandInput, type S3Client } from '@aws-sdk/client-s3';

/** What a sync reads of one ListObjectsV2 page: the SDK's field names, only the fields it uses. */
export interface ListPage {
  Contents: { Key: string; ETag: string; Size: number }[];
  IsTruncated: boolean;
  NextContinuationToken?: string;
  /** Who read the XML: baepo's parser, or the SDK's when the document is one it leaves alone. */
  parsedBy: 'baepo' | 'sdk';
}

/** What the SDK is given to deserialise once baepo has read the page: a valid, empty result. */
const EMPTY_RESULT = new TextEncoder().encode('<?xml version="1.0" encoding="UTF-8"?><ListBucketResult></ListBucketResult>');

/**
 * One ListObjectsV2 page. The SDK sends it (endpoint, signing, retries and error responses are
 * all its own); a 200 response's XML is read here instead of by the SDK's character-at-a-time
 * parser and schema walk, which cost about 30 ms of CPU per 1,000-key page: a tenth of a
 * no-change sync of a few thousand files. A document this parser does not fully understand
 * is left to the SDK, byte for byte.
 */
export async function listPage(s3: S3Client, input: ListObjectsV2CommandInput, signal?: AbortSignal): Promise<ListPage> {
  const command = new ListObjectsV2Command(input);
  let parsed: Omit<ListPage, 'parsedBy'> | undefined;
  command.middlewareStack.add(
    (next) => async (args) => {
      const result = await next(args);
      const response = result.response as { statusCode?: number; body?: unknown };
      parsed = undefined;
      if (response.statusCode === 200 && response.body) {
        const bytes = await s3.config.streamCollector(response.body);
        parsed = parseListPage(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8'));
        // The SDK's deserialiser reads a Uint8Array body as it is (and may re-type it: a copy each time).
        response.body = parsed ? EMPTY_RESULT.slice() : bytes;
      }
      return result;
    },
    // Innermost, like the transport: sees the raw response of each attempt, before the SDK's deserialiser.
    { step: 'deserialize', priority: 'low', name: 'baepoReadListPage' },
  );
  const output = await s3.send(command, { abortSignal: signal });
  if (parsed) return { ...parsed, parsedBy: 'baepo' };
  // The SDK does not decode URL-encoded keys: its callers must.
  const key = output.EncodingType === 'url' ? decodeKey : (raw: string) => raw;
  return {
    Contents: (output.Contents ?? []).map((item) => ({ Key: key(item.Key ?? ''), ETag: item.ETag ?? '', Size: item.Size ?? 0 })),
    IsTruncated: output.IsTruncated === true,
    NextContinuationToken: output.NextContinuationToken,
    parsedBy: 'sdk',
  };
}

const CONTENTS = /<Contents>([\s\S]*?)<\/Contents>/g;
const fieldPattern = (name: string) => new RegExp(`<${name}>([^<]*)</${name}>`, 'g');
const KEY = fieldPattern('Key');
const ETAG = fieldPattern('ETag');
const SIZE = fieldPattern('Size');
const IS_TRUNCATED = fieldPattern('IsTruncated');
const NEXT_TOKEN = fieldPattern('NextContinuationToken');
const ENCODING_TYPE = fieldPattern('EncodingType');
/** An entity this parser decodes, or any other '&' (which leaves the document to the SDK). */
const ENTITY = /&(?:#x([0-9a-fA-F]{1,6})|#([0-9]{1,7})|(amp|lt|gt|quot|apos));|&/g;
const NAMED: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

/**
 * A key from a listing asked for with `EncodingType=url`. S3 encodes keys as HTML forms do, a space
 * as `+` and a `+` as `%2B` (as botocore's and the AWS CLI's decoding assumes: `unquote_plus`);
 * moto writes `%20`, which decodes the same. The only way a key with a carriage return or a
 * character XML 1.0 cannot carry reaches us intact (ListObjectsV2 API reference, `EncodingType`).
 */
export function decodeKey(encoded: string): string {
  if (!/[%+]/.test(encoded)) return encoded;
  try {
    return decodeURIComponent(encoded.replace(/\+/g, ' '));
  } catch {
    throw new Error(`S3 listed a key that is not valid URL encoding (EncodingType=url): ${JSON.stringify(encoded.slice(0, 200))}`);
  }
}

/**
 * The fields a sync uses from a ListObjectsV2 result document, or undefined when the document is
 * anything but the plain form S3 writes: no root ListBucketResult, CDATA, comments, a DOCTYPE,
 * carriage returns (which XML would normalise), an entity other than the five XML ones and
 * character references, a value of only white space with a line break (which the SDK reads as
 * empty), an encoding other than `url`, or a field missing, repeated or malformed. Keys are
 * decoded when the document says `<EncodingType>url</EncodingType>` (a server that ignores the
 * request parameter, such as fauxqs, sends them as they are, without that element).
 */
export function parseListPage(xml: string): Omit<ListPage, 'parsedBy'> | undefined {
  if (!/^\uFEFF?(?:<\?xml [^>]*\?>)?\s*<ListBucketResult[\s>]/.test(xml)) return undefined;
  if (/<!|\r|<\?[^x]/.test(xml)) return undefined;
  const contents: ListPage['Contents'] = [];
  let outside = '';
  let from = 0;
  for (const match of xml.matchAll(CONTENTS)) {
    outside += xml.slice(from, match.index);
    from = match.index + match[0].length;
    const item = match[1] as string;
    const key = only(item, KEY);
    const etag = only(item, ETAG) ?? '';
    const size = only(item, SIZE);
    if (key === undefined || size === undefined || !/^[0-9]{1,15}$/.test(size)) return undefined;
    contents.push({ Key: key, ETag: etag, Size: Number(size) });
  }
  outside += xml.slice(from);
  if (outside.includes('<Contents')) return undefined;
  const encoding = outside.includes('<EncodingType') ? only(outside, ENCODING_TYPE) : undefined;
  if (encoding !== undefined && encoding !== 'url') return undefined;
  if (encoding === 'url') for (const item of contents) item.Key = decodeKey(item.Key);
  const truncated = only(outside, IS_TRUNCATED);
  if (truncated !== undefined && truncated !== 'true' && truncated !== 'false') return undefined;
  const token = only(outside, NEXT_TOKEN);
  if (truncated === 'true' && !token) return undefined;
  return { Contents: contents, IsTruncated: truncated === 'true', NextContinuationToken: token };
}

/** The decoded text of the one `pattern` element in `xml`; undefined when absent, repeated or unreadable. */
function only(xml: string, pattern: RegExp): string | undefined {
  pattern.lastIndex = 0;
  const first = pattern.exec(xml);
  if (!first || pattern.exec(xml)) return undefined;
  const raw = first[1] as string;
  const text = raw.includes('&') ? decode(raw) : raw;
  if (text === undefined || (text.includes('\n') && text.trim() === '')) return undefined;
  return text;
}

function decode(raw: string): string | undefined {
  let readable = true;
  const text = raw.replace(ENTITY, (_, hex: string | undefined, dec: string | undefined, named: string | undefined) => {
    if (named) return NAMED[named] as string;
    const code = hex || dec ? Number.parseInt((hex ?? dec) as string, hex ? 16 : 10) : 0;
    // A character XML allows; anything else (or an unknown entity) leaves the whole document to the SDK.
    if (code > 0 && code <= 0x10ffff && (code < 0xd800 || code > 0xdfff)) return String.fromCodePoint(code);
    readable = false;
    return '';
  });
  return readable ? text : undefined;
}
