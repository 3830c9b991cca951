// The planning page: a day's forecast against actuals with its band, and agents required against planned.
// Charts are plain SVG; every value from the server is written with textContent.
(() => {
  "use strict";
  const $ = id => document.getElementById(id);
  const params = new URLSearchParams(location.search);
  const state = { lang: localStorage.getItem("sb.lang") || "zh-CN", last: null };
  const t = (key, values) => {
    let text = (window.SB_PLAN_TEXT[state.lang] || {})[key] || window.SB_PLAN_TEXT.en[key] || key;
    Object.entries(values || {}).forEach(([name, value]) => { text = text.replace("{" + name + "}", value); });
    return text;
  };
  const number = value => Math.round(value).toLocaleString(state.lang);
  const percent = value => (value * 100).toFixed(1) + "%";
  const svg = (tag, attrs) => {
    const node = document.createElementNS("http://www.w3.org/2000/svg", tag);
    Object.entries(attrs).forEach(([name, value]) => node.setAttribute(name, value));
    return node;
  };

  async function api(path, body) {
    const response = await fetch(path, body === undefined ? {} : { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body) });
    const data = await response.json();
    if (!response.ok) {
      const reasons = data.errors ? Object.values(data.errors).flat().join(" ") : "";
      throw new Error(`${data.title || response.status}${reasons ? ": " + reasons : ""}`);
    }
    return data;
  }

  // One chart: x = intervals; series drawn as polylines, the band as a polygon, bars for counts.
  function chart(node, labels, layers) {
    node.replaceChildren();
    const [width, height, left, bottom, top] = [800, 260, 44, 24, 10];
    // Gridlines on round numbers (1, 2 or 5 × 10ⁿ apart), the top one at or above the largest value.
    const largest = Math.max(1, ...layers.flatMap(l => (l.values || []).concat(l.high || []).filter(v => v !== null)));
    const raw = largest / 4, magnitude = 10 ** Math.floor(Math.log10(raw));
    const tick = [1, 2, 5, 10].map(m => m * magnitude).find(s => s >= raw);
    const max = tick * 4;
    const x = i => left + (i + 0.5) * (width - left - 6) / labels.length;
    const y = v => height - bottom - v * (height - bottom - top) / max;
    for (let k = 0; k <= 4; k++) {
      const v = tick * k;
      node.append(svg("line", { x1: left, x2: width, y1: y(v), y2: y(v), class: "grid" }));
      const label = svg("text", { x: left - 4, y: y(v) + 4, class: "axis", "text-anchor": "end" });
      label.textContent = number(v);
      node.append(label);
    }
    labels.forEach((text, i) => {
      if (i % Math.ceil(labels.length / 12) !== 0) return;
      const label = svg("text", { x: x(i), y: height - 6, class: "axis", "text-anchor": "middle" });
      label.textContent = text;
      node.append(label);
    });
    for (const layer of layers) {
      if (layer.kind === "band") {
        const points = layer.low.map((v, i) => `${x(i)},${y(v)}`).concat(layer.high.map((v, i) => `${x(i)},${y(v)}`).reverse());
        node.append(svg("polygon", { points: points.join(" "), class: "band", "data-series": layer.name }));
      } else if (layer.kind === "bars") {
        const w = (width - left - 6) / labels.length * layer.width;
        layer.values.forEach((v, i) => node.append(svg("rect", { x: x(i) - w / 2 + layer.offset * w, y: y(v), width: w, height: Math.max(0, y(0) - y(v)), class: layer.name, "data-series": layer.name })));
      } else if (layer.values.some(v => v !== null)) {
        const points = layer.values.map((v, i) => v === null ? null : `${x(i)},${y(v)}`).filter(p => p);
        node.append(svg("polyline", { points: points.join(" "), class: layer.name, "data-series": layer.name, "data-points": points.length }));
      }
    }
  }

  function render() {
    const { forecast, plan } = state.last;
    const time = iso => iso.substring(11, 16);
    const labels = forecast.intervals.map(i => time(i.start));
    const sum = f => forecast.intervals.reduce((total, i) => total + f(i), 0);
    $("summary").textContent = t("summary", { day: forecast.day, calls: number(sum(i => i.calls)), low: number(sum(i => i.low)), high: number(sum(i => i.high)) });
    $("model").textContent = t("model", { model: forecast.model, wape: percent(forecast.backtestWape), baseline: percent(forecast.baselineWape) });
    chart($("forecast-chart"), labels, [
      { kind: "band", name: "band", low: forecast.intervals.map(i => i.low), high: forecast.intervals.map(i => i.high) },
      { kind: "line", name: "forecast", values: forecast.intervals.map(i => i.calls) },
      { kind: "line", name: "actual", values: forecast.intervals.map(i => i.actual ?? null) },
    ]);
    $("plan-summary").textContent = t("plan", {
      shifts: plan.shifts.length, paid: number(plan.paidHours), required: number(plan.requiredHours),
      over: percent(plan.paidHours / Math.max(1, plan.requiredHours) - 1),
    });
    chart($("staffing-chart"), labels, [
      { kind: "bars", name: "required", values: plan.coverage.map(c => c.required), width: 0.45, offset: -0.5 },
      { kind: "bars", name: "planned", values: plan.coverage.map(c => c.planned), width: 0.45, offset: 0.5 },
    ]);
  }

  async function show(event) {
    if (event) event.preventDefault();
    const message = $("message");
    message.hidden = false;
    message.className = "message";
    message.textContent = t("loading");
    try {
      const query = new URLSearchParams();
      if ($("queue").value.trim()) query.set("queue", $("queue").value.trim());
      if ($("day").value) query.set("day", $("day").value);
      const forecast = await api("/api/v1/forecasts?" + query);
      const minutes = forecast.intervalMinutes;
      const requirement = await api("/api/v1/staffing/requirements", {
        intervalMinutes: minutes,
        target: { ahtSeconds: +$("aht").value, serviceLevel: +$("sl").value, answerWithinSeconds: +$("within").value, shrinkage: +$("shrinkage").value },
        volumes: forecast.intervals.map(i => ({ start: i.start, calls: i.calls })),
      });
      const opens = forecast.intervals[0].start.substring(11, 16);
      const closesAt = new Date(forecast.intervals[forecast.intervals.length - 1].start + "Z").getTime() + minutes * 60000;
      const latest = hours => new Date(closesAt - hours * 3600000).toISOString().substring(11, 16);
      const plan = await api("/api/v1/staffing/plans", {
        intervalMinutes: minutes,
        requirement: requirement.map(r => ({ start: r.start, agents: r.scheduled })),
        // Full-time shifts (8.5 h with a half-hour break 3–5 h in) where the day is long enough; 4-hour part-time shifts.
        templates: [
          { name: "full", lengthHours: 8.5, earliestStart: opens, latestStart: latest(8.5), startEveryMinutes: minutes, breakMinutes: Math.max(30, minutes), breakEarliestHours: 3, breakLatestHours: 5 },
          { name: "part", lengthHours: 4, earliestStart: opens, latestStart: latest(4), startEveryMinutes: minutes },
        ].filter(template => latest(template.lengthHours) >= opens),
      });
      state.last = { forecast, plan };
      $("result").hidden = false;
      message.hidden = true;
      render();
    } catch (error) {
      $("result").hidden = true;
      message.className = "message error";
      message.textContent = error.message;
    }
  }

  function translatePage() {
    document.documentElement.lang = state.lang;
    document.querySelectorAll("[data-i18n]").forEach(node => { node.textContent = t(node.dataset.i18n); });
    $("language").value = state.lang;
    if (state.last) render();
  }

  $("query").addEventListener("submit", show);
  $("language").addEventListener("change", event => { state.lang = event.target.value; localStorage.setItem("sb.lang", state.lang); translatePage(); });
  $("queue").value = params.get("queue") || "";
  $("day").value = params.get("day") || new Date(Date.now() + 86400000).toISOString().substring(0, 10);
  translatePage();
  if (params.has("day") || params.has("queue")) show();
})();
