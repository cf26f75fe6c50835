import { contentType } from 'mime-types';

/** The Content-Type S3 should serve for a key: from its extension, `charset=utf-8` for text types. */
export function detectContentType(key: string): string {
  const name = key.slice(key.lastIndexOf('/') + 1);
  const detected = contentType(name);
  return detected === false ? 'application/octet-stream' : detected;
}

/** HTML pages are uploaded after every other file, so a page never references a missing asset. */
export function isHtml(type: string): boolean {
  return /^(text\/html|application\/xhtml\+xml)\b/i.test(type);
}
