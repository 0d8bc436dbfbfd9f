// Cảnh báo: the alerts of the user's units and offices (GET /api/v1/alerts), firing first, with
// their Vietnamese summary and description.
import { h, fill, select } from "./dom.js";
import { get, query } from "./api.js";
import { formatDateTime } from "./format.js";

const STATE_LABELS = { firing: "Đang cảnh báo", pending: "Đang theo dõi", resolved: "Đã hết" };
const STATE_ORDER = { firing: 0, pending: 1, resolved: 2 };

export async function render(main, context) {
  const { params } = context;
  const answer = await get(`/api/v1/alerts${query({ unit: params.unit, office: params.office, limit: 1000 })}`);
  const alerts = answer.alerts.slice().sort((a, b) =>
    (STATE_ORDER[a.state] ?? 3) - (STATE_ORDER[b.state] ?? 3) || (b.activeAt ?? "").localeCompare(a.activeAt ?? ""));
  const refilter = (name) => (event) => context.go("canh-bao", { ...params, [name]: event.target.value });
  const firing = alerts.filter((a) => a.state === "firing").length;
  fill(main,
    h("h1", {}, "Cảnh báo"),
    h("form", { class: "filters", "aria-label": "Lọc" },
      select("a-unit", "Đơn vị", [["", "Tất cả"], ...context.units.map((u) => [u.id, u.name])], params.unit ?? "", refilter("unit")),
      select("a-office", "Cơ quan nhận", [["", "Tất cả"], ...context.offices], params.office ?? "", refilter("office"))),
    h("p", { class: "counts" }, `${answer.total} cảnh báo, `, h("b", {}, `${firing} đang cảnh báo`), "."),
    alerts.length === 0 ? h("p", {}, "Không có cảnh báo nào.") :
      h("ul", { class: "alerts" }, alerts.map((alert) => h("li", { class: `alert a-${alert.state} sev-${alert.labels.severity ?? ""}` },
        h("h2", {}, alert.annotations.summary ?? alert.labels.alertname),
        h("p", { class: "meta" },
          h("span", { class: `astate a-${alert.state}` }, STATE_LABELS[alert.state] ?? alert.state),
          alert.labels.severity === "critical" ? " · Nghiêm trọng" : "",
          ` · từ ${formatDateTime(alert.firedAt ?? alert.activeAt)}`,
          alert.labels.office ? ` · ${context.offices.get(alert.labels.office) ?? alert.labels.office}` : "",
          alert.labels.unit ? ` · ${context.units.find((u) => u.id === alert.labels.unit)?.name ?? alert.labels.unit}` : ""),
        alert.annotations.description ? h("p", {}, alert.annotations.description) : null))));
}
