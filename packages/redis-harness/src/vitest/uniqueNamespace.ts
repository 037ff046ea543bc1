import { randomUUID } from 'node:crypto';

/** A namespace no other test uses, so suites can share one Redis (also a shared REDIS_URL one). */
export function uniqueNamespace(label = 'test'): string {
  return `lapse-${label}:${randomUUID().slice(0, 8)}`;
}
