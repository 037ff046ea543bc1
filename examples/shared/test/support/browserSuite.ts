// The examples' web page in a real headless Chromium (Debian's /usr/bin/chromium, driven by
// playwright-core; nothing downloads a browser), the same suite for each example's server: two
// browser contexts are two devices of one user; "log out everywhere" in one ends the other's page
// live over its WebSocket, and a third context's 3-second session shows "expired" without any click.
import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import { SessionEventListener } from '@lapse/events';
import { RedisIndexedSessionRepository } from '@lapse/repository';
import { clientUnderTest } from '@lapse/redis-harness/vitest';
import type { Redis } from 'ioredis';
import { chromium, type Browser, type BrowserContext, type Page, type WebSocket } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { uniqueNamespace, useRedis } from '../../../../packages/express-session/test/support/redis.js';

/** A running example server. */
export interface RunningExample {
  readonly url: string;
  close(): Promise<void>;
}

/** How the suite starts an example on a repository and a started listener. */
export type StartExample = (repository: RedisIndexedSessionRepository, listener: SessionEventListener) => Promise<RunningExample>;

const CHROMIUM = '/usr/bin/chromium';
/** Bounded waits: the page must show the end within a second of the click (the wait ends as soon as it does). */
const END_SHOWN_WITHIN_MS = 1000;

/**
 * The browser suite for one example: `name` in the test names, `start` to run its server; the phone
 * page's last screenshot is written to `screenshot` when given.
 */
export function browserSuite(name: string, start: StartExample, screenshot?: string): void {
  const redis = useRedis();
  let inspection: Redis;
  let repository: RedisIndexedSessionRepository;
  let listener: SessionEventListener;
  let server: RunningExample;
  let browser: Browser;

  beforeAll(async () => {
    if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: apt-get install chromium (.ci/run does this)`);
    // A sweep every second, as the example's main.ts runs it, so expiry is reported within about a second.
    inspection = redis.client();
    repository = new RedisIndexedSessionRepository(await clientUnderTest(inspection), { namespace: uniqueNamespace('browser'), cleanupCron: '* * * * * *' });
    listener = new SessionEventListener(repository);
    await listener.start();
    server = await start(repository, listener);
    // Playwright starts Chromium with a fresh temporary --user-data-dir of its own (and refuses one in args).
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      headless: true,
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    });
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await listener?.close();
    await repository?.close();
    // The node-redis client of a node-redis run (the ioredis one is the harness's to close).
    if (repository !== undefined && repository.client !== inspection) await (repository.client as unknown as { close(): Promise<void> }).close();
  });

  /** A browser context (its own cookies: one device) with the page open and its WebSocket tracked. */
  interface Device {
    readonly context: BrowserContext;
    readonly page: Page;
    /** Resolves with the page's WebSocket to /socket once it opened. */
    readonly socket: Promise<WebSocket>;
  }

  async function openDevice(): Promise<Device> {
    const context = await browser.newContext({ viewport: { width: 760, height: 640 } });
    const page = await context.newPage();
    const socket = new Promise<WebSocket>((resolve) => page.on('websocket', (ws) => ws.url().endsWith('/socket') && resolve(ws)));
    await page.goto(`${server.url}/`);
    return { context, page, socket };
  }

  async function logIn(device: Device, user: string, name: string, length: 'long' | '3 seconds' = 'long'): Promise<void> {
    const { page } = device;
    await page.fill('#user', user);
    await page.fill('#device', name);
    await page.selectOption('#length', length === 'long' ? '1800' : '3');
    await page.click('#login');
    await page.waitForFunction(() => document.querySelector('#status')?.textContent?.startsWith('live:') === true, null, { timeout: 5000 });
  }

  /** Waits (bounded) until the page's status line reads `text`. */
  async function statusReads(page: Page, text: string, timeoutMs: number): Promise<void> {
    await page.waitForFunction((wanted) => document.querySelector('#status')?.textContent === wanted, text, { timeout: timeoutMs });
  }

  /** Resolves once `ws` is closed (at once if it already is). */
  function closed(ws: WebSocket): Promise<void> {
    return ws.isClosed() ? Promise.resolve() : new Promise((resolve) => ws.once('close', () => resolve()));
  }

  async function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
    let timer: NodeJS.Timeout | undefined;
    try {
      return await Promise.race([promise, new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`no ${what} within ${ms} ms`)), ms)))]);
    } finally {
      clearTimeout(timer);
    }
  }

  describe(`the ${name} example in a browser`, () => {
    it('two devices of one user: "log out everywhere" on one ends the other page live, its socket closed', async () => {
      const laptop = await openDevice();
      const phone = await openDevice();
      await logIn(laptop, 'ada', 'laptop');
      await logIn(phone, 'ada', 'phone');
      const phoneSocket = await phone.socket;
      const laptopSocket = await laptop.socket;

      // Both sessions are listed (findByPrincipalName), this device marked.
      await phone.page.waitForFunction(() => document.querySelectorAll('#devices li').length === 2, null, { timeout: 5000 });
      expect(await phone.page.locator('#devices li .device').allTextContents()).toEqual(['laptop', 'phone']);
      expect(await phone.page.locator('#devices li.current .device').textContent()).toBe('phone');
      await laptop.page.click('#refresh');
      await laptop.page.waitForFunction(() => document.querySelectorAll('#devices li').length === 2, null, { timeout: 5000 });

      await laptop.page.click('#logout-everywhere');
      await statusReads(phone.page, 'session ended: logged out elsewhere', END_SHOWN_WITHIN_MS);
      await within(closed(phoneSocket), END_SHOWN_WITHIN_MS, 'close of the phone page\'s WebSocket');
      expect(await phone.page.locator('#socket').textContent()).toBe('socket: closed (4001 session deleted (logout-everywhere))');
      await statusReads(laptop.page, 'session ended: logged out everywhere', END_SHOWN_WITHIN_MS);
      await within(closed(laptopSocket), END_SHOWN_WITHIN_MS, 'close of the laptop page\'s WebSocket');
      expect(await phone.page.locator('#logout-everywhere').isDisabled()).toBe(true);
      // The server agrees: the phone's cookie no longer opens a session.
      expect((await phone.page.request.get(`${server.url}/me`)).status()).toBe(401);

      if (screenshot !== undefined) {
        await mkdir(dirname(screenshot), { recursive: true });
        await phone.page.screenshot({ path: screenshot });
      }
      await laptop.context.close();
      await phone.context.close();
    });

    it('a 3-second session: the page shows "expired" without any click, and its socket is closed', async () => {
      const tablet = await openDevice();
      await logIn(tablet, 'grace', 'tablet', '3 seconds');
      const socket = await tablet.socket;
      const stored = [...(await repository.findByPrincipalName('grace')).values()];
      expect(stored.map((session) => session.maxInactiveInterval)).toEqual([3]);
      // Bounded: the 3 s timeout, the sweep's second, and slack for a loaded machine.
      await statusReads(tablet.page, 'session ended: expired', 3000 + 5000);
      await within(closed(socket), END_SHOWN_WITHIN_MS, 'close of the tablet page\'s WebSocket');
      expect(await tablet.page.locator('#socket').textContent()).toBe('socket: closed (4001 session expired)');
      await tablet.context.close();
    });
  });
}
