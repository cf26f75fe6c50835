import { issueCommand } from './runner-protocol.js';

/**
 * The pieces of a secret that must be registered with the runner: the whole
 * value and, for multi-line values, every non-blank line (the runner matches
 * masks within a single log line, so a multi-line secret would otherwise leak
 * line by line).
 */
export function maskPieces(value: string): string[] {
  if (value.trim() === '') return [];
  const pieces = new Set<string>([value]);
  if (/[\r\n]/.test(value)) {
    for (const line of value.split(/\r?\n|\r/)) {
      const trimmed = line.trim();
      if (trimmed !== '') pieces.add(trimmed);
    }
  }
  return [...pieces];
}

/** Register a secret (and each of its lines) with the runner before anything is logged. */
export function maskSecret(value: string, register: (piece: string) => void = addMask): void {
  for (const piece of maskPieces(value)) register(piece);
}

/** `::add-mask::value`, as core.setSecret writes it. */
function addMask(piece: string): void {
  issueCommand('add-mask', {}, piece);
}
