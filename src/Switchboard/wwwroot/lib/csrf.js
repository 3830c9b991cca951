// Antiforgery for every page, in one place (docs/security.md): a change the page asks for (POST, PUT, PATCH, DELETE
// to this server) carries the session's token, which GET /api/v1/auth/me left in the XSRF-TOKEN cookie. Other sites can
// neither read that cookie nor set the header, so a forged form or script from elsewhere is refused.
(() => {
  const send = window.fetch.bind(window);
  const token = () => {
    const match = document.cookie.match(/(?:^|;\s*)XSRF-TOKEN=([^;]*)/);
    return match ? decodeURIComponent(match[1]) : null;
  };
  window.fetch = (resource, options = {}) => {
    const method = (options.method || "GET").toUpperCase();
    const url = new URL(typeof resource === "string" ? resource : resource.url, location.href);
    if (!["GET", "HEAD", "OPTIONS"].includes(method) && url.origin === location.origin && token()) {
      const headers = new Headers(options.headers || {});
      headers.set("X-XSRF-TOKEN", token());
      options = { ...options, headers };
    }
    return send(resource, options);
  };
})();
