/** A response as {@link CookieClient} returns it. */
export interface ClientResponse {
  readonly status: number;
  /** The parsed JSON body, or the text when it is not JSON. */
  readonly body: unknown;
  /** The raw `Set-Cookie` headers of the response. */
  readonly setCookies: string[];
}

/**
 * A browser stand-in on Node's fetch: keeps the cookies servers set (handling expiry by
 * `Expires`/`Max-Age` as a browser would) and sends them back on every request.
 */
export class CookieClient {
  readonly #cookies = new Map<string, string>();

  constructor(readonly baseUrl: string) {}

  /** Sends a request (JSON body if given) with the stored cookies, and stores those set in return. */
  async request(method: string, path: string, body?: unknown): Promise<ClientResponse> {
    const headers: Record<string, string> = {};
    const cookie = this.cookieHeader();
    if (cookie !== '') headers['cookie'] = cookie;
    if (body !== undefined) headers['content-type'] = 'application/json';
    const response = await fetch(new URL(path, this.baseUrl), { method, headers, body: body === undefined ? null : JSON.stringify(body) });
    const setCookies = response.headers.getSetCookie();
    for (const header of setCookies) this.#store(header);
    const text = await response.text();
    let parsed: unknown = text;
    if ((response.headers.get('content-type') ?? '').includes('json') && text !== '') parsed = JSON.parse(text);
    return { status: response.status, body: parsed, setCookies };
  }

  /** The `Cookie` header the client would send now. */
  cookieHeader(): string {
    return [...this.#cookies].map(([name, value]) => `${name}=${value}`).join('; ');
  }

  /** The value of a stored cookie. */
  cookie(name: string): string | undefined {
    return this.#cookies.get(name);
  }

  /** Forgets a cookie (a user clearing it, or a browser letting it expire). */
  forget(name: string): void {
    this.#cookies.delete(name);
  }

  #store(header: string): void {
    const [pair = '', ...attributes] = header.split(';').map((part) => part.trim());
    const equals = pair.indexOf('=');
    if (equals <= 0) return;
    const name = pair.slice(0, equals);
    const value = pair.slice(equals + 1);
    let expired = value === '';
    for (const attribute of attributes) {
      const [key = '', attributeValue = ''] = attribute.split('=');
      if (key.toLowerCase() === 'max-age' && Number(attributeValue) <= 0) expired = true;
      if (key.toLowerCase() === 'expires' && Date.parse(attributeValue) <= Date.now()) expired = true;
    }
    if (expired) this.#cookies.delete(name);
    else this.#cookies.set(name, value);
  }
}

/** The `Expires` date of a `Set-Cookie` header, in epoch ms (NaN when it has none). */
export function cookieExpiry(header: string): number {
  const match = /;\s*expires=([^;]+)/i.exec(header);
  return match?.[1] === undefined ? Number.NaN : Date.parse(match[1]);
}
