// The service worker that lets the app start without a network (an agent on a train reloads,
// or the phone's browser dropped the tab). `cargo xtask dist` writes it into dist/ with this
// build's files in place of the two placeholders, and drops the lines that are only comments.
//
// - Install: keep every file of this build in a cache named after the build.
// - Pages (navigations): the network first, so a new deployment shows at the next load; the kept
//   index.html when the network fails or takes longer than NETWORK_WAIT_MS (bad wifi).
// - The build's files: from the cache (their names carry a hash of their content, so a kept
//   file is never stale); anything else goes to the network untouched.
// - Activate: delete the caches of earlier builds, and take over open tabs at once (they keep
//   running the code they loaded; nothing is loaded later).
const VERSION = "__VERSION__";
const FILES = __FILES__;
const CACHE = "helpdesk-" + VERSION;
const NETWORK_WAIT_MS = 3000;
const url = (file) => new URL(file, self.registration.scope).href;
const INDEX = url("index.html");
const KEPT = new Set(FILES.map(url));

self.addEventListener("install", (event) => {
  event.waitUntil(
    caches
      .open(CACHE)
      // `no-cache`: the browser's HTTP cache may hold an older index.html.
      .then((cache) => cache.addAll(FILES.map((file) => new Request(url(file), { cache: "no-cache" }))))
      .then(() => self.skipWaiting()),
  );
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches
      .keys()
      .then((names) => Promise.all(names.filter((name) => name.startsWith("helpdesk-") && name !== CACHE).map((name) => caches.delete(name))))
      .then(() => self.clients.claim()),
  );
});

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET" || new URL(request.url).origin !== location.origin) return;
  if (request.mode === "navigate") {
    event.respondWith(page(request));
  } else if (KEPT.has(request.url)) {
    event.respondWith(caches.match(request.url, { cacheName: CACHE }).then((kept) => kept ?? fetch(request)));
  }
});

/** The network's answer, or the kept index.html (the app routes every path itself) if the
 * network fails or is slow and a kept copy exists. */
async function page(request) {
  const network = fetch(request);
  network.catch(() => {}); // Answered from the cache instead; not an error.
  const kept = caches.match(INDEX, { cacheName: CACHE });
  const slow = new Promise((resolve) => setTimeout(resolve, NETWORK_WAIT_MS));
  try {
    const first = await Promise.race([network, slow.then(() => kept)]);
    if (first) return first;
    return await network;
  } catch {
    return (await kept) ?? Response.error();
  }
}
