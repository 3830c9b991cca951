// Speech rules (JSON, validated by the server, every problem named by its path; a dry run), their outcomes, the
// knowledge base's articles (publish a learnt draft, write a new one) and hot topics. Values are written with textContent.
(() => {
  "use strict";
  const $ = id => document.getElementById(id);
  const TEXT = {
    "zh-CN": { title: "话术规则与知识库", toSupervisor: "班长监控台", rules: "实时话术规则", save: "校验并保存", reload: "重新载入", tryIt: "试运行", try: "试运行",
      rulesHint: "每条规则：条件全部成立时执行动作。条件：said / notSaid / near（within）/ sentiment（below, forSeconds）/ silence / interruptions / facts；by：customer、agent、either；first、last（秒）。动作：script、warning、alertSupervisor、escalate、tag。",
      tryHint: "每行一句：“customer: …” 或 “agent: …”，每句间隔 5 秒；不写入任何数据。", version: "当前版本 {v}", none: "尚未保存规则（下方为示例）。",
      saved: "已保存为版本 {v}。", invalid: "未保存：请修正以下问题。", notJson: "不是有效的 JSON：{e}", stale: "已被他人修改（版本冲突），请重新载入后再改。",
      nothing: "没有规则会触发。", report: "规则效果（近 7 天）", rule: "规则", fired: "触发", calls: "通话", shown: "展示", useful: "有用", notUseful: "没用", outcomes: "通话结果",
      articles: "知识库文章", titleCol: "标题", status: "状态", origin: "来源", questions: "问法", verdicts: "有帮助/没帮助", newArticle: "新建文章", publish: "发布",
      retire: "下线", "status.draft": "草稿", "status.published": "已发布", "status.retired": "已下线", "origin.manual": "人工", "origin.learned": "自动学习",
      created: "已发布。", topics: "热点问题（近 7 天）", topic: "问题", asked: "次数", before: "前 7 天", regions: "地区", learn: "立即学习", learnt: "新草稿 {n} 篇。" },
    "en": { title: "Speech rules and knowledge base", toSupervisor: "Supervisor board", rules: "Live speech rules", save: "Validate and save", reload: "Reload", tryIt: "Dry run", try: "Dry run",
      rulesHint: "Each rule acts when all its conditions hold. Conditions: said / notSaid / near (within) / sentiment (below, forSeconds) / silence / interruptions / facts; by: customer, agent, either; first, last (seconds). Actions: script, warning, alertSupervisor, escalate, tag.",
      tryHint: "One line per sentence, \"customer: …\" or \"agent: …\", 5 s apart; nothing is written.", version: "Version {v}", none: "No rules saved yet (an example below).",
      saved: "Saved as version {v}.", invalid: "Not saved: fix these problems.", notJson: "Not valid JSON: {e}", stale: "Someone else changed it (version conflict): reload, then edit.",
      nothing: "No rule would fire.", report: "Rule outcomes (last 7 days)", rule: "Rule", fired: "Fired", calls: "Calls", shown: "Shown", useful: "Useful", notUseful: "Not useful", outcomes: "Call outcomes",
      articles: "Knowledge base articles", titleCol: "Title", status: "Status", origin: "Origin", questions: "Questions", verdicts: "Helped/not", newArticle: "New article", publish: "Publish",
      retire: "Retire", "status.draft": "Draft", "status.published": "Published", "status.retired": "Retired", "origin.manual": "Written", "origin.learned": "Learnt",
      created: "Published.", topics: "Hot topics (last 7 days)", topic: "Question", asked: "Asked", before: "7 days before", regions: "Regions", learn: "Learn now", learnt: "{n} new drafts." },
  };
  const state = { lang: localStorage.getItem("sb.lang") || "zh-CN", version: 0 };
  const t = (key, values) => Object.entries(values || {}).reduce((text, [k, v]) => text.replace("{" + k + "}", v), TEXT[state.lang][key] ?? TEXT.en[key] ?? key);
  const el = (tag, text, attrs) => { const node = document.createElement(tag); if (text !== undefined && text !== null) node.textContent = text; Object.entries(attrs || {}).forEach(([k, v]) => node.setAttribute(k, v)); return node; };
  const row = (...cells) => { const tr = document.createElement("tr"); cells.forEach(c => { const td = document.createElement("td"); td.append(c instanceof Node ? c : String(c)); tr.append(td); }); return tr; };
  const example = { rules: [
    { id: "competitor", name: "客户提到竞品", when: [{ said: ["优品汇", "BetterBank"], by: "customer" }],
      actions: [{ type: "script", title: "竞品对比话术", body: "我们的年费更低，且提供24小时人工服务。" }, { type: "tag", tag: "competitor" }] },
    { id: "regulator", name: "监管投诉风险", when: [{ said: ["银保监会", "律师", "lawyer", "regulator"], by: "customer" }],
      actions: [{ type: "warning", title: "风险提示", body: "请安抚客户并记录诉求。" }, { type: "alertSupervisor", body: "监管投诉风险" }] },
    { id: "upset", name: "客户情绪激动", when: [{ sentiment: { below: -0.3, forSeconds: 15 }, by: "customer" }],
      actions: [{ type: "escalate", group: "senior" }, { type: "tag", tag: "escalated" }] },
  ] };

  function translate() {
    document.documentElement.lang = state.lang;
    document.querySelectorAll("[data-i18n]").forEach(node => { node.textContent = t(node.dataset.i18n); });
    $("article-title").placeholder = t("titleCol");
    $("language").value = state.lang;
    $("version").textContent = state.version ? t("version", { v: state.version }) : t("none");
  }

  function problems(body) {
    $("problems").replaceChildren(...Object.entries(body.errors || {}).flatMap(([field, reasons]) => reasons.map(reason => {
      const item = el("li");
      item.dataset.field = field;
      item.append(el("code", field), " " + reason);
      return item;
    })));
  }

  async function loadRules() {
    const view = await (await fetch("/api/v1/speech/rules")).json();
    state.version = view.version;
    $("document").value = JSON.stringify(view.version ? view.document : example, null, 2);
    $("problems").replaceChildren();
    $("result").textContent = "";
    translate();
  }

  async function saveRules() {
    let document;
    try { document = JSON.parse($("document").value); } catch (error) { $("result").className = "message error"; $("result").textContent = t("notJson", { e: error.message }); return; }
    const response = await fetch("/api/v1/speech/rules", { method: "PUT", headers: { "Content-Type": "application/json", "If-Match": `"${state.version}"` }, body: JSON.stringify(document) });
    const body = await response.json();
    $("result").className = "message " + (response.ok ? "ok" : "error");
    if (response.ok) { state.version = body.version; $("result").textContent = t("saved", { v: body.version }); problems({}); translate(); return; }
    $("result").textContent = response.status === 409 ? t("stale") : t("invalid");
    problems(body);
  }

  async function tryRules() {
    let document;
    try { document = JSON.parse($("document").value); } catch (error) { $("fired").replaceChildren(el("li", t("notJson", { e: error.message }))); return; }
    const segments = $("sample").value.split("\n").map(line => line.trim()).filter(Boolean).map((line, i) => {
      const [speaker, ...text] = line.split(/[:：]/);
      return { speaker: speaker.trim().toLowerCase() === "agent" ? "agent" : "customer", start: i * 5000, end: i * 5000 + 4000, text: text.join(":").trim() || line, language: "" };
    });
    const response = await fetch("/api/v1/speech/rules/test", { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify({ rules: document, segments, endAt: segments.length * 5000 }) });
    const body = await response.json();
    if (!response.ok) { problems(body); return; }
    $("fired").replaceChildren(...(body.length ? body.map(f => el("li", `${f.name} @${(f.at / 1000).toFixed(0)}s · ${f.evidence.join("；")} → ${f.actions.join(", ")}`, { "data-rule": f.rule })) : [el("li", t("nothing"))]));
  }

  async function loadReport() {
    const response = await fetch("/api/v1/speech/report");
    if (!response.ok) return;
    const report = await response.json();
    document.querySelector("[data-testid=report] tbody").replaceChildren(...report.map(r =>
      row(r.rule, r.fired, r.calls, r.shown, r.useful, r.notUseful, Object.entries(r.callOutcomes).map(([k, v]) => `${k} ${v}`).join(" · "))));
  }

  async function loadArticles() {
    const page = await (await fetch("/api/v1/knowledge/articles?limit=200")).json();
    const order = { draft: 0, published: 1, retired: 2 };
    const articles = page.items.sort((a, b) => order[a.status] - order[b.status]);
    document.querySelector("[data-testid=articles] tbody").replaceChildren(...articles.map(a => {
      const action = el("button", t(a.status === "published" ? "retire" : "publish"), { type: "button", class: "secondary", "data-testid": "article-" + (a.status === "published" ? "retire" : "publish") });
      action.disabled = a.status !== "published" && !a.answer;
      action.addEventListener("click", async () => {
        await fetch(`/api/v1/knowledge/articles/${a.id}`, { method: "PUT", headers: { "Content-Type": "application/json", "If-Match": `"${a.version}"` },
          body: JSON.stringify({ title: a.title, answer: a.answer, questions: a.questions, tags: a.tags, language: a.language, owner: a.owner || null, status: a.status === "published" ? "retired" : "published" }) });
        await loadArticles();
      });
      const tr = row(a.title, t("status." + a.status), t("origin." + a.origin), a.questions.slice(0, 3).join(" / "), `${a.helped}/${a.notHelped}`, action);
      tr.dataset.article = a.id;
      return tr;
    }));
  }

  async function createArticle(event) {
    event.preventDefault();
    const response = await fetch("/api/v1/knowledge/articles", { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify({
      title: $("article-title").value, answer: $("article-answer").value, language: $("article-language").value, status: "published",
      questions: $("article-questions").value.split("\n").map(q => q.trim()).filter(Boolean) }) });
    const body = await response.json();
    $("article-result").className = "message " + (response.ok ? "ok" : "error");
    $("article-result").textContent = response.ok ? t("created") : Object.entries(body.errors || {}).map(([f, r]) => `${f}: ${r.join(" ")}`).join("；") || body.title;
    if (response.ok) { $("article-form").reset(); await loadArticles(); }
  }

  async function loadTopics() {
    const response = await fetch("/api/v1/knowledge/topics?days=7");
    if (!response.ok) return;
    const topics = await response.json();
    document.querySelector("[data-testid=topics] tbody").replaceChildren(...topics.map(x =>
      row(x.label, x.questions, x.previous, Object.entries(x.regions).map(([k, v]) => `${k} ${v}`).join(" · "))));
  }

  $("save").addEventListener("click", saveRules);
  $("reload").addEventListener("click", loadRules);
  $("try").addEventListener("click", tryRules);
  $("article-form").addEventListener("submit", createArticle);
  $("learn").addEventListener("click", async () => {
    const learnt = await (await fetch("/api/v1/knowledge/topics/learn", { method: "POST" })).json();
    $("article-result").className = "message ok";
    $("article-result").textContent = t("learnt", { n: learnt.drafts.length });
    await Promise.all([loadArticles(), loadTopics()]);
  });
  $("language").addEventListener("change", event => { state.lang = event.target.value; localStorage.setItem("sb.lang", state.lang); translate(); loadArticles(); });
  $("sample").value = "agent: 您好，请问有什么可以帮您？\ncustomer: 优品汇的年费比你们低，我要找律师！";
  translate();
  Promise.all([loadRules(), loadReport(), loadArticles(), loadTopics()]);
})();
