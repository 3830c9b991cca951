// The supervisor's board: live queues and agents over SignalR /hubs/supervisor. Values are written with textContent.
(() => {
  "use strict";
  const $ = id => document.getElementById(id);
  const TEXT = {
    "zh-CN": { title: "班长监控台", toAdmin: "路由规则", offline: "未连接", online: "实时", waiting: "排队中的来电", active: "振铃与通话中", agents: "坐席状态",
      call: "来电", tier: "等级", rule: "规则", queue: "队列", priority: "优先级", waited: "已等待", state: "状态", agent: "坐席", seconds: "秒",
      "state.ringing": "振铃", "state.connected": "通话中", "tier.vip": "VIP", "tier.gold": "金卡", "tier.silver": "银卡", "tier.standard": "普通", "tier.": "未识别",
      "agent.available": "空闲", "agent.ringing": "振铃", "agent.busy": "通话", "agent.wrapUp": "话后整理", "agent.away": "示忙", "agent.offline": "离线",
      alerts: "实时告警", noAlerts: "暂无告警。", toSpeech: "话术与知识库", heard: "触发词", mood: "客户情绪", ticket: "工单" },
    "en": { title: "Supervisor board", toAdmin: "Routing rules", offline: "Offline", online: "Live", waiting: "Calls waiting", active: "Ringing and connected", agents: "Agents",
      call: "Call", tier: "Tier", rule: "Rule", queue: "Queue", priority: "Priority", waited: "Waited", state: "State", agent: "Agent", seconds: "s",
      "state.ringing": "Ringing", "state.connected": "Connected", "tier.vip": "VIP", "tier.gold": "Gold", "tier.silver": "Silver", "tier.standard": "Standard", "tier.": "Unknown",
      "agent.available": "Available", "agent.ringing": "Ringing", "agent.busy": "On a call", "agent.wrapUp": "Wrap-up", "agent.away": "Away", "agent.offline": "Offline",
      alerts: "Live alerts", noAlerts: "No alerts.", toSpeech: "Speech rules and knowledge", heard: "Heard", mood: "Customer mood", ticket: "Ticket" },
  };
  const state = { lang: localStorage.getItem("sb.lang") || "zh-CN", board: null, online: false };
  const t = key => TEXT[state.lang][key] ?? TEXT.en[key] ?? key;
  const cell = text => { const td = document.createElement("td"); td.textContent = text; return td; };

  function render() {
    document.documentElement.lang = state.lang;
    document.querySelectorAll("[data-i18n]").forEach(node => { node.textContent = t(node.dataset.i18n); });
    $("status").textContent = t(state.online ? "online" : "offline");
    $("status").className = "status" + (state.online ? " online" : "");
    $("language").value = state.lang;
    if (!state.board) return;
    const now = Date.now();
    const waiting = document.querySelector("[data-testid=waiting] tbody");
    waiting.replaceChildren(...state.board.waiting.map((c, i) => {
      const row = document.createElement("tr");
      row.dataset.call = c.id;
      if (c.bypass) row.className = "bypass";
      row.append(cell(i + 1), cell(c.id), cell(t("tier." + c.tier)), cell(c.rule), cell(c.queue), cell(c.priority),
        cell(`${Math.max(0, Math.round((now - Date.parse(c.since + (c.since.endsWith("Z") ? "" : "Z"))) / 1000))} ${t("seconds")}`));
      return row;
    }));
    const active = document.querySelector("[data-testid=active] tbody");
    active.replaceChildren(...state.board.active.map(c => {
      const row = document.createElement("tr");
      row.dataset.call = c.id;
      row.append(cell(c.id), cell(t("tier." + c.tier)), cell(t("state." + c.state)), cell(c.agent ?? ""));
      return row;
    }));
    $("agents").replaceChildren(...state.board.agents.map(a => {
      const item = document.createElement("li");
      item.className = a.status;
      item.dataset.agent = a.id;
      item.textContent = `${a.id} · ${t("agent." + a.status)}`;
      return item;
    }));
  }

  // A speech rule asked for a supervisor or escalated a call: newest first, the last 20 kept.
  function showAlert(alert) {
    const list = $("alerts");
    list.querySelectorAll(".hint").forEach(n => n.remove());
    const item = document.createElement("li");
    item.className = "alert";
    item.dataset.testid = "alert";
    item.dataset.rule = alert.ruleId;
    const head = document.createElement("strong");
    head.textContent = `${new Date(alert.at).toLocaleTimeString(state.lang)} · ${alert.message}`;
    const detail = document.createElement("div");
    detail.textContent = [`${t("call")} ${alert.source}/${alert.callId}`, alert.agent ? `${t("agent")} ${alert.agent}` : null,
      alert.customerSentiment != null ? `${t("mood")} ${alert.customerSentiment}` : null, alert.ticketNumber ? `${t("ticket")} ${alert.ticketNumber}` : null,
      `${t("heard")}: ${alert.evidence.join("；")}`].filter(Boolean).join(" · ");
    item.append(head, detail);
    list.prepend(item);
    while (list.children.length > 20) list.lastChild.remove();
  }

  const connection = new signalR.HubConnectionBuilder().withUrl("/hubs/supervisor").withAutomaticReconnect().build();
  connection.on("Routing", board => { state.board = board; render(); });
  connection.on("SpeechAlert", showAlert);
  connection.onreconnecting(() => { state.online = false; render(); });
  connection.onreconnected(() => { state.online = true; render(); });
  connection.onclose(() => { state.online = false; render(); });
  $("language").addEventListener("change", event => { state.lang = event.target.value; localStorage.setItem("sb.lang", state.lang); render(); });
  render();
  connection.start().then(() => { state.online = true; render(); });
})();
