// Connects playwright-core to the running app. `myapp test` starts the app headless with the
// DevTools Protocol on 127.0.0.1 and tells the tests where in MYAPP_CDP_URL.
//
//   const app = await connect();
//   const page = await app.window('main');   // the page of the window labelled "main"
//   await page.fill('#greet-input', 'Ada');
//   await app.close();                        // disconnects; the app keeps running
//
// A page is a playwright Page on the app's own Chromium (102 with Qt 6.4): pass
// `{ force: true }` to click(), since that Chromium lacks what playwright's visibility check
// calls.
import { chromium } from 'playwright-core';

export async function connect({ endpoint = process.env.MYAPP_CDP_URL, timeout = 30_000 } = {}) {
  if (!endpoint) throw new Error('MYAPP_CDP_URL is not set: run the tests with `myapp test`');
  // noDefaults: playwright's default setup calls Browser.setDownloadBehavior, which the app's
  // Chromium refuses.
  const browser = await chromium.connectOverCDP(endpoint, { noDefaults: true, timeout });
  const labels = new WeakMap();

  // The window label of a page, once its client has completed the handshake with C++
  // (`__MYAPP__.ready` resolves to { label, version }); undefined before that.
  async function labelOf(page) {
    if (labels.has(page)) return labels.get(page);
    const label = await page
      .evaluate(() => Promise.race([
        window.__MYAPP__?.ready.then((r) => r.label),
        new Promise((resolve) => setTimeout(resolve, 500)),
      ]))
      .catch(() => undefined);
    if (label !== undefined) labels.set(page, label);
    return label;
  }

  function pages() {
    return browser.contexts().flatMap((c) => c.pages());
  }

  return {
    browser,
    /** The page of the window labelled `label`, waiting until it is there and connected. */
    async window(label = 'main', { timeout: limit = timeout } = {}) {
      const deadline = Date.now() + limit;
      for (;;) {
        const seen = [];
        for (const page of pages()) {
          const l = await labelOf(page);
          if (l === label) return page;
          seen.push(l ?? `(not connected: ${page.url()})`);
        }
        if (Date.now() > deadline) {
          throw new Error(`no window labelled "${label}" within ${limit} ms; the app's pages: ` +
                          (seen.length ? seen.join(', ') : 'none'));
        }
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    },
    /** The labels of the windows whose pages are connected. */
    async labels() {
      const out = [];
      for (const page of pages()) {
        const l = await labelOf(page);
        if (l !== undefined) out.push(l);
      }
      return out.sort();
    },
    /** Disconnects playwright; the app goes on until `myapp test` stops it. */
    async close() {
      await browser.close();
    },
  };
}
