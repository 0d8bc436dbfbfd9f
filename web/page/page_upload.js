// Tải tệp: an office's CSV or Excel file is read by the server without storing anything
// (dry run with preview), each row shown with its refusal; then the valid rows are stored
// together. Templates for a unit and a period come as CSV and as .xlsx.
import { h, fill, select } from "./dom.js";
import { query, write } from "./api.js";
import { formatNumber, periodLabel, recentPeriods, refusalText } from "./format.js";

export async function render(main, context) {
  const { params } = context;
  const unit = params.unit ?? context.units[0]?.id;
  const period = params.period ?? recentPeriods("month")[1];
  const periods = ["month", "quarter", "half", "year"].flatMap((k) => recentPeriods(k, new Date(), k === "month" ? 12 : 4));
  const reselect = (name) => (event) => context.go("tai-tep", { unit, period, [name]: event.target.value });
  const template = (format) => `/api/v1/import/template${query({ unit, period, format })}`;
  const fileInput = h("input", { id: "file", type: "file", accept: ".csv,.xlsx,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "aria-describedby": "file-help" });
  const result = h("div", { id: "upload-result" });
  fill(main,
    h("h1", {}, "Tải tệp"),
    h("section", { "aria-labelledby": "tpl-title" },
      h("h2", { id: "tpl-title" }, "Tải mẫu"),
      h("form", { class: "filters" },
        select("t-unit", "Đơn vị", context.units.map((u) => [u.id, u.name]), unit, reselect("unit")),
        select("t-period", "Kỳ báo cáo", periods.map((p) => [p, periodLabel(p)]), period, reselect("period"))),
      h("p", { class: "actions" },
        h("a", { class: "button", href: template("xlsx"), download: "" }, "Tải mẫu Excel (.xlsx)"),
        h("a", { class: "button secondary", href: template("csv"), download: "" }, "Tải mẫu CSV"))),
    h("section", { "aria-labelledby": "up-title" },
      h("h2", { id: "up-title" }, "Gửi tệp số liệu"),
      h("form", { class: "upload", onsubmit: (event) => {
        event.preventDefault();
        if (fileInput.files[0]) preview(fileInput.files[0], result, context);
      } },
        h("label", { for: "file" }, "Tệp CSV hoặc Excel (.xlsx)"),
        fileInput,
        h("p", { id: "file-help", class: "help" },
          "Cột: indicator (mã chỉ tiêu), unit (mã đơn vị), period (kỳ, ví dụ 2026-10), value (giá trị), comment (ghi chú). Tệp được kiểm tra trước, chưa lưu gì."),
        h("button", { type: "submit" }, "Kiểm tra tệp"))),
    result);
}

function endpointFor(file) {
  return /\.xlsx$/i.test(file.name) ? "/api/v1/import/xlsx" : "/api/v1/import/csv";
}

async function preview(file, result, context) {
  fill(result, h("p", { class: "loading" }, "Đang kiểm tra…"));
  const body = await file.arrayBuffer();
  const endpoint = endpointFor(file);
  const answer = await write(`${endpoint}?dry_run=true&preview=true`, { body, contentType: "application/octet-stream" });
  if (!answer.body?.rows) {
    return fill(result, h("p", { class: "error", role: "alert" },
      `Không đọc được tệp: ${answer.body?.error ?? `HTTP ${answer.status}`}`));
  }
  const position = answer.body.rows[0] && ("row" in answer.body.rows[0] ? "row" : "line");
  const reasons = new Map((answer.body.errors ?? []).map((e) => [e[position], e]));
  const valid = answer.body.accepted;
  const refused = answer.body.rejected;
  const store = h("button", { type: "button", disabled: valid === 0, onclick: async () => {
    store.disabled = true;
    const stored = await write(endpoint, { body, contentType: "application/octet-stream" });
    const n = stored.body?.stored ?? 0;
    fill(result, h("p", { class: stored.body?.stored ? "ok" : "error", role: "alert" },
      n ? `Đã lưu ${n} dòng.` : `Không lưu được: ${stored.body?.error ?? `HTTP ${stored.status}`}`,
      n && refused ? ` ${refused} dòng lỗi không được lưu.` : ""));
    context.notify(n ? `Đã lưu ${n} dòng từ tệp ${file.name}.` : null);
  } }, `Lưu ${valid} dòng hợp lệ`);
  fill(result,
    h("h2", {}, `Xem trước: ${file.name}`),
    h("p", { role: "status" }, `${valid} dòng hợp lệ, ${refused} dòng lỗi. Chưa lưu dòng nào.`),
    h("table", { class: "cards preview" },
      h("thead", {}, h("tr", {}, [position === "row" ? "Dòng (Excel)" : "Dòng", "Chỉ tiêu", "Đơn vị", "Kỳ", "Giá trị", "Ghi chú", "Kết quả"]
        .map((t) => h("th", { scope: "col" }, t)))),
      h("tbody", {}, answer.body.rows.map((row) => {
        const refusal = reasons.get(row[position]);
        return h("tr", { class: row.error ? "bad" : "" },
          h("td", { "data-label": "Dòng" }, row[position]),
          h("td", { "data-label": "Chỉ tiêu" }, context.indicators.get(row.indicator)?.name ?? row.indicator,
            h("br"), h("code", {}, row.indicator)),
          h("td", { "data-label": "Đơn vị" }, row.unit),
          h("td", { "data-label": "Kỳ" }, row.period ? periodLabel(row.period) : row.time ?? ""),
          h("td", { "data-label": "Giá trị", class: "num" }, row.value === null ? "" : formatNumber(row.value)),
          h("td", { "data-label": "Ghi chú" }, row.comment ?? ""),
          h("td", { "data-label": "Kết quả" }, row.error
            ? h("span", { class: "field-error" }, refusal ? refusalText(refusal) : row.error)
            : "Hợp lệ"));
      }))),
    h("p", { class: "actions" }, store));
}
