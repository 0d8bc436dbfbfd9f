// Lịch sử: one indicator of one unit: its readings against the planned path and milestones
// (GET /api/v1/readings and /api/v1/plan), and the audit trail of corrections (GET /api/v1/audit):
// who changed which value, when, from what to what, and why.
import { h, fill, select } from "./dom.js";
import { get, query } from "./api.js";
import { formatDate, formatDateTime, formatNumber, formatValue, opSymbol } from "./format.js";

const SVG = "http://www.w3.org/2000/svg";

export async function render(main, context) {
  const { params } = context;
  const unit = params.unit ?? context.units[0]?.id;
  const targets = context.plans.filter((p) => p.unit === unit).flatMap((p) => p.targets);
  const indicator = targets.some((t) => t.indicator === params.indicator) ? params.indicator : targets[0]?.indicator;
  const reselect = (name) => (event) => context.go("lich-su", name === "unit"
    ? { unit: event.target.value } : { unit, indicator: event.target.value });
  const chooser = h("form", { class: "filters", "aria-label": "Chọn chỉ tiêu" },
    select("h-unit", "Đơn vị", context.units.map((u) => [u.id, u.name]), unit, reselect("unit")),
    select("h-indicator", "Chỉ tiêu", targets.map((t) => [t.indicator, context.indicators.get(t.indicator)?.name ?? t.indicator]),
      indicator, reselect("indicator")));
  if (!indicator) return fill(main, h("h1", {}, "Lịch sử"), chooser, h("p", {}, "Đơn vị chưa có chỉ tiêu."));
  const selection = query({ unit, indicator });
  const [readings, plan, audit] = await Promise.all([
    get(`/api/v1/readings${selection}`), get(`/api/v1/plan${selection}`), get(`/api/v1/audit${selection}`)]);
  const meta = context.indicators.get(indicator);
  const points = readings.series.flatMap((s) => s.readings).sort((a, b) => a.timestamp_ms - b.timestamp_ms);
  const expected = plan.series.find((s) => s.labels.__name__ === "chiso_plan_expected")?.points ?? [];
  const target = targets.find((t) => t.indicator === indicator);
  const changes = audit.series.flatMap((s) => s.changes).sort((a, b) => b.changed_at.localeCompare(a.changed_at));
  fill(main,
    h("h1", {}, "Lịch sử"),
    chooser,
    h("h2", {}, meta?.name ?? indicator),
    h("p", { class: "help" }, "Mốc mục tiêu: ", target.milestones.map((m, i) =>
      [i ? "; " : "", `${opSymbol(m.op)} ${formatValue(m.target, meta?.measure)} đến ${formatDate(m.date)}`])),
    chart(points, expected, target.milestones, meta?.measure),
    h("h2", {}, "Số liệu đã nhận"),
    points.length === 0 ? h("p", {}, "Chưa có số liệu.") : h("table", { class: "cards" },
      h("thead", {}, h("tr", {}, ["Thời điểm", "Giá trị", "Người gửi", "Số lần sửa", "Ghi chú"].map((t) => h("th", { scope: "col" }, t)))),
      h("tbody", {}, points.slice().reverse().map((p) => h("tr", {},
        h("td", { "data-label": "Thời điểm" }, formatDate(p.time)),
        h("td", { "data-label": "Giá trị", class: "num" }, formatValue(p.value, meta?.measure)),
        h("td", { "data-label": "Người gửi" }, p.writer),
        h("td", { "data-label": "Số lần sửa", class: "num" }, p.revisions),
        h("td", { "data-label": "Ghi chú" }, p.comment ?? ""))))),
    h("h2", {}, "Nhật ký điều chỉnh"),
    changes.length === 0 ? h("p", {}, "Chưa có điều chỉnh nào.") : h("table", { class: "cards audit" },
      h("thead", {}, h("tr", {}, ["Lúc sửa", "Kỳ", "Giá trị cũ → mới", "Người sửa", "Lý do"].map((t) => h("th", { scope: "col" }, t)))),
      h("tbody", {}, changes.map((c) => h("tr", {},
        h("td", { "data-label": "Lúc sửa" }, formatDateTime(c.changed_at)),
        h("td", { "data-label": "Kỳ" }, formatDate(c.time)),
        h("td", { "data-label": "Giá trị cũ → mới", class: "num" }, `${formatNumber(c.old_value)} → ${formatNumber(c.new_value)}`),
        h("td", { "data-label": "Người sửa" }, c.new_writer),
        h("td", { "data-label": "Lý do" }, c.new_comment ?? ""))))));
}

function svg(tag, attributes, ...children) {
  const element = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attributes)) element.setAttribute(k, String(v));
  for (const child of children) element.append(child instanceof Node ? child : document.createTextNode(String(child)));
  return element;
}

// Readings (dots joined by a line), the planned path (dashed) and the milestones (diamonds).
function chart(points, expected, milestones, measure) {
  const width = 720, height = 300, left = 48, right = 12, top = 12, bottom = 32;
  const milestonePoints = milestones.map((m) => [Date.parse(`${m.date}T23:59:59+07:00`), m.target]);
  const all = [...points.map((p) => [p.timestamp_ms, p.value]), ...expected, ...milestonePoints];
  if (all.length === 0) return h("p", {}, "Chưa có số liệu hay kế hoạch để vẽ.");
  const xs = all.map((p) => p[0]), ys = all.map((p) => p[1]);
  const x0 = Math.min(...xs), x1 = Math.max(...xs) || x0 + 1;
  const y0 = Math.min(0, ...ys), y1 = Math.max(measure === "percent" ? 100 : 1, ...ys);
  const X = (t) => left + ((t - x0) / Math.max(1, x1 - x0)) * (width - left - right);
  const Y = (v) => top + (1 - (v - y0) / Math.max(1e-9, y1 - y0)) * (height - top - bottom);
  const path = (pairs) => pairs.map(([t, v], i) => `${i ? "L" : "M"}${X(t).toFixed(1)},${Y(v).toFixed(1)}`).join(" ");
  const grid = [0, 0.25, 0.5, 0.75, 1].map((f) => y0 + f * (y1 - y0));
  const years = [];
  for (let y = new Date(x0).getFullYear(); y <= new Date(x1).getFullYear(); y++) years.push(y);
  const readingPairs = points.map((p) => [p.timestamp_ms, p.value]);
  const figure = svg("svg", { viewBox: `0 0 ${width} ${height}`, role: "img", class: "chart",
    "aria-label": `Biểu đồ: ${points.length} số liệu, đường kế hoạch và ${milestones.length} mốc mục tiêu` },
    ...grid.map((v) => svg("g", {},
      svg("line", { x1: left, x2: width - right, y1: Y(v), y2: Y(v), class: "grid" }),
      svg("text", { x: left - 6, y: Y(v) + 4, class: "axis", "text-anchor": "end" }, formatNumber(Math.round(v * 10) / 10)))),
    ...years.filter((y) => years.length <= 12 || y % 5 === 0).map((y) => {
      const t = Date.parse(`${y}-01-01T00:00:00+07:00`);
      return t >= x0 && t <= x1 ? svg("text", { x: X(t), y: height - 10, class: "axis", "text-anchor": "middle" }, y) : svg("g", {});
    }),
    expected.length ? svg("path", { d: path(expected), class: "plan" }) : svg("g", {}),
    readingPairs.length > 1 ? svg("path", { d: path(readingPairs), class: "readings" }) : svg("g", {}),
    ...readingPairs.map(([t, v]) => svg("circle", { cx: X(t), cy: Y(v), r: 3.5, class: "reading" },
      svg("title", {}, `${formatDate(new Date(t + 7 * 3600e3).toISOString())}: ${formatValue(v, measure)}`))),
    ...milestonePoints.map(([t, v]) => svg("path", {
      d: `M${X(t)},${Y(v) - 6} L${X(t) + 6},${Y(v)} L${X(t)},${Y(v) + 6} L${X(t) - 6},${Y(v)} Z`, class: "milestone" },
      svg("title", {}, `Mục tiêu ${formatDate(new Date(t + 7 * 3600e3).toISOString())}: ${formatValue(v, measure)}`))));
  return h("figure", {}, figure,
    h("figcaption", { class: "legend" },
      h("span", { class: "key readings" }, "Số liệu thực tế"),
      h("span", { class: "key plan" }, "Lộ trình kế hoạch"),
      h("span", { class: "key milestone" }, "Mốc mục tiêu")));
}
