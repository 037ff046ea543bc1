/** The most characters of a user's argument an error line quotes. */
export const QUOTE_LIMIT = 80;

/** `text` cut to its first {@link QUOTE_LIMIT} characters, with `…` when something was cut. */
export function shortenArgument(text: string): string {
  const chars = [...text];
  return chars.length > QUOTE_LIMIT ? `${chars.slice(0, QUOTE_LIMIT).join('')}…` : text;
}

/**
 * `message` (an error line) with every argument of `argv` longer than {@link QUOTE_LIMIT}
 * characters cut to its first 80, whether the message quotes it raw or as a JSON string, and
 * with any other JSON-quoted string over the limit (a URL from `REDIS_URL`, shown without its
 * password) cut too: a 10 kB argument makes a one-line error, not a screenful.
 */
export function limitQuotedArguments(message: string, argv: readonly string[]): string {
  const words = new Set<string>();
  for (const word of argv) {
    words.add(word);
    const equals = word.indexOf('=');
    if (word.startsWith('-') && equals > 0) words.add(word.slice(equals + 1));
  }
  let result = message;
  const long = [...words].filter((word) => [...word].length > QUOTE_LIMIT).sort((a, b) => b.length - a.length);
  for (const word of long) {
    result = result.split(JSON.stringify(word)).join(JSON.stringify(shortenArgument(word)));
    result = result.split(word).join(shortenArgument(word));
    const escaped = JSON.stringify(word).slice(1, -1);
    if (escaped !== word) result = result.split(escaped).join(JSON.stringify(shortenArgument(word)).slice(1, -1));
  }
  // Every quoted value, short ones included, is matched from its opening quote to its own closing
  // one, left to right: the text between two values ("", … "Egx") is never taken for a value. A
  // quote inside a word (a stray one in a raw argument) opens or closes nothing.
  return result.replace(/(?<![\p{L}\p{N}])"(?:[^"\\\n]|\\.)*"(?![\p{L}\p{N}])/gu, (literal: string) => {
    let text: unknown;
    try {
      text = JSON.parse(literal);
    } catch {
      return literal;
    }
    return typeof text === 'string' && [...text].length > QUOTE_LIMIT ? JSON.stringify(shortenArgument(text)) : literal;
  });
}
