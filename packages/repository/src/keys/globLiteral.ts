/** Characters with a meaning in a Redis glob pattern (PSUBSCRIBE, SCAN MATCH, KEYS): `* ? [ ] \`. */
const GLOB_CHARACTERS = /[*?[\]\\]/g;

/**
 * `text` with the glob characters escaped, so a Redis pattern matches it literally: a
 * namespace such as `app[1]` or `a*b` must not match other namespaces' keys or channels.
 *
 * @example
 * ```ts
 * `${globLiteral('app[1]:sessions:')}*` // 'app\\[1\\]:sessions:*'
 * ```
 */
export function globLiteral(text: string): string {
  return text.replace(GLOB_CHARACTERS, '\\$&');
}
