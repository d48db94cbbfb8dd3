// A citizen's "browser" for the e2e suite: plain HTTP with a cookie jar per origin, redirects
// followed by hand so each hop is visible, and server-rendered forms filled in (hidden CSRF and
// interaction fields kept). URLs are the platform's own (http://identity:4001/...); each request
// goes to wherever this process reaches that container.
import { reach } from './platform.ts';

export interface Page {
  status: number;
  url: string;
  html: string;
  /** The redirect target, absolute. */
  location: string | undefined;
}

export class Browser {
  private readonly jars = new Map<string, Map<string, string>>();

  private jar(origin: string): Map<string, string> {
    let jar = this.jars.get(origin);
    if (!jar) this.jars.set(origin, (jar = new Map()));
    return jar;
  }

  async request(url: string, form?: Record<string, string>): Promise<Page> {
    const jar = this.jar(new URL(url).origin);
    const response = await fetch(await reach(url), {
      method: form ? 'POST' : 'GET',
      redirect: 'manual',
      headers: {
        ...(jar.size ? { cookie: [...jar].map(([name, value]) => `${name}=${value}`).join('; ') } : {}),
        ...(form ? { 'content-type': 'application/x-www-form-urlencoded' } : {}),
      },
      ...(form ? { body: new URLSearchParams(form).toString() } : {}),
    });
    for (const header of response.headers.getSetCookie()) {
      const [pair = ''] = header.split(';');
      const at = pair.indexOf('=');
      if (at < 0) continue;
      const name = pair.slice(0, at).trim();
      if (/max-age=0|expires=thu, 01 jan 1970/i.test(header)) jar.delete(name);
      else jar.set(name, pair.slice(at + 1).trim());
    }
    const location = response.headers.get('location');
    return {
      status: response.status,
      url,
      html: await response.text(),
      location: location ? new URL(location, url).toString() : undefined,
    };
  }

  /** Follows redirects while they stay on `origin` (an app's callback is where the browser stops). */
  async follow(page: Page, origin: string): Promise<Page> {
    let current = page;
    for (let hops = 0; hops < 10 && current.location?.startsWith(origin); hops += 1)
      current = await this.request(current.location);
    return current;
  }

  async open(url: string): Promise<Page> {
    return this.follow(await this.request(url), new URL(url).origin);
  }

  /** Submits the form posting to `action` with its hidden fields and `fields`. */
  async submit(page: Page, action: string, fields: Record<string, string>): Promise<Page> {
    const target = new URL(action, page.url).toString();
    return this.follow(
      await this.request(target, { ...hiddenFields(page.html, action), ...fields }),
      new URL(target).origin,
    );
  }
}

const ENTITIES: Record<string, string> = { '&amp;': '&', '&quot;': '"', '&#39;': "'", '&lt;': '<', '&gt;': '>' };

export function hiddenFields(html: string, action: string): Record<string, string> {
  const start = html.indexOf(`action="${action}"`);
  if (start < 0) throw new Error(`no form posting to ${action} in:\n${html.slice(0, 1500)}`);
  const form = html.slice(start, html.indexOf('</form>', start));
  const fields: Record<string, string> = {};
  for (const [, name = '', value = ''] of form.matchAll(
    /<input\s+type="hidden"\s+name="([^"]+)"\s+value="([^"]*)"\s*\/?>/g,
  ))
    fields[name] = value.replace(/&amp;|&quot;|&#39;|&lt;|&gt;/g, (entity) => ENTITIES[entity] ?? entity);
  return fields;
}
