// A tiny HTTP-level browser for the hosted login pages: a cookie jar, manual redirects and HTML form
// scraping. Enough to sign in, consent and approve a device without JavaScript (the hosted pages work
// without it, except passkeys).

/** Cookies by name, as a browser on one host keeps them (RFC 6265 §5.3, without domain matching). */
export class CookieJar {
  #cookies = new Map();

  /** Stores the response's Set-Cookie headers; Max-Age<=0 or a past Expires deletes (RFC 6265 §5.3 step 11). */
  store(response) {
    for (const header of response.headers.getSetCookie()) {
      const [pair, ...attributes] = header.split(";");
      const index = pair.indexOf("=");
      const name = pair.slice(0, index).trim();
      const value = pair.slice(index + 1).trim();
      const attribute = (key) => attributes.map((a) => a.trim()).find((a) => a.toLowerCase().startsWith(`${key}=`))?.slice(key.length + 1);
      const maxAge = attribute("max-age");
      const expires = attribute("expires");
      const expired = (maxAge !== undefined && Number(maxAge) <= 0) || (expires !== undefined && Date.parse(expires) <= Date.now());
      if (expired) this.#cookies.delete(name);
      else this.#cookies.set(name, { value, path: attribute("path") ?? "/" });
    }
  }

  /** The Cookie header for a request to `url` (path-matched, RFC 6265 §5.1.4). */
  header(url) {
    const { pathname } = new URL(url);
    const pairs = [...this.#cookies].filter(([, c]) => pathname === c.path || pathname.startsWith(c.path.endsWith("/") ? c.path : `${c.path}/`));
    return pairs.map(([name, c]) => `${name}=${c.value}`).join("; ");
  }

  names() {
    return [...this.#cookies.keys()];
  }

  /** A copy, so a test can later present an old cookie (e.g. after logout). */
  clone() {
    const copy = new CookieJar();
    for (const [name, cookie] of this.#cookies) copy.#cookies.set(name, { ...cookie });
    return copy;
  }
}

/** A browser tab: follows redirects itself, stopping at any URL `stopAt(url)` accepts (the client's redirect URI). */
export class HttpBrowser {
  constructor({ jar = new CookieJar(), stopAt = () => false } = {}) {
    this.jar = jar;
    this.stopAt = stopAt;
    /** Every request made, as `METHOD path status`, so a test can tell which pages were shown. */
    this.history = [];
  }

  /** One request without following redirects: `{ status, location, url, html, headers }`. */
  async request(url, { method = "GET", form } = {}) {
    const headers = { Accept: "text/html" };
    const cookie = this.jar.header(url);
    if (cookie) headers.Cookie = cookie;
    if (form) headers["Content-Type"] = "application/x-www-form-urlencoded";
    // Forms post from the page's own origin (CSRF defences may check Origin, RFC 6454 §7).
    if (method === "POST") headers.Origin = new URL(url).origin;
    const response = await fetch(url, { method, headers, body: form ? new URLSearchParams(form).toString() : undefined, redirect: "manual" });
    this.jar.store(response);
    this.history.push(`${method} ${new URL(url).pathname} ${response.status}`);
    const location = response.headers.get("location");
    return {
      status: response.status,
      url,
      location: location ? new URL(location, url).href : null,
      headers: response.headers,
      html: await response.text(),
    };
  }

  /** Requests `url` and follows redirects (303/302 become GET) until a page, or a URL `stopAt` accepts. */
  async navigate(url, options = {}) {
    let page = await this.request(url, options);
    for (let hops = 0; page.location && hops < 10; hops += 1) {
      if (this.stopAt(page.location)) return page;
      page = await this.request(page.location);
    }
    return page;
  }

  /** Submits a scraped form with its hidden fields, `values` and the submit button `button` (name=value). */
  async submit(page, form, values = {}, button = null) {
    const fields = { ...form.fields, ...values };
    if (button?.name) fields[button.name] = button.value;
    const action = new URL(form.action || page.url, page.url).href;
    return this.navigate(action, form.method === "get" ? {} : { method: "POST", form: fields });
  }
}

const decodeEntities = (text) =>
  text
    .replace(/&#x([0-9a-f]+);/gi, (_, hex) => String.fromCodePoint(Number.parseInt(hex, 16)))
    .replace(/&#(\d+);/g, (_, dec) => String.fromCodePoint(Number(dec)))
    .replace(/&quot;/g, '"')
    .replace(/&#39;|&apos;/g, "'")
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&amp;/g, "&");

const attributesOf = (tag) => {
  const attributes = {};
  for (const match of tag.matchAll(/([a-zA-Z_:][-a-zA-Z0-9_:.]*)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'=<>`]+)))?/g)) {
    attributes[match[1].toLowerCase()] = decodeEntities(match[2] ?? match[3] ?? match[4] ?? "");
  }
  return attributes;
};

/**
 * The page's forms: `{ action, method, fields, inputs, buttons }`; `fields` holds every named input's
 * current value (hidden ones such as the CSRF token included), `buttons` the named submit buttons.
 */
export function formsOf(html) {
  return [...html.matchAll(/<form\b([^>]*)>([\s\S]*?)<\/form>/gi)].map(([, formTag, inner]) => {
    const form = attributesOf(formTag);
    const inputs = [...inner.matchAll(/<input\b([^>]*)>/gi)].map(([, tag]) => attributesOf(tag));
    const buttons = [...inner.matchAll(/<button\b([^>]*)>([\s\S]*?)<\/button>/gi)].map(([, tag, label]) => ({
      ...attributesOf(tag),
      label: decodeEntities(label.replace(/<[^>]*>/g, "").trim()),
    }));
    const fields = {};
    for (const input of inputs) {
      if (!input.name || ["submit", "button", "image"].includes(input.type)) continue;
      if (["checkbox", "radio"].includes(input.type) && !("checked" in input)) continue;
      fields[input.name] = input.value ?? "";
    }
    return { action: form.action ?? "", method: (form.method ?? "get").toLowerCase(), fields, inputs, buttons };
  });
}

/** The first form with an input named one of `names`; throws with the page when there is none. */
export function formWith(page, ...names) {
  const form = formsOf(page.html).find((f) => f.inputs.some((input) => names.includes(input.name)));
  if (!form) throw new Error(`no form with ${names.join("/")} at ${page.url} (status ${page.status}):\n${page.html.slice(0, 2000)}`);
  return form;
}
