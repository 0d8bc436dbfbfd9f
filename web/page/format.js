// How the page shows numbers, dates and periods: the Vietnamese way (decimal comma, dd/mm/yyyy,
// "quý III/2026").

const numberFormat = new Intl.NumberFormat("vi-VN", { maximumFractionDigits: 2 });

// 72.5 → "72,5"; 1234567 → "1.234.567"; null → "—".
export function formatNumber(value) {
  return value === null || value === undefined || Number.isNaN(value) ? "—" : numberFormat.format(value);
}

// A value with its measure's unit: "72,5 %".
export function formatValue(value, measure) {
  const text = formatNumber(value);
  return measure === "percent" && text !== "—" ? `${text} %` : text;
}

// What a person types: "72,5", "72.5", " 1.234,5 "? Both a comma and a point are accepted as the
// decimal mark; with both, the last one is (so "1.234,5" is 1234.5). Returns a number, or null
// for an empty field, or NaN for text that is not a number.
export function parseNumber(text) {
  let t = String(text ?? "").trim().replace(/\s/g, "");
  if (t === "") return null;
  const comma = t.lastIndexOf(","), point = t.lastIndexOf(".");
  if (comma >= 0 && point >= 0) {
    t = comma > point ? t.replace(/\./g, "").replace(",", ".") : t.replace(/,/g, "");
  } else if (comma >= 0) {
    t = t.replace(",", ".");
  }
  return /^[-+]?(\d+\.?\d*|\.\d+)$/.test(t) ? Number(t) : NaN;
}

// Instants are shown in Vietnam's time, whatever offset the API wrote them with.
const ZONE = "Asia/Ho_Chi_Minh";
const dateParts = new Intl.DateTimeFormat("en-GB", { timeZone: ZONE, year: "numeric", month: "2-digit",
  day: "2-digit", hour: "2-digit", minute: "2-digit", hourCycle: "h23" });

function partsOf(text) {
  const parts = Object.fromEntries(dateParts.formatToParts(new Date(text)).map((p) => [p.type, p.value]));
  return parts.year ? parts : null;
}

// "2026-10-31" → "31/10/2026"; an instant ("2026-10-31T16:59:59.999Z") → its date in Vietnam.
export function formatDate(text) {
  if (!text) return "—";
  const plain = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (plain) return `${plain[3]}/${plain[2]}/${plain[1]}`;
  const p = partsOf(text);
  return p ? `${p.day}/${p.month}/${p.year}` : text;
}

// "2026-11-30T07:08:18.605Z" → "30/11/2026 14:08" (Vietnam time).
export function formatDateTime(text) {
  if (!text) return "—";
  const p = partsOf(text);
  return p ? `${p.day}/${p.month}/${p.year} ${p.hour}:${p.minute}` : text;
}

const ROMAN = ["I", "II", "III", "IV"];

// The period codes of the API read the Vietnamese way: "2026-10" → "tháng 10/2026",
// "2026-Q3" → "quý III/2026", "2026-H1" → "6 tháng đầu năm 2026", "2026" → "năm 2026".
export function periodLabel(code) {
  let m;
  if ((m = /^(\d{4})-(\d{2})$/.exec(code))) return `tháng ${Number(m[2])}/${m[1]}`;
  if ((m = /^(\d{4})-Q([1-4])$/.exec(code))) return `quý ${ROMAN[m[2] - 1]}/${m[1]}`;
  if ((m = /^(\d{4})-H([12])$/.exec(code))) return `6 tháng ${m[2] === "1" ? "đầu" : "cuối"} năm ${m[1]}`;
  if ((m = /^(\d{4})-9M$/.exec(code))) return `9 tháng năm ${m[1]}`;
  if ((m = /^(\d{4})$/.exec(code))) return `năm ${m[1]}`;
  return code;
}

export const PERIOD_KIND_LABELS = { month: "Tháng", quarter: "Quý", half: "6 tháng", year: "Năm" };

// The periods of `kind` that have begun, latest first: how many to offer.
export function recentPeriods(kind, today = new Date(), count = 12) {
  const year = today.getFullYear(), month = today.getMonth() + 1;
  const out = [];
  for (let i = 0; out.length < count && i < 200; i++) {
    if (kind === "month") {
      const total = year * 12 + (month - 1) - i;
      out.push(`${Math.floor(total / 12)}-${String((total % 12) + 1).padStart(2, "0")}`);
    } else if (kind === "quarter") {
      const total = year * 4 + Math.floor((month - 1) / 3) - i;
      out.push(`${Math.floor(total / 4)}-Q${(total % 4) + 1}`);
    } else if (kind === "half") {
      const total = year * 2 + (month > 6 ? 1 : 0) - i;
      out.push(`${Math.floor(total / 2)}-H${(total % 2) + 1}`);
    } else {
      out.push(String(year - i));
    }
  }
  return out;
}

export const STATUS_LABELS = {
  achieved: "Đã đạt",
  on_track: "Đúng tiến độ",
  at_risk: "Có nguy cơ chậm",
  off_track: "Chậm tiến độ",
  overdue: "Quá hạn chưa đạt",
  stale: "Số liệu chưa cập nhật",
  no_data: "Chưa có số liệu",
  insufficient_data: "Chưa đủ số liệu để đánh giá",
};

export const TASK_STATE_LABELS = {
  not_started: "Chưa bắt đầu",
  in_progress: "Đang thực hiện",
  done: "Hoàn thành",
};

// ">=" → "≥"
export function opSymbol(op) {
  return { ">=": "≥", "<=": "≤", ">": ">", "<": "<", "=": "=" }[op] ?? op;
}

// A target as a sentence fragment: "≥ 85 % đến 31/12/2030".
export function formatTarget(target, measure) {
  if (!target) return "—";
  return `${opSymbol(target.op)} ${formatValue(target.value, measure)} đến ${formatDate(target.date)}`;
}

// Why the server refused a reading (its `reason` code), for the person who typed it.
export const REFUSAL_LABELS = {
  syntax: "Không đọc được dòng này",
  unknown_indicator: "Mã chỉ tiêu không có trong danh mục",
  derived_indicator: "Chỉ tiêu do hệ thống tự tính, không nhập trực tiếp",
  unknown_unit: "Mã đơn vị không có trong danh mục",
  bad_value: "Giá trị không phải là số",
  out_of_domain: "Giá trị nằm ngoài phạm vi cho phép của chỉ tiêu (tỷ lệ % từ 0 đến 100, số lượng không âm)",
  bad_time: "Kỳ báo cáo hoặc thời điểm không hợp lệ",
  future: "Kỳ báo cáo chưa bắt đầu",
  bad_label: "Nhãn không hợp lệ",
  forbidden: "Ngoài phạm vi được phép của mã truy cập",
};

// A refusal as the page shows it: the Vietnamese reason, then the server's own detail.
export function refusalText(error) {
  const reason = REFUSAL_LABELS[error.reason];
  return reason ? `${reason}. Chi tiết: ${error.message}` : error.message;
}
