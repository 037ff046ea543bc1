import type { SessionData } from 'express-session';
import './sessionData.js';

/** The example's principal: the logged-in user's name (fed to lapse's principal index). */
export function principalOf(data: SessionData): string | undefined {
  return data.user;
}
