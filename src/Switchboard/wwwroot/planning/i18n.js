// Every word the planning page shows, in Simplified Chinese and English.
window.SB_PLAN_TEXT = {
  "zh-CN": {
    "title": "话务预测与排班", "toDesktop": "坐席工作台", "queue": "队列（留空为全部）", "day": "日期",
    "aht": "平均处理时长（秒）", "serviceLevel": "服务水平", "answerWithin": "接通时限（秒）", "shrinkage": "缩减率",
    "show": "预测并排班", "forecastHeading": "来电预测", "staffingHeading": "人员需求与排班",
    "legend.band": "80% 区间", "legend.forecast": "预测", "legend.actual": "实际",
    "legend.required": "需排班人数", "legend.planned": "已排班人数", "loading": "计算中…",
    "summary": "{day} 预计来电 {calls} 通（80% 区间 {low}–{high}）。",
    "model": "模型：{model}。回测误差 WAPE {wape}（基准 {baseline}）。",
    "plan": "{shifts} 个班次，带薪 {paid} 小时，需求 {required} 人时（超出 {over}），任何时段都不缺人。"
  },
  "en": {
    "title": "Forecast and staffing", "toDesktop": "Agent desktop", "queue": "Queue (blank for all)", "day": "Day",
    "aht": "Average handling time (s)", "serviceLevel": "Service level", "answerWithin": "Answer within (s)", "shrinkage": "Shrinkage",
    "show": "Forecast and plan", "forecastHeading": "Calls forecast", "staffingHeading": "Agents required and planned",
    "legend.band": "80% band", "legend.forecast": "Forecast", "legend.actual": "Actual",
    "legend.required": "Agents to schedule", "legend.planned": "Agents planned", "loading": "Working…",
    "summary": "{day}: {calls} calls expected (80% band {low}–{high}).",
    "model": "Model: {model}. Backtest WAPE {wape} (baseline {baseline}).",
    "plan": "{shifts} shifts, {paid} paid hours for {required} required agent-hours ({over} over); no interval is short."
  }
};
