const MIB = 1024 * 1024;
/** S3's limits: at most 10,000 parts, each at least 5 MiB (except the last), at most 5 GiB. */
export const MAX_PARTS = 10_000;
export const MIN_PART = 5 * MIB;
export const MAX_PART = 5 * 1024 * MIB;

/** The part size for a file: the requested size, grown (in whole MiB) when the file would need more than 10,000 parts. */
export function partSizeFor(fileSize: number, requested: number): number {
  const needed = Math.ceil(fileSize / MAX_PARTS);
  const size = Math.max(requested, MIN_PART, Math.ceil(needed / MIB) * MIB);
  return Math.min(size, MAX_PART);
}

/** Byte ranges (inclusive ends, as fs.createReadStream wants) of each part, in order. */
export function partRanges(fileSize: number, partSize: number): { start: number; end: number; length: number }[] {
  const ranges: { start: number; end: number; length: number }[] = [];
  for (let start = 0; start < fileSize; start += partSize) {
    const length = Math.min(partSize, fileSize - start);
    ranges.push({ start, end: start + length - 1, length });
  }
  return ranges;
}
