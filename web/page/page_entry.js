// Nhập số liệu: a unit and a period; the indicators due then (GET /api/v1/entry) with the last
// value, the planned value and the target beside each field. The server checks the figures
// first (dry run) and each refusal is shown beside its field; only a set without refusals is
// stored, in one request. A value that replaces a stored one shows old → new and needs a reason,
// which the audit trail keeps as the reading's comment.
import { h, fill, select } from "./dom.js";
import { get, query, write } from "./api.js";
import { PERIOD_KIND_LABELS, formatDate, formatNumber, formatTarget, formatValue, parseNumber, periodLabel,
  recentPeriods, refusalText } from "./format.js";

export async function render(main, context) {
  const { params } = context;
  const unit = params.unit ?? context.units[0]?.id;
  if (!unit) return fill(main, h("h1", {}, "Nhập số liệu"), h("p", {}, "Mã truy cập không gắn với đơn vị nào có kế hoạch."));
  const kinds = (await get(`/api/v1/entry${query({ unit })}`)).due_kinds;
  const kind = kinds.includes(params.kind) ? params.kind : kinds[0];
  const periods = kind ? recentPeriods(kind) : [];
  const period = periods.includes(params.period) ? params.period : periods[kind === "month" ? 1 : 0];
  const reselect = (name) => (event) => context.go("nhap-so-lieu", { ...params, unit, kind, period, [name]: event.target.value });
  const chooser = h("form", { class: "filters", "aria-label": "Chọn đơn vị và kỳ báo cáo" },
    select("e-unit", "Đơn vị", context.units.map((u) => [u.id, u.name]), unit, reselect("unit")),
    select("e-kind", "Loại kỳ", kinds.map((k) => [k, PERIOD_KIND_LABELS[k] ?? k]), kind, reselect("kind")),
    select("e-period", "Kỳ báo cáo", periods.map((p) => [p, periodLabel(p)]), period, reselect("period")));
  if (!period) return fill(main, h("h1", {}, "Nhập số liệu"), chooser, h("p", {}, "Đơn vị chưa có chỉ tiêu nào cần báo cáo."));
  const form = await get(`/api/v1/entry${query({ unit, period })}`);
  fill(main, h("h1", {}, "Nhập số liệu"), chooser, entryForm(form, context));
}

function entryForm(form, context) {
  const fields = form.rows.map((row) => fieldFor(row));
  const summary = h("div", { id: "entry-summary", role: "alert", class: "error", hidden: true });
  const submit = h("button", { type: "submit" }, "Lưu số liệu");
  const element = h("form", { class: "entry", novalidate: true, onsubmit: async (event) => {
    event.preventDefault();
    submit.disabled = true;
    try {
      await store(form, fields, summary, context);
    } finally {
      submit.disabled = false;
    }
  } },
    h("h2", {}, `${form.unit_name}: ${periodLabel(form.period)}`),
    form.rows.length === 0 ? h("p", {}, "Không có chỉ tiêu nào cần báo cáo trong kỳ này.") : null,
    fields.map((f) => f.element),
    summary,
    form.rows.length ? submit : null);
  return element;
}

function fieldFor(row) {
  const id = `v-${row.indicator}`;
  const stored = row.stored;
  const input = h("input", { id, name: row.indicator, inputmode: "decimal", autocomplete: "off",
    value: stored ? formatNumber(stored.value) : "", "aria-describedby": `${id}-info ${id}-error` });
  const error = h("p", { id: `${id}-error`, class: "field-error", hidden: true });
  const change = h("p", { class: "change", hidden: true });
  const reasonInput = h("input", { id: `${id}-reason`, name: `${row.indicator}-reason`, autocomplete: "off" });
  const reason = h("div", { class: "reason", hidden: true },
    h("label", { for: `${id}-reason` }, "Lý do điều chỉnh ", h("span", { class: "sr-only" }, `${row.name} `),
      "(bắt buộc)"), reasonInput);
  const showChange = () => {
    const value = parseNumber(input.value);
    const changed = stored && value !== null && !Number.isNaN(value) && value !== stored.value;
    change.hidden = reason.hidden = !changed;
    if (changed) fill(change, "Đã lưu ", h("b", {}, formatNumber(stored.value)), " → mới ", h("b", {}, formatNumber(value)));
  };
  input.addEventListener("input", showChange);
  const element = h("div", { class: "entry-field" },
    h("label", { for: id }, row.name, row.measure === "percent" ? " (%)" : ""),
    h("dl", { id: `${id}-info`, class: "info" },
      h("dt", {}, "Lần báo cáo trước"), h("dd", {}, row.last
        ? `${formatValue(row.last.value, row.measure)} (${formatDate(row.last.time)})` : "—"),
      h("dt", {}, "Kế hoạch kỳ này"), h("dd", {}, formatValue(row.expected, row.measure)),
      h("dt", {}, "Mục tiêu"), h("dd", {}, formatTarget(row.target, row.measure))),
    input, change, reason, error);
  return { row, input, reasonInput, error, element, showError(message) {
    error.textContent = message ?? "";
    error.hidden = !message;
    input.setAttribute("aria-invalid", message ? "true" : "false");
  } };
}

// Checks every field here (a number, a reason for a change), then on the server (dry run); stores
// only when nothing is refused.
async function store(form, fields, summary, context) {
  summary.hidden = true;
  const readings = [];
  const sent = [];
  let firstBad = null;
  for (const field of fields) {
    field.showError(null);
    const value = parseNumber(field.input.value);
    if (value === null) continue;
    let problem = null;
    if (Number.isNaN(value)) problem = "Không phải là số. Nhập số, dùng dấu phẩy cho phần thập phân (ví dụ 72,5).";
    const stored = field.row.stored;
    const changed = stored && value !== stored.value;
    if (!problem && changed && !field.reasonInput.value.trim()) problem = "Giá trị này đã được lưu; nhập lý do điều chỉnh.";
    if (problem) {
      field.showError(problem);
      firstBad ??= field;
      continue;
    }
    if (stored && !changed) continue;
    const reading = { indicator: field.row.indicator, unit: form.unit, period: form.period, value };
    if (changed) reading.comment = field.reasonInput.value.trim();
    readings.push(reading);
    sent.push(field);
  }
  if (firstBad) return firstBad.input.focus();
  if (readings.length === 0) return context.notify("Không có số liệu mới để lưu.");
  const check = await write("/api/v1/readings?dry_run=true", { json: { readings } });
  if (!check.ok) return showRefusals(check, sent, summary);
  const stored = await write("/api/v1/readings", { json: { readings } });
  if (!stored.ok) return showRefusals(stored, sent, summary);
  context.go("nhap-so-lieu", { unit: form.unit, kind: context.params.kind ?? "", period: form.period, saved: Date.now() },
    `Đã lưu ${stored.body.stored} số liệu của ${periodLabel(form.period)}. Trạng thái được cập nhật sau vài giây.`);
}

function showRefusals(answer, sent, summary) {
  const errors = answer.body?.errors ?? [];
  if (errors.length === 0) {
    summary.textContent = `Máy chủ từ chối (${answer.status}): ${answer.body?.error ?? ""}`;
    summary.hidden = false;
    return;
  }
  for (const e of errors) sent[e.index]?.showError(refusalText(e));
  summary.textContent = `${errors.length} ô chưa hợp lệ; chưa lưu số liệu nào. Sửa các ô được đánh dấu rồi lưu lại.`;
  summary.hidden = false;
  sent[errors[0].index]?.input.focus();
}
