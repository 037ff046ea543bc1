/** The longest session a login may ask for, in seconds (a day). */
export const MAX_SESSION_SECONDS = 86_400;

/** A valid login request: `POST /login` `{ "user": "ada", "device"?: "laptop", "maxAgeSeconds"?: 3 }`. */
export interface Login {
  /** The user's name, trimmed (1-100 characters). */
  readonly user: string;
  /** What the user calls this device, trimmed (absent when not given or blank). */
  readonly device?: string;
  /** The session's inactivity timeout asked for, in seconds (absent: the app's default). */
  readonly maxAgeSeconds?: number;
}

/** Checks a login request's body: the login, or the error message to answer with 400. */
export function parseLogin(body: unknown): { login: Login } | { error: string } {
  const { user, device, maxAgeSeconds } = (body ?? {}) as { user?: unknown; device?: unknown; maxAgeSeconds?: unknown };
  if (typeof user !== 'string' || user.trim().length === 0 || user.length > 100) {
    return { error: 'body must be {"user": "<name of 1-100 characters>"}' };
  }
  if (device !== undefined && (typeof device !== 'string' || device.length > 100)) {
    return { error: '"device" must be a name of at most 100 characters' };
  }
  if (maxAgeSeconds !== undefined && (typeof maxAgeSeconds !== 'number' || !Number.isInteger(maxAgeSeconds) || maxAgeSeconds < 1 || maxAgeSeconds > MAX_SESSION_SECONDS)) {
    return { error: `"maxAgeSeconds" must be a whole number from 1 to ${MAX_SESSION_SECONDS}` };
  }
  return {
    login: {
      user: user.trim(),
      ...(typeof device === 'string' && device.trim() !== '' ? { device: device.trim() } : {}),
      ...(typeof maxAgeSeconds === 'number' ? { maxAgeSeconds } : {}),
    },
  };
}
