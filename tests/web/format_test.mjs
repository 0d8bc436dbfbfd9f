// The page's formatting of numbers, dates and periods (web/page/format.js), run by Node.js.
import assert from "node:assert/strict";
import { test } from "node:test";
import { formatDate, formatDateTime, formatNumber, formatValue, parseNumber, periodLabel, recentPeriods }
  from "../../web/page/format.js";

test("numbers are written with a decimal comma and read with either mark", () => {
  assert.equal(formatNumber(72.5), "72,5");
  assert.equal(formatNumber(1234567.891), "1.234.567,89");
  assert.equal(formatNumber(null), "—");
  assert.equal(formatValue(85, "percent"), "85 %");
  assert.equal(parseNumber("72,5"), 72.5);
  assert.equal(parseNumber(" 72.5 "), 72.5);
  assert.equal(parseNumber("1.234,5"), 1234.5);
  assert.equal(parseNumber("1,234.5"), 1234.5);
  assert.equal(parseNumber("-3"), -3);
  assert.equal(parseNumber(""), null);
  assert.ok(Number.isNaN(parseNumber("abc")));
  assert.ok(Number.isNaN(parseNumber("7,2,5")));
});

test("dates are dd/mm/yyyy in Vietnam's time", () => {
  assert.equal(formatDate("2026-10-31"), "31/10/2026");
  assert.equal(formatDate("2026-09-30T16:59:59.999Z"), "30/09/2026");
  assert.equal(formatDate("2026-09-30T17:00:00Z"), "01/10/2026");
  assert.equal(formatDateTime("2026-11-30T07:08:18.605Z"), "30/11/2026 14:08");
  assert.equal(formatDateTime("2026-11-30T14:08:18.605+07:00"), "30/11/2026 14:08");
  assert.equal(formatDate(null), "—");
});

test("periods read the Vietnamese way", () => {
  assert.equal(periodLabel("2026-10"), "tháng 10/2026");
  assert.equal(periodLabel("2026-Q3"), "quý III/2026");
  assert.equal(periodLabel("2026-H1"), "6 tháng đầu năm 2026");
  assert.equal(periodLabel("2026-H2"), "6 tháng cuối năm 2026");
  assert.equal(periodLabel("2026-9M"), "9 tháng năm 2026");
  assert.equal(periodLabel("2026"), "năm 2026");
});

test("the periods offered are the latest that have begun", () => {
  const today = new Date(2026, 0, 15);
  assert.deepEqual(recentPeriods("month", today, 3), ["2026-01", "2025-12", "2025-11"]);
  assert.deepEqual(recentPeriods("quarter", today, 2), ["2026-Q1", "2025-Q4"]);
  assert.deepEqual(recentPeriods("half", today, 3), ["2026-H1", "2025-H2", "2025-H1"]);
  assert.deepEqual(recentPeriods("year", today, 2), ["2026", "2025"]);
});
