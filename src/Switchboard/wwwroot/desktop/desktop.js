// The agent desktop: sign in as an agent, receive screen pops over SignalR (/hubs/agent), act on them.
// Every value from the server is written with textContent (never innerHTML): customer data may hold markup.
(() => {
  "use strict";
  const $ = id => document.getElementById(id);
  const state = { agent: null, lang: localStorage.getItem("sb.lang") || "zh-CN", connection: null, pop: null, presence: null };

  const t = key => (window.SB_TEXT[state.lang] && window.SB_TEXT[state.lang][key]) || window.SB_TEXT.en[key] || key;
  const el = (tag, attrs, ...children) => {
    const node = document.createElement(tag);
    for (const [name, value] of Object.entries(attrs || {})) {
      if (name === "text") node.textContent = value;
      else if (name === "on") Object.entries(value).forEach(([event, handler]) => node.addEventListener(event, handler));
      else node.setAttribute(name, value);
    }
    children.flat().filter(c => c !== null && c !== undefined).forEach(c => node.append(c instanceof Node ? c : document.createTextNode(String(c))));
    return node;
  };
  const time = iso => iso ? new Date(iso).toLocaleString(state.lang) : "";
  // The customer's side of the call: who called in, or whom the agent called out to.
  const api = async (path, options) => {
    const response = await fetch(path, { headers: { "Content-Type": "application/json" }, ...options });
    if (!response.ok && response.status !== 204) throw new Error(`${response.status} ${path}`);
    return response.status === 204 ? null : response.json();
  };

  function translatePage() {
    document.documentElement.lang = state.lang;
    document.querySelectorAll("[data-i18n]").forEach(node => { node.textContent = t(node.dataset.i18n); });
    $("language").value = state.lang;
    if (state.pop) render(state.pop);
    if (state.presence) showPresence(state.presence);
  }

  function setStatus(kind) {
    const status = $("status");
    status.className = "status " + kind;
    status.dataset.i18n = "status." + kind;
    status.textContent = t("status." + kind);
  }

  // The server knows who signed in (a cookie); the desktop asks it, and connects as that agent.
  async function whoAmI() {
    const response = await fetch("/api/v1/auth/me", { credentials: "same-origin" });
    return response.ok ? (await response.json()).name : null;
  }

  async function submitSignIn(name, password) {
    const response = await fetch("/api/v1/auth/sign-in", {
      method: "POST", credentials: "same-origin", headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ name, password }),
    });
    $("sign-in-error").hidden = response.ok;
    $("password").value = "";
    if (response.ok) await signIn(await whoAmI());
  }

  async function signIn(agent) {
    if (!agent) return;
    state.agent = agent;
    $("sign-in").hidden = true;
    $("desk").hidden = false;
    $("sign-out").hidden = false;
    $("who").textContent = agent;
    const connection = new signalR.HubConnectionBuilder()
      .withUrl("/hubs/agent")
      .withStatefulReconnect()
      .withAutomaticReconnect()
      .build();
    connection.on("ScreenPop", pop => { addToHistory(pop); render(pop); $("cards").replaceChildren(); });
    connection.on("Presence", showPresence);
    connection.on("WrapUp", notice => openWrapUp(notice).catch(() => {}));
    connection.on("SpeechCard", showCard);
    connection.on("KnowledgeSuggestions", showSuggestions);
    connection.onreconnecting(() => setStatus("reconnecting"));
    connection.onreconnected(() => setStatus("online"));
    connection.onclose(() => setStatus("offline"));
    state.connection = connection;
    await connection.start();
    setStatus("online");
  }

  // Available or away, chosen by the agent; every desktop of theirs hears the change (Presence message).
  function showPresence(presence) {
    state.presence = presence;
    $("presence").hidden = false;
    $("presence-available").setAttribute("aria-pressed", String(presence.status === "available"));
    $("presence-away").setAttribute("aria-pressed", String(presence.status === "away"));
    $("presence-since").textContent = `${t("presence." + presence.status)} · ${t("presence.since")} ${new Date(presence.since).toLocaleTimeString(state.lang)}`;
  }

  async function choosePresence(status) {
    if (state.connection) showPresence(await state.connection.invoke("SetPresence", status));
  }

  async function signOut() {
    // Signing out means not ready: the next sign-in starts away, even after a restart of the server.
    if (state.connection) {
      try { await state.connection.invoke("SetPresence", "away"); } catch { /* offline already */ }
      await state.connection.stop();
    }
    await fetch("/api/v1/auth/sign-out", { method: "POST", credentials: "same-origin" });
    location.reload();
  }

  // A verdict button: posts once, then says it was noted (docs/speech.md: kept per rule and per article).
  function verdict(label, path, body, testId) {
    return el("button", { type: "button", class: "small", "data-testid": testId, text: t(label), on: { click: async event => {
      const group = event.target.parentElement;
      await api(path, { method: "POST", body: JSON.stringify(body) });
      group.replaceChildren(el("span", { class: "hint", text: t("card.thanks") }));
    } } });
  }

  // A speech rule fired on this call: the script, warning or escalation card, with the words that fired it.
  function showCard(card) {
    const item = el("li", { class: "card " + card.kind, "data-testid": "card-" + card.kind, "data-rule": card.ruleId },
      el("strong", { text: `${t("card." + card.kind)} · ${card.title}` }),
      el("p", { text: card.body }),
      card.transferTo ? el("p", { "data-testid": "card-transfer", text: `${t("card.transfer")} ${card.transferTo}` }) : null,
      card.context ? el("p", { class: "hint", text: `${t("card.context")}: ${card.context}` }) : null,
      el("p", { class: "hint", "data-testid": "card-heard", text: `${t("card.heard")}: ${card.evidence.join("；")}` }),
      el("div", { class: "verdict" },
        verdict("card.useful", `/api/v1/speech/firings/${card.firingId}/feedback`, { useful: true }, "card-useful"),
        " ",
        verdict("card.notUseful", `/api/v1/speech/firings/${card.firingId}/feedback`, { useful: false }, "card-not-useful")));
    $("cards").prepend(item);
    while ($("cards").children.length > 8) $("cards").lastChild.remove();
  }

  // The knowledge base's best answers for what the customer is asking now; replaced as the conversation moves.
  function showSuggestions(message) {
    $("suggestions").replaceChildren(...message.articles.map(a => el("li", { class: "suggestion", "data-testid": "suggestion", "data-article": a.id },
      el("strong", { text: a.title }),
      el("p", { text: a.answer }),
      el("div", { class: "verdict" },
        verdict("article.helped", `/api/v1/knowledge/articles/${a.id}/feedback`, { helped: true, callSource: message.source, callId: message.callId }, "article-helped"),
        " ",
        verdict("article.notHelped", `/api/v1/knowledge/articles/${a.id}/feedback`, { helped: false, callSource: message.source, callId: message.callId }, "article-not-helped")))));
  }

  function addToHistory(pop) {
    const who = pop.customer ? pop.customer.displayName : (pop.call.from || t("pop.anonymous"));
    $("history").prepend(el("li", { text: `${time(pop.composedAt)} · ${who}` }));
    while ($("history").children.length > 10) $("history").lastChild.remove();
  }

  function list(titleKey, items, line, testId) {
    return el("section", { "data-testid": testId },
      el("h3", { text: t(titleKey) }),
      items.length ? el("ul", {}, items.map(line)) : el("p", { class: "hint", text: t("pop.none") }));
  }

  function customerBlock(c) {
    return [
      el("h2", { "data-testid": "pop-name", text: c.displayName }),
      el("div", {},
        el("span", { class: "badge " + c.tier, "data-testid": "pop-tier", text: t("tier." + c.tier) }),
        el("span", { class: "badge", text: t("lifecycle." + c.lifecycle) }),
        c.tags.map(tag => el("span", { class: "badge", text: tag })),
        c.companyName ? el("span", { class: "badge", text: `${t("pop.company")}: ${c.companyName}` }) : null,
        c.ownerAgentId ? el("span", { class: "badge", text: `${t("pop.owner")}: ${c.ownerAgentId}` }) : null),
      el("div", { class: "grid" },
        list("pop.openTickets", c.openTickets, k => el("li", {},
          `${k.number} · ${k.subject ?? t("pop.withheld")} · ${t("status." + k.status)} · ${t("priority." + k.priority)} `,
          k.isSensitive ? el("span", { class: "badge sensitive", text: t("pop.sensitive") }) : null), "pop-tickets"),
        list("pop.recentInteractions", c.recentInteractions, i => el("li", { text: `${time(i.startedAt)} · ${i.summary || i.kind}` }), "pop-interactions"),
        list("pop.recentOrders", c.recentOrders, o => el("li", { text: `${o.number} · ${o.amount != null ? o.amount + " " + o.currency : t("pop.withheld")} · ${time(o.placedAt)}` }), "pop-orders"),
        list("pop.openOpportunities", c.openOpportunities, o => el("li", { text: `${o.title} · ${o.stage}` }), "pop-opportunities")),
    ];
  }

  function render(pop) {
    state.pop = pop;
    const box = $("pop");
    box.replaceChildren();
    box.hidden = false;
    $("idle").hidden = true;
    const id = pop.identification;
    box.className = "panel pop" + (pop.customer && pop.customer.tier === "vip" ? " vip" : "");
    box.append(el("div", { class: "call", "data-testid": "pop-call" },
      `${t("pop.calling")} ${pop.call.from || t("pop.anonymous")}`,
      pop.call.to ? ` → ${pop.call.to}` : "",
      pop.call.queue ? ` · ${t("pop.queue")} ${pop.call.queue}` : ""));

    if (id.kind === "anonymous" || id.kind === "unknown") {
      box.append(el("h2", { "data-testid": "pop-name", text: t(id.kind === "anonymous" ? "pop.anonymous" : "pop.unknown") }));
      if (id.kind === "unknown") box.append(leadForm(pop));
      return;
    }
    const reason = id.candidates[0].reason;
    const why = t("why." + reason + (id.candidates.length > 1 ? ".many" : "")).replace("{n}", id.candidates.length);
    box.append(el("p", { class: "why", "data-testid": "pop-why", text: why }));
    if (id.kind === "multiple") {
      box.append(el("p", { text: t("pop.choose") }), el("ul", { class: "candidates", "data-testid": "pop-candidates" },
        id.candidates.map(c => el("li", {},
          el("span", { text: `${c.displayName} · ${t("tier." + c.tier)}` }),
          el("button", { text: t("pop.thisOne"), on: { click: () => choose(pop, c.customerId) } })))));
    }
    if (pop.customer) box.append(...customerBlock(pop.customer));
  }

  function leadForm(pop) {
    const name = el("input", { "aria-label": t("pop.leadName"), placeholder: t("pop.leadName"), maxlength: "200", "data-testid": "lead-name" });
    return el("form", { on: { submit: async event => {
      event.preventDefault();
      // The call stands for its number: the desktop may only ever have seen it masked.
      const customer = await api("/api/v1/identify/leads", { method: "POST", body: JSON.stringify({
        source: pop.call.source, callId: pop.call.callId, displayName: name.value || null }) });
      await showCustomer(pop, customer.id);
    } } }, el("h3", { text: t("pop.createLead") }), name, " ", el("button", { type: "submit", text: t("pop.create"), "data-testid": "create-lead" }));
  }

  async function choose(pop, customerId) {
    await api("/api/v1/identify/choices", { method: "POST", body: JSON.stringify({ source: pop.call.source, callId: pop.call.callId, customerId, agentId: state.agent }) });
    await showCustomer(pop, customerId);
  }

  async function showCustomer(pop, customerId) {
    const identification = await api(`/api/v1/identify?source=${encodeURIComponent(pop.call.source)}&callId=${encodeURIComponent(pop.call.callId)}`);
    const chosen = identification.candidates.find(c => c.customerId === customerId) || identification.candidates[0];
    const customer = await api("/api/v1/customers/" + customerId);
    const timeline = await api(`/api/v1/customers/${customerId}/timeline?limit=10`);
    render({ ...pop, identification: { ...identification, kind: "single", candidates: [chosen] }, customer: {
      ...customer, companyName: null,
      openTickets: [], recentOrders: [], openOpportunities: [],
      recentInteractions: timeline.map(e => ({ startedAt: e.at, summary: `${e.type} · ${e.title}${e.detail ? " · " + e.detail : ""}` })) } });
  }

  // After the call: the drafted summary to edit, a disposition, the ticket it goes to, and the time left (docs/wrap-up.md).
  async function openWrapUp(notice) {
    const path = `/api/v1/calls/${encodeURIComponent(notice.source)}/${encodeURIComponent(notice.callId)}/wrap-up`;
    const draft = await api(path);
    const box = $("wrap-up");
    box.hidden = false;
    clearInterval(state.wrapUpTimer);
    const summary = el("textarea", { rows: "8", "data-testid": "wrap-up-summary", "aria-label": t("wrapUp.summary"), maxlength: "8000" });
    summary.value = draft.summary.text;
    const label = d => state.lang.startsWith("zh") ? (d.zh || d.code) : (d.en || d.code);
    const disposition = el("select", { "data-testid": "wrap-up-disposition", "aria-label": t("wrapUp.disposition") },
      draft.dispositions.map(d => el("option", { value: d.code, text: label(d) })));
    const ticket = el("select", { "data-testid": "wrap-up-ticket", "aria-label": t("wrapUp.ticket") },
      el("option", { value: "", text: t("wrapUp.newTicket") }),
      draft.openTickets.map(k => el("option", { value: k.id, text: `${k.number} · ${k.subject ?? t("pop.withheld")}` })));
    const left = el("span", { class: "hint", "data-testid": "wrap-up-left" });
    const tick = () => {
      if (!draft.endsAt) return;
      const seconds = Math.max(0, Math.round((new Date(draft.endsAt) - new Date()) / 1000));
      left.textContent = t("wrapUp.left").replace("{s}", seconds);
    };
    tick();
    state.wrapUpTimer = setInterval(tick, 1000);
    const result = el("p", { "data-testid": "wrap-up-result", role: "status" });
    const form = el("form", { on: { submit: async event => {
      event.preventDefault();
      const response = await fetch(path, { method: "POST", headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ summary: summary.value, disposition: disposition.value, ticketId: ticket.value || null }) });
      const body = await response.json();
      if (!response.ok) { result.textContent = body.detail || body.title; return; }
      clearInterval(state.wrapUpTimer);
      form.querySelectorAll("textarea, select, button").forEach(c => { c.disabled = true; });
      const followUps = body.followUps.map(f => `${f.title}${f.assigneeAgentId ? " → " + f.assigneeAgentId : ""}`).join("；");
      result.textContent = `${t("wrapUp.saved")} ${body.ticketNumber}${followUps ? " · " + t("wrapUp.followUps") + " " + followUps : ""}`;
    } } },
      el("h2", { text: `${t("wrapUp.heading")} · ${draft.customerName || t("pop.unknown")}` }),
      summary, el("div", { class: "row" }, disposition, " ", ticket, " ", left),
      el("button", { type: "submit", "data-testid": "wrap-up-confirm", text: t("wrapUp.confirm") }), result);
    box.replaceChildren(form);
  }

  $("sign-in-form").addEventListener("submit", event => { event.preventDefault(); submitSignIn($("agent").value.trim(), $("password").value); });
  $("sign-out").addEventListener("click", signOut);
  $("presence-available").addEventListener("click", () => choosePresence("available"));
  $("presence-away").addEventListener("click", () => choosePresence("away"));
  $("language").addEventListener("change", event => { state.lang = event.target.value; localStorage.setItem("sb.lang", state.lang); translatePage(); });
  translatePage();
  whoAmI().then(signIn); // still signed in (the cookie lasts 8 hours): straight to the desk
})();
