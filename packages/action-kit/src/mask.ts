import { issueCommand } from './runner-protocol.js';

/**
 * The pieces of a secret that must be registered with the runner: the whole value; for
 * multi-line values every non-blank line, trimmed (the runner matches masks within a single
 * log line, so a multi-line secret would otherwise leak line by line); and the forms a shell
 * prints: the value trimmed (`echo "$(cat file)"` and command substitution drop the trailing
 * newline; a trimmed line is what `read` gives) and, for a value with inner whitespace, its
 * words joined by single spaces (what unquoted `echo $SECRET` prints). The runner itself also
 * masks the JSON-, URL- and base64-encoded forms of every registered piece.
 */
export function maskPieces(value: string): string[] {
  if (value.trim() === '') return [];
  const pieces = new Set<string>([value, value.trim()]);
  if (/[\r\n]/.test(value)) {
    for (const line of value.split(/\r?\n|\r/)) {
      const trimmed = line.trim();
      if (trimmed !== '') pieces.add(trimmed);
    }
  }
  const words = value.trim().split(/\s+/);
  if (words.length > 1) pieces.add(words.join(' '));
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
