// Real-browser checks of the pages: Debian's Chromium driven by playwright-core (never a downloaded
// browser), a fresh profile per launch, and per page a screenshot into test-output/, an axe-core
// accessibility check and a keyboard walk (Tab order reaches the submit buttons).
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import jsQR from 'jsqr';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { expect } from 'vitest';

export const CHROMIUM_PATH = '/usr/bin/chromium';
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--no-first-run',
  '--disable-quic',
  '--disable-sync',
];
const OUTPUT_DIR = fileURLToPath(new URL('../../test-output/', import.meta.url));

/** Where a screenshot goes (apps/identity/test-output/, git-ignored). */
export function outputPath(file: string): string {
  mkdirSync(OUTPUT_DIR, { recursive: true });
  return join(OUTPUT_DIR, file);
}
const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

export interface Chromium {
  context: BrowserContext;
  page: Page;
  close(): Promise<void>;
}

/** Starts Chromium with a fresh profile; fails with one line when the browser is not installed. */
export async function launchChromium(): Promise<Chromium> {
  if (!existsSync(CHROMIUM_PATH)) {
    const error = new Error(
      `Chromium not found at ${CHROMIUM_PATH}: install Debian's chromium package (apt-get install chromium) to run the browser tests`,
    );
    error.stack = error.message;
    throw error;
  }
  const profile = mkdtempSync(join(tmpdir(), 'identity-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: CHROMIUM_ARGS,
    locale: 'zh-CN',
    viewport: { width: 1024, height: 900 },
  });
  const page = context.pages()[0] ?? (await context.newPage());
  return {
    context,
    page,
    async close() {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

interface Violation {
  id: string;
  impact: string | null;
  help: string;
  targets: string[];
}

/** axe-core's serious and critical violations on the page as it is now. */
export async function seriousAxeViolations(page: Page): Promise<Violation[]> {
  // Evaluated through the DevTools protocol, so the pages' CSP (no scripts at all) stays as it is.
  await page.evaluate(AXE_SOURCE);
  const violations = await page.evaluate<Violation[]>(
    `axe.run(document, { resultTypes: ['violations'] }).then((result) => result.violations.map((v) => ({
      id: v.id, impact: v.impact, help: v.help, targets: v.nodes.map((node) => String(node.target)),
    })))`,
  );
  return violations.filter((violation) => violation.impact === 'serious' || violation.impact === 'critical');
}

/** What the keyboard reaches, in Tab order, from the top of the page (one round). */
export async function tabStops(page: Page, max = 60): Promise<string[]> {
  await page.evaluate(`document.activeElement && document.activeElement.blur && document.activeElement.blur()`);
  await page.evaluate(`window.scrollTo(0, 0)`);
  const stops: string[] = [];
  for (let i = 0; i < max; i += 1) {
    await page.keyboard.press('Tab');
    const stop = await page.evaluate<string>(`(() => {
      const el = document.activeElement;
      if (!el || el === document.body) return '';
      const text = (el.textContent || '').trim().replace(/\\s+/g, ' ');
      return el.tagName.toLowerCase() + (el.type ? '[' + el.type + ']' : '') + (el.id ? '#' + el.id : '') + ':' + text;
    })()`);
    if (stop === '' || stops.includes(stop)) break;
    stops.push(stop);
  }
  return stops;
}

/**
 * The checks every page gets: a screenshot, no serious/critical axe violations, and the keyboard
 * reaching each named submit button (by its visible text).
 */
export async function checkPage(page: Page, name: string, submitButtons: string[]): Promise<void> {
  await page.screenshot({ path: outputPath(`${name}.png`), fullPage: true });
  expect(await seriousAxeViolations(page), `axe on ${name}`).toEqual([]);
  const stops = await tabStops(page);
  expect(stops[0], `first Tab stop on ${name} is the skip link`).toMatch(/^a:/);
  for (const label of submitButtons)
    expect(
      stops.some((stop) => stop.startsWith('button[submit]') && stop.endsWith(`:${label}`)),
      `Tab reaches “${label}” on ${name}; stops: ${stops.join(' | ')}`,
    ).toBe(true);
}

/** Renders the page's SVG QR code on a canvas in the browser and decodes the pixels with jsQR. */
export async function decodeQrOnPage(page: Page, selector = 'svg.qr'): Promise<string | undefined> {
  const size = 400;
  const pixels = await page.evaluate<number[]>(`(async () => {
    const svg = document.querySelector(${JSON.stringify(selector)});
    const image = new Image();
    image.src = 'data:image/svg+xml;charset=utf-8,' + encodeURIComponent(new XMLSerializer().serializeToString(svg));
    await image.decode();
    const canvas = document.createElement('canvas');
    canvas.width = canvas.height = ${size};
    const context = canvas.getContext('2d');
    context.fillStyle = '#fff';
    context.fillRect(0, 0, ${size}, ${size});
    context.drawImage(image, 0, 0, ${size}, ${size});
    return Array.from(context.getImageData(0, 0, ${size}, ${size}).data);
  })()`);
  // jsqr is CommonJS: its function is the module's `default` under NodeNext typing (and at run time).
  return jsQR.default(Uint8ClampedArray.from(pixels), size, size)?.data;
}
