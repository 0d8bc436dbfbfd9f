// The web page in a real browser: Debian's chromium, headless, driven by playwright-core, against
// a real chiso on a free port with the shipped plans and three tokens:
//
//   node web_test.mjs SOURCE_DIR CHISO_BINARY SCREENSHOT_DIR
//
//   writer  role write, units [gia_loc]  (an office of Gia Lộc)
//   viewer  role read, no scope           (the steering committee)
//   admin   CHISO_ADMIN_TOKEN             (the test's own checks through the API)
//
// Each step drives the page as an officer would and checks the outcome both on the page and
// through the API. Screenshots of every page, at a desk's and a phone's width, go to
// SCREENSHOT_DIR, which is kept.
import { spawnSync } from "node:child_process";
import { mkdirSync, readFileSync, readdirSync, symlinkSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { chromium } from "playwright-core";
import { Children, chisoPort, sleep } from "../support/children.mjs";

const [sourceDir, chisoBinary, shotsDir] = process.argv.slice(2).map((p) => p && resolve(p));
if (!shotsDir) {
  console.error("usage: node web_test.mjs SOURCE_DIR CHISO_BINARY SCREENSHOT_DIR");
  process.exit(2);
}
const CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
  "--disable-background-networking", "--disable-component-update", "--disable-sync"];
const TOKENS = {
  admin: "web-test-admin-secret",
  writer: "web-test-writer-gia-loc",
  viewer: "web-test-viewer-secret",
};
const OTHER_UNITS = ["kim_thanh", "nghia_dan", "tay_giang", "rang_dong"];
const DESKTOP = { width: 1280, height: 900 };
const PHONE = { width: 390, height: 844 };

const children = new Children("chiso_web.");
const fail = (message) => children.fail(message);
let base;
let browser;

function check(condition, message) {
  if (!condition) fail(message);
}

async function api(method, path, body) {
  const response = await fetch(`${base}${path}`, {
    method,
    headers: { Authorization: `Bearer ${TOKENS.admin}`, "Content-Type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : null };
}

// The stored value of (unit, indicator) at the end of `period` (read through the admin token).
async function storedValue(unit, indicator, period) {
  const entry = await api("GET", `/api/v1/entry?unit=${unit}&period=${period}`);
  return entry.body.rows.find((r) => r.indicator === indicator)?.stored?.value ?? null;
}

function sha256(text) {
  return spawnSync("sha256sum", { input: text, encoding: "utf8" }).stdout.split(" ")[0];
}

async function startChiso() {
  const config = join(children.tmp, "config");
  mkdirSync(config);
  for (const entry of readdirSync(join(sourceDir, "deploy"))) {
    if (entry !== "chiso.yaml") symlinkSync(join(sourceDir, "deploy", entry), join(config, entry));
  }
  const shipped = readFileSync(join(sourceDir, "deploy", "chiso.yaml"), "utf8");
  check(/^tokens: \[\]$/m.test(shipped), "deploy/chiso.yaml no longer has the line 'tokens: []'");
  writeFileSync(join(config, "chiso.yaml"), shipped.replace(/^tokens: \[\]$/m, [
    "tokens:",
    `  - {name: van_phong_gia_loc, sha256: ${sha256(TOKENS.writer)}, role: write, units: [gia_loc]}`,
    `  - {name: ban_chi_dao_xem, sha256: ${sha256(TOKENS.viewer)}, role: read}`,
  ].join("\n")));
  const chiso = children.start("chiso", chisoBinary,
    ["serve", "--config", join(config, "chiso.yaml"), "--listen", "127.0.0.1:0", "--data-dir", join(children.tmp, "data")],
    { CHISO_ADMIN_TOKEN: TOKENS.admin });
  base = `http://127.0.0.1:${await chisoPort(children, chiso)}`;
  await children.waitFor("it is ready", chiso, async () => (await fetch(`${base}/readyz`)).ok);
}

// A browser context at `viewport`, recording every API answer the page receives.
async function newPage(viewport) {
  const context = await browser.newContext({ viewport, locale: "vi-VN", timezoneId: "Asia/Ho_Chi_Minh" });
  const page = await context.newPage();
  page.answers = [];
  page.on("response", async (response) => {
    if (!response.url().includes("/api/v1/")) return;
    page.answers.push({ url: response.url(), status: response.status(), body: await response.text().catch(() => "") });
  });
  page.on("pageerror", (error) => scriptErrors.push(`${error.message}\n${error.stack}`));
  return page;
}

async function signIn(page, token) {
  await page.goto(`${base}/`);
  await page.getByLabel("Mã truy cập (API token)").fill(token);
  await page.getByRole("button", { name: "Đăng nhập" }).click();
  await page.getByRole("button", { name: "Đăng xuất" }).waitFor();
}

// Loads the page afresh at `hash` and waits until it is drawn (main is no longer aria-busy).
async function open(page, hash) {
  await page.goto("about:blank");
  await page.goto(`${base}/#/${hash}`);
  await drawn(page);
}

async function drawn(page) {
  await page.locator('main[aria-busy="false"]').waitFor();
}

async function screenshot(page, name) {
  await page.screenshot({ path: join(shotsDir, `${name}.png`), fullPage: true });
}

// Script errors of every page, checked after each step.
const scriptErrors = [];

// Form controls a screen reader could not name: no <label>, no aria-label.
function unlabelled(page) {
  return page.evaluate(() => [...document.querySelectorAll("input, select, textarea")]
    .filter((el) => el.type !== "hidden" && el.labels.length === 0 && !el.getAttribute("aria-label"))
    .map((el) => el.id || el.name || el.outerHTML.slice(0, 60)));
}

async function step(name, body) {
  const started = Date.now();
  await body();
  check(scriptErrors.length === 0, `script errors in the page: ${scriptErrors.join("; ")}`);
  console.log(`ok: ${name} (${((Date.now() - started) / 1000).toFixed(1)} s)`);
}

// The status label of (unit, indicator) on Tổng quan.
async function overviewStatus(page, indicatorName) {
  await open(page, "tong-quan?unit=gia_loc");
  const row = page.locator("tbody tr", { has: page.getByRole("rowheader", { name: indicatorName }) });
  return (await row.locator(".status").textContent()).trim();
}

async function run() {
  mkdirSync(shotsDir, { recursive: true });
  await startChiso();
  browser = await chromium.launch({ executablePath: "/usr/bin/chromium", args: CHROMIUM_FLAGS });
  const vneid = "vneid_account_pct";
  const records = "digital_signature_pct";
  const indicators = (await api("GET", "/api/v1/catalog")).body.indicators;
  const vneidName = indicators.find((i) => i.code === vneid).name;
  const recordsName = indicators.find((i) => i.code === records).name;

  const page = await newPage(DESKTOP);
  await step("a wrong token is refused with a message in Vietnamese", async () => {
    await page.goto(`${base}/`);
    await screenshot(page, "dang_nhap.desktop");
    await page.getByLabel("Mã truy cập (API token)").fill("not-a-token");
    await page.getByRole("button", { name: "Đăng nhập" }).click();
    await page.getByText("Mã truy cập không đúng").waitFor();
  });

  await step("the writer signs in; the session cookie is HttpOnly, SameSite=Strict and expires", async () => {
    await signIn(page, TOKENS.writer);
    const cookie = (await page.context().cookies()).find((c) => c.name === "chiso_session");
    check(cookie && cookie.httpOnly && cookie.sameSite === "Strict" && cookie.expires > Date.now() / 1000,
      `session cookie: ${JSON.stringify(cookie)}`);
    check(!(await page.evaluate(() => document.cookie)).includes("chiso_session"), "a script can read the session cookie");
  });

  await step("a month's figures: one out of range is shown at its field and nothing is stored; fixed, all are stored and the status follows", async () => {
    // One reading of September and no stated baseline: no pace yet.
    const seeded = await api("POST", "/api/v1/readings", { readings: [{ indicator: records, unit: "gia_loc", value: 5, period: "2026-09" }] });
    check(seeded.status === 200, `seeding 2026-09: ${JSON.stringify(seeded)}`);
    const before = await children.waitFor("the seeded reading is evaluated", { exitCode: null, name: "chiso" }, async () => {
      const status = await overviewStatus(page, recordsName);
      return status === "Chưa đủ số liệu để đánh giá" && status;
    }, 15_000);
    await open(page, "nhap-so-lieu?unit=gia_loc&kind=month&period=2026-10");
    await page.locator(`#v-${vneid}`).fill("152");
    await page.locator(`#v-${records}`).fill("6,5");
    await page.getByRole("button", { name: "Lưu số liệu" }).click();
    const error = page.locator(`#v-${vneid}-error`);
    await error.waitFor();
    check((await error.textContent()).includes("phạm vi cho phép"), `field error: ${await error.textContent()}`);
    check(await page.locator(`#v-${records}-error`).isHidden(), "the valid field shows an error");
    await screenshot(page, "nhap_so_lieu_loi.desktop");
    check(await storedValue("gia_loc", vneid, "2026-10") === null, "a value was stored although one field was refused");
    check(await storedValue("gia_loc", records, "2026-10") === null, "the valid field was stored alone");
    await page.locator(`#v-${vneid}`).fill("62");
    await page.getByRole("button", { name: "Lưu số liệu" }).click();
    await page.getByText("Đã lưu 2 số liệu của tháng 10/2026").waitFor();
    check(await storedValue("gia_loc", vneid, "2026-10") === 62, "62 was not stored");
    check(await storedValue("gia_loc", records, "2026-10") === 6.5, "6,5 was not stored as 6.5");
    const startedAt = Date.now();
    const after = await children.waitFor("the status changes", { exitCode: null, name: "chiso" }, async () => {
      const status = await overviewStatus(page, recordsName);
      return status !== before && status;
    }, 10_000);
    console.log(`  status of ${records}: ${before} → ${after} within ${((Date.now() - startedAt) / 1000).toFixed(1)} s`);
  });

  await step("a stored value corrected with a reason shows old → new, and Lịch sử shows the change", async () => {
    await open(page, "nhap-so-lieu?unit=gia_loc&kind=month&period=2026-10");
    await page.locator(`#v-${vneid}`).fill("64");
    await page.getByText("62 → mới 64").waitFor();
    await page.getByRole("button", { name: "Lưu số liệu" }).click();
    await page.getByText("nhập lý do điều chỉnh").waitFor();
    check(await storedValue("gia_loc", vneid, "2026-10") === 62, "a change without a reason was stored");
    await page.locator(`#v-${vneid}-reason`).fill("Công an xã rà soát lại danh sách");
    await screenshot(page, "nhap_so_lieu_dieu_chinh.desktop");
    await page.getByRole("button", { name: "Lưu số liệu" }).click();
    await page.getByText("Đã lưu 1 số liệu").waitFor();
    await open(page, `lich-su?unit=gia_loc&indicator=${vneid}`);
    const change = page.locator("table.audit tbody tr").first();
    const text = await change.textContent();
    check(text.includes("62 → 64") && text.includes("Công an xã rà soát lại danh sách") && text.includes("van_phong_gia_loc"),
      `audit row: ${text}`);
    check(await page.locator("svg.chart circle.reading").count() === 1, "the chart does not draw the reading");
    check(await page.locator("svg.chart path.plan").count() === 1, "the chart has no planned path");
  });

  await step("an .xlsx from LibreOffice with one bad row: the preview names sheet, row and column; the rest is stored", async () => {
    const dir = join(children.tmp, "xlsx");
    mkdirSync(dir);
    writeFileSync(join(dir, "So_lieu.csv"), [
      "indicator,unit,period,value,comment",
      `${vneid},gia_loc,2026-08,50,Tháng 8`,
      "tthc_records_digitized_pct,gia_loc,2026-08,130,Nhập nhầm",
      `${vneid},gia_loc,2026-07,48,`].join("\n") + "\n");
    const convert = spawnSync("soffice", [`-env:UserInstallation=file://${dir}/profile`, "--headless",
      "--infilter=CSV:44,34,76,1", "--convert-to", "xlsx", "--outdir", dir, join(dir, "So_lieu.csv")], { encoding: "utf8" });
    check(convert.status === 0, `soffice: ${convert.stderr}`);
    await open(page, "tai-tep?unit=gia_loc&period=2026-08");
    await page.getByLabel("Tệp CSV hoặc Excel (.xlsx)").setInputFiles(join(dir, "So_lieu.xlsx"));
    await page.getByRole("button", { name: "Kiểm tra tệp" }).click();
    await page.getByText("2 dòng hợp lệ, 1 dòng lỗi").waitFor();
    const bad = await page.locator("table.preview tr.bad").textContent();
    check(bad.includes("sheet 'So_lieu', row 3, column D"), `the bad row's error: ${bad}`);
    check(await storedValue("gia_loc", vneid, "2026-08") === null, "the preview stored something");
    await screenshot(page, "tai_tep_xem_truoc.desktop");
    await page.getByRole("button", { name: "Lưu 2 dòng hợp lệ" }).click();
    await page.getByText("Đã lưu 2 dòng.").waitFor();
    check(await storedValue("gia_loc", vneid, "2026-08") === 50, "row 2 was not stored");
    check(await storedValue("gia_loc", vneid, "2026-07") === 48, "row 4 was not stored");
  });

  await step("the templates open in LibreOffice with codes, Vietnamese names and an empty value column", async () => {
    const dir = join(children.tmp, "template");
    mkdirSync(dir);
    for (const format of ["xlsx", "csv"]) {
      const answer = await page.request.get(`${base}/api/v1/import/template?unit=gia_loc&period=2026-10&format=${format}`);
      check(answer.ok(), `template ${format}: ${answer.status()}`);
      writeFileSync(join(dir, `mau.${format}`), await answer.body());
    }
    const convert = spawnSync("soffice", [`-env:UserInstallation=file://${dir}/profile`, "--headless",
      "--convert-to", "csv:Text - txt - csv (StarCalc):44,34,76", "--outdir", join(dir, "out"), join(dir, "mau.xlsx")], { encoding: "utf8" });
    check(convert.status === 0, `soffice: ${convert.stderr}`);
    const fromExcel = readFileSync(join(dir, "out", "mau.csv"), "utf8").trim().split("\n");
    const fromCsv = readFileSync(join(dir, "mau.csv"), "utf8").replace(/^\uFEFF/, "").trim().split("\r\n");
    check(fromExcel[0] === "indicator,indicator_name,unit,period,value,comment", `xlsx header: ${fromExcel[0]}`);
    check(fromExcel.some((line) => line.startsWith(`${vneid},${vneidName},gia_loc,2026-10,,`)), `xlsx rows: ${fromExcel.slice(0, 3)}`);
    check(fromExcel.length === fromCsv.length, `xlsx has ${fromExcel.length} lines, csv ${fromCsv.length}`);
  });

  await step("task progress: the overdue task recorded done leaves the overdue list", async () => {
    const overdue = async () => (await api("GET", "/api/v1/tasks?unit=gia_loc&overdue=true&limit=1000")).body.tasks.map((t) => t.task);
    const before = await overdue();
    check(before.length > 0, "Gia Lộc has no overdue task to record");
    await open(page, "nhiem-vu?unit=gia_loc");
    const first = page.locator("li.task").first();
    check(await first.evaluate((li) => li.classList.contains("overdue")), "the first task listed is not overdue");
    const title = (await first.locator("h2").textContent()).trim();
    await screenshot(page, "nhiem_vu.desktop");
    await first.getByLabel("Tình trạng").selectOption("done");
    await first.getByLabel("Ghi chú").fill("Đã triển khai xong, có biên bản nghiệm thu");
    await first.getByRole("button", { name: "Ghi tiến độ" }).click();
    await page.getByText(`Đã ghi tiến độ nhiệm vụ "${title}"`).waitFor();
    const after = await overdue();
    check(after.length === before.length - 1, `overdue tasks ${before.length} → ${after.length}`);
    await drawn(page);
    const item = page.locator("li.task", { has: page.getByRole("heading", { name: title, exact: true }) });
    check(!(await item.evaluate((li) => li.classList.contains("overdue"))), "the task is still shown overdue");
  });

  await step("screenshots of every page at a desk's and a phone's width", async () => {
    const phone = await newPage(PHONE);
    await signIn(phone, TOKENS.writer);
    for (const [name, hash] of [["tong_quan", "tong-quan?unit=gia_loc"], ["nhap_so_lieu", "nhap-so-lieu?unit=gia_loc&kind=month&period=2026-10"],
      ["tai_tep", "tai-tep?unit=gia_loc"], ["nhiem_vu", "nhiem-vu?unit=gia_loc"], ["canh_bao", "canh-bao"],
      ["lich_su", `lich-su?unit=gia_loc&indicator=${vneid}`]]) {
      for (const [target, width] of [[page, "desktop"], [phone, "phone"]]) {
        await open(target, hash);
        await screenshot(target, `${name}.${width}`);
        const overflow = await target.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
        check(overflow <= 0, `${name} at ${width} width scrolls sideways by ${overflow} px`);
        const unnamed = await unlabelled(target);
        check(unnamed.length === 0, `${name}: form controls without a label: ${unnamed.join(", ")}`);
      }
    }
    await phone.context().close();
  });

  await step("the scoped writer never sees another commune's data, on the page or in what it calls", async () => {
    for (const hash of ["tong-quan", "nhiem-vu", "canh-bao", "lich-su"]) await open(page, hash);
    const text = await page.locator("body").textContent();
    check(!/Kim Thành|Nghĩa Đàn|Tây Giang|Rạng Đông/.test(text), "the page names another commune");
    for (const answer of page.answers) {
      if (answer.url.includes("/api/v1/catalog")) continue;  // lists every unit's name, no data
      const other = OTHER_UNITS.find((u) => answer.body.includes(`"${u}"`));
      check(!other, `${answer.url} answered data of ${other}`);
    }
    const refused = await page.evaluate(async () => (await fetch("/api/v1/status?unit=kim_thanh")).status);
    check(refused === 403, `status of kim_thanh through the session: ${refused}`);
    const csrf = await page.evaluate(async () => (await (await fetch("/api/v1/session")).json()).csrf_token);
    const outside = await page.evaluate(async (token) => (await fetch("/api/v1/readings", { method: "POST",
      headers: { "Content-Type": "application/json", "X-CSRF-Token": token },
      body: JSON.stringify({ readings: [{ indicator: "vneid_account_pct", unit: "kim_thanh", value: 50, period: "2026-10" }] }) })).status, csrf);
    check(outside === 403, `a write for kim_thanh through the session: ${outside}`);
  });

  await step("a write through the session without the CSRF token is refused; sign-out ends the session", async () => {
    const status = await page.evaluate(async () => (await fetch("/api/v1/readings", { method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ readings: [{ indicator: "vneid_account_pct", unit: "gia_loc", value: 70, period: "2026-10" }] }) })).status);
    check(status === 403, `write without X-CSRF-Token: ${status}`);
    check(await storedValue("gia_loc", vneid, "2026-10") === 64, "the refused write changed the value");
    await page.getByRole("button", { name: "Đăng xuất" }).click();
    await page.getByRole("button", { name: "Đăng nhập" }).waitFor();
    const after = await page.evaluate(async () => (await fetch("/api/v1/status")).status);
    check(after === 401, `after sign-out: ${after}`);
  });

  await step("a read-only token sees no entry forms and its writes are refused by the server", async () => {
    const viewer = await newPage(DESKTOP);
    // With the keyboard alone: the token field has the focus; Enter signs in.
    await viewer.goto(`${base}/`);
    await viewer.locator("#token:focus").waitFor();
    await viewer.keyboard.type(TOKENS.viewer);
    await viewer.keyboard.press("Enter");
    await viewer.getByRole("button", { name: "Đăng xuất" }).waitFor();
    const links = await viewer.locator("nav a").allTextContents();
    check(!links.includes("Nhập số liệu") && !links.includes("Tải tệp") && links.includes("Tổng quan"), `nav: ${links}`);
    await open(viewer, "nhap-so-lieu?unit=gia_loc");
    check((await viewer.locator("main h1").textContent()) === "Tổng quan", "the entry page opened for a read-only token");
    await open(viewer, "nhiem-vu?unit=gia_loc");
    check(await viewer.locator("form.progress").count() === 0, "task progress forms shown to a read-only token");
    await screenshot(viewer, "chi_xem_nhiem_vu.desktop");
    const status = await viewer.evaluate(async () => {
      const { csrf_token } = await (await fetch("/api/v1/session")).json();
      return (await fetch("/api/v1/readings", { method: "POST",
        headers: { "Content-Type": "application/json", "X-CSRF-Token": csrf_token },
        body: JSON.stringify({ readings: [{ indicator: "vneid_account_pct", unit: "gia_loc", value: 70, period: "2026-10" }] }) })).status;
    });
    check(status === 403, `a read-only write: ${status}`);
    await viewer.context().close();
  });

  await step("first load size", async () => {
    const fresh = await newPage(DESKTOP);
    const files = [];
    let sent = 0;
    fresh.on("response", (r) => {
      if (r.url().includes("/api/")) return;
      files.push(r.body().then((b) => b.length, () => 0));
      sent += Number(r.headers()["content-length"] ?? 0);
    });
    await fresh.goto(`${base}/`);
    await fresh.getByLabel("Mã truy cập (API token)").waitFor();
    await fresh.waitForLoadState("networkidle");
    const sizes = await Promise.all(files);
    const bytes = sizes.reduce((a, b) => a + b, 0);
    check(sizes.length >= 10, `the first load fetched ${sizes.length} files`);
    check(sent > 0 && sent < bytes / 2, `the page's files were not sent compressed: ${sent} of ${bytes} bytes`);
    // A file the browser holds is revalidated: the same ETag gets 304 and no body.
    const first = await fetch(`${base}/ui/app.js`);
    const etag = first.headers.get("etag");
    const again = await fetch(`${base}/ui/app.js`, { headers: { "If-None-Match": etag } });
    check(etag && again.status === 304 && (await again.text()) === "", `revalidation: ${etag} → ${again.status}`);
    console.log(`  first load: ${sizes.length} files, ${(bytes / 1024).toFixed(1)} KiB, ${(sent / 1024).toFixed(1)} KiB sent (gzip)`);
    await fresh.context().close();
  });
}

try {
  await run();
} catch (e) {
  if (e.message !== "stopped") {
    console.error(`FAIL: ${e.stack}`);
    process.exitCode = 1;
  }
} finally {
  await browser?.close();
  await children.stopAll();
}
