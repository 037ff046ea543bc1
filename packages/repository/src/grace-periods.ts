/** How long the hash outlives the shadow key, so an ended session's data can still be read (Spring's 5 minutes). */
export const SESSION_DATA_GRACE_MS = 5 * 60 * 1000;

/** How long a session's index-reference set outlives its hash, so a late destroy still cleans indexes. */
export const INDEX_REFERENCE_GRACE_MS = 60 * 60 * 1000;
