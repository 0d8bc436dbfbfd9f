// Tổng quan: the targets of the user's units with their status, value, planned value, target
// and forecast, filtered by unit, office and status (GET /api/v1/status).
import { h, fill, select } from "./dom.js";
import { get, query } from "./api.js";
import { STATUS_LABELS, formatDate, formatTarget, formatValue } from "./format.js";

export function statusBadge(status, label) {
  return h("span", { class: `status s-${status}` }, label ?? STATUS_LABELS[status] ?? status);
}

// Worst first: what is behind the plan, then what cannot be judged, then what is on course.
const STATUS_ORDER = ["overdue", "off_track", "at_risk", "stale", "insufficient_data", "no_data", "on_track", "achieved"];

export async function render(main, context) {
  const { params } = context;
  const answer = await get(`/api/v1/status${query({
    unit: params.unit, office: params.office, status: params.status, limit: 1000 })}`);
  const refilter = (name) => (event) =>
    context.go("tong-quan", { ...params, [name]: event.target.value });
  const offices = [...context.offices].filter(([code]) => answer.by_office?.[code] || code === params.office);
  const counts = Object.entries(answer.counts ?? {}).filter(([, n]) => n > 0);
  fill(main,
    h("h1", {}, "Tổng quan"),
    h("form", { class: "filters", "aria-label": "Lọc" },
      select("f-unit", "Đơn vị", [["", "Tất cả"], ...context.units.map((u) => [u.id, u.name])],
        params.unit ?? "", refilter("unit")),
      select("f-office", "Cơ quan phụ trách", [["", "Tất cả"], ...offices], params.office ?? "",
        refilter("office")),
      select("f-status", "Trạng thái", [["", "Tất cả"], ...Object.entries(STATUS_LABELS)],
        params.status ?? "", refilter("status"))),
    h("p", { class: "counts" }, `${answer.total} chỉ tiêu`, counts.length ? ": " : "",
      counts.map(([status, n], i) => [i ? " " : "", statusBadge(status), ` ${n}`])),
    answer.total > answer.rows.length
      ? h("p", { class: "help" }, `Hiển thị ${answer.rows.length} trên ${answer.total} chỉ tiêu; chọn đơn vị hoặc cơ quan để thu hẹp.`)
      : null,
    answer.rows.length === 0
      ? h("p", {}, "Không có chỉ tiêu nào khớp bộ lọc.")
      : h("table", { class: "cards" },
        h("caption", { class: "sr-only" }, "Trạng thái các chỉ tiêu"),
        h("thead", {}, h("tr", {}, ["Đơn vị", "Chỉ tiêu", "Trạng thái", "Giá trị", "Kế hoạch",
          "Mục tiêu", "Dự báo", "Cập nhật"].map((t) => h("th", { scope: "col" }, t)))),
        h("tbody", {}, answer.rows.slice().sort((a, b) =>
          STATUS_ORDER.indexOf(a.status) - STATUS_ORDER.indexOf(b.status)).map((row) => h("tr", {},
          h("td", { "data-label": "Đơn vị" }, row.unit_name),
          h("th", { scope: "row", "data-label": "Chỉ tiêu" },
            h("a", { href: `#/lich-su?unit=${row.unit}&indicator=${row.indicator}` }, row.indicator_name)),
          h("td", { "data-label": "Trạng thái" }, statusBadge(row.status, row.status_label)),
          h("td", { "data-label": "Giá trị", class: "num" }, formatValue(row.value, row.measure)),
          h("td", { "data-label": "Kế hoạch", class: "num" }, formatValue(row.expected, row.measure)),
          h("td", { "data-label": "Mục tiêu" }, formatTarget(row.target, row.measure)),
          h("td", { "data-label": "Dự báo", class: "num" }, formatValue(row.forecast, row.measure)),
          h("td", { "data-label": "Cập nhật" }, formatDate(row.value_at)))))));
}
