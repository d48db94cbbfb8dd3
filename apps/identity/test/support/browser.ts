// A tiny "browser" over fetch: keeps cookies, follows redirects by hand (so tests see each hop),
// and fills in the server-rendered forms (hidden CSRF and interaction fields included).
export interface Page {
  status: number;
  url: string;
  html: string;
  location: string | undefined;
}

export class Browser {
  /** Cookies per origin: tests run several services on one host, standing for different hosts. */
  private readonly jars = new Map<string, Map<string, string>>();
  private origin = '';

  /** The cookies of the origin last requested (or of `origin`). */
  cookiesOf(origin = this.origin): Map<string, string> {
    let jar = this.jars.get(origin);
    if (!jar) {
      jar = new Map();
      this.jars.set(origin, jar);
    }
    return jar;
  }

  get cookies(): Map<string, string> {
    return this.cookiesOf();
  }

  private remember(response: Response): void {
    for (const header of response.headers.getSetCookie()) {
      const [pair] = header.split(';');
      const index = pair?.indexOf('=') ?? -1;
      if (!pair || index < 0) continue;
      const name = pair.slice(0, index).trim();
      const value = pair.slice(index + 1).trim();
      if (/max-age=0/i.test(header)) this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
  }

  cookieHeader(): string {
    return [...this.cookies].map(([name, value]) => `${name}=${value}`).join('; ');
  }

  async request(
    url: string,
    init: { method?: string; form?: Record<string, string>; headers?: Record<string, string> } = {},
  ): Promise<Page> {
    this.origin = new URL(url).origin;
    const response = await fetch(url, {
      method: init.method ?? (init.form ? 'POST' : 'GET'),
      redirect: 'manual',
      headers: {
        ...(this.cookies.size ? { cookie: this.cookieHeader() } : {}),
        ...(init.form ? { 'content-type': 'application/x-www-form-urlencoded' } : {}),
        ...init.headers,
      },
      ...(init.form ? { body: new URLSearchParams(init.form).toString() } : {}),
    });
    this.remember(response);
    const location = response.headers.get('location') ?? undefined;
    return {
      status: response.status,
      url,
      html: await response.text(),
      location: location ? new URL(location, url).toString() : undefined,
    };
  }

  /** Follows redirects on `origin` until a page is shown or a redirect leaves the origin. */
  async follow(page: Page, origin: string): Promise<Page> {
    let current = page;
    for (let hops = 0; hops < 10 && current.location && current.location.startsWith(origin); hops += 1)
      current = await this.request(current.location);
    return current;
  }

  async open(url: string, origin: string): Promise<Page> {
    return this.follow(await this.request(url), origin);
  }

  /** Submits the form whose action is `action` on the page, with `fields` filled in. */
  async submit(page: Page, action: string, fields: Record<string, string>, origin: string): Promise<Page> {
    const form = formFields(page.html, action);
    const target = new URL(action, page.url).toString();
    return this.follow(await this.request(target, { form: { ...form, ...fields } }), origin);
  }
}

/** Hidden fields of the form posting to `action`. */
export function formFields(html: string, action: string): Record<string, string> {
  const start = html.indexOf(`action="${action}"`);
  if (start < 0) throw new Error(`no form posting to ${action} in:\n${html.slice(0, 2000)}`);
  const end = html.indexOf('</form>', start);
  const form = html.slice(start, end);
  const fields: Record<string, string> = {};
  for (const match of form.matchAll(/<input\s+type="hidden"\s+name="([^"]+)"\s+value="([^"]*)"\s*\/?>/g))
    fields[match[1] ?? ''] = (match[2] ?? '')
      .replace(/&amp;/g, '&')
      .replace(/&quot;/g, '"')
      .replace(/&#39;/g, "'")
      .replace(/&lt;/g, '<')
      .replace(/&gt;/g, '>');
  return fields;
}

export async function login(
  browser: Browser,
  authorizeUrl: string,
  origin: string,
  credentials: { loginName: string; password: string },
): Promise<Page> {
  const page = await browser.open(authorizeUrl, origin);
  if (!page.html.includes('action="/login/password"')) return page;
  return browser.submit(
    page,
    '/login/password',
    { login_name: credentials.loginName, password: credentials.password },
    origin,
  );
}
