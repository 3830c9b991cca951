// Routing configuration: edit the JSON document, have the server validate it (every problem named by its path), save.
// Values from the server are written with textContent.
(() => {
  "use strict";
  const $ = id => document.getElementById(id);
  const TEXT = {
    "zh-CN": { title: "路由规则配置", toSupervisor: "班长监控台", hint: "规则从上到下匹配，第一条成立的规则生效；最后一条规则不写条件。条件可使用：",
      save: "校验并保存", reload: "重新载入", version: "当前版本 {v}，保存于 {at}", none: "尚未配置路由。", saved: "已保存为版本 {v}。",
      invalid: "未保存：请修正以下问题。", notJson: "不是有效的 JSON：{e}", stale: "已被他人修改（版本冲突），请重新载入后再改。" },
    "en": { title: "Routing configuration", toSupervisor: "Supervisor board", hint: "Rules are tried top to bottom; the first that holds wins; the last rule has no condition. Conditions may use:",
      save: "Validate and save", reload: "Reload", version: "Version {v}, saved {at}", none: "Routing is not configured yet.", saved: "Saved as version {v}.",
      invalid: "Not saved: fix these problems.", notJson: "Not valid JSON: {e}", stale: "Someone else changed it (version conflict): reload, then edit." },
  };
  const state = { lang: localStorage.getItem("sb.lang") || "zh-CN", version: null, savedAt: null };
  const t = (key, values) => Object.entries(values || {}).reduce((text, [k, v]) => text.replace("{" + k + "}", v), TEXT[state.lang][key] ?? TEXT.en[key] ?? key);
  const example = {
    groups: ["senior", "general"],
    agents: [{ id: "agent-001", groups: ["senior", "general"], skills: { "zh-CN": 5 } }, { id: "agent-002", groups: ["general"], skills: { "zh-CN": 3, en: 3 } }],
    rules: [
      { name: "vip", when: "tier == 'vip' || '续约临近' in tags", queue: "vip", priority: 10, ageCreditSeconds: 90, bypass: true,
        steps: [{ group: "senior", timeoutSeconds: 30 }, { group: "general" }] },
      { name: "english", when: "language == 'en'", queue: "general", priority: 5, steps: [{ group: "general", skills: { en: 3 } }] },
      { name: "everyone", queue: "general", priority: 0, steps: [{ group: "general" }] },
    ],
    strategy: "longestIdle", ringTimeoutSeconds: 20, missedOffersBeforeAway: 3, wrapUpSeconds: 30,
  };

  function showVersion() {
    $("version").textContent = state.version ? t("version", { v: state.version, at: new Date(state.savedAt).toLocaleString(state.lang) }) : t("none");
  }

  function translate() {
    document.documentElement.lang = state.lang;
    document.querySelectorAll("[data-i18n]").forEach(node => { node.textContent = t(node.dataset.i18n); });
    $("language").value = state.lang;
    showVersion();
  }

  async function load() {
    const response = await fetch("/api/v1/routing/configuration");
    if (response.ok) {
      const view = await response.json();
      [state.version, state.savedAt] = [view.version, view.savedAt];
      $("document").value = JSON.stringify(view.document, null, 2);
    } else {
      [state.version, state.savedAt] = [null, null];
      $("document").value = JSON.stringify(example, null, 2);
    }
    $("problems").replaceChildren();
    $("result").textContent = "";
    showVersion();
  }

  async function save() {
    $("problems").replaceChildren();
    let configuration;
    try {
      configuration = JSON.parse($("document").value);
    } catch (error) {
      $("result").className = "message error";
      $("result").textContent = t("notJson", { e: error.message });
      return;
    }
    const headers = { "Content-Type": "application/json" };
    if (state.version) headers["If-Match"] = `"${state.version}"`;
    const response = await fetch("/api/v1/routing/configuration", { method: "PUT", headers, body: JSON.stringify(configuration) });
    const body = await response.json();
    if (response.ok) {
      [state.version, state.savedAt] = [body.version, body.savedAt];
      $("result").className = "message ok";
      $("result").textContent = t("saved", { v: body.version });
      showVersion();
      return;
    }
    $("result").className = "message error";
    $("result").textContent = response.status === 409 ? t("stale") : t("invalid");
    for (const [field, reasons] of Object.entries(body.errors || {})) {
      for (const reason of reasons) {
        const item = document.createElement("li");
        const code = document.createElement("code");
        code.textContent = field;
        item.append(code, " " + reason);
        item.dataset.field = field;
        $("problems").append(item);
      }
    }
  }

  $("save").addEventListener("click", save);
  $("reload").addEventListener("click", load);
  $("language").addEventListener("change", event => { state.lang = event.target.value; localStorage.setItem("sb.lang", state.lang); translate(); });
  translate();
  load();
})();
