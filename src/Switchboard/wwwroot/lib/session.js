// Every page but the sign-in page needs a signed-in user: without one, go and sign in, then come back.
(async () => {
  const response = await fetch("/api/v1/auth/me", { credentials: "same-origin" });
  if (response.status === 401) {
    location.href = "/signin/?return=" + encodeURIComponent(location.pathname + location.search);
  }
})();
