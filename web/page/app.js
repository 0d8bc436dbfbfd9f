// The page's shell: sign-in, the navigation between the pages, and what every page is given
// (who is signed in, the catalog the token may see). Each page is a module with a render(main,
// context) function; the hash of the address (#/nhap-so-lieu?unit=…) says which page and with
// which parameters, so the browser's back button and bookmarks work.
import { h, fill } from "./dom.js";
import { ApiError, currentSession, get, signIn, signOut } from "./api.js";
import * as overview from "./page_overview.js";
import * as entry from "./page_entry.js";
import * as upload from "./page_upload.js";
import * as tasks from "./page_tasks.js";
import * as alerts from "./page_alerts.js";
import * as history from "./page_history.js";

const PAGES = [
  { path: "tong-quan", title: "Tổng quan", module: overview },
  { path: "nhap-so-lieu", title: "Nhập số liệu", module: entry, writes: true },
  { path: "tai-tep", title: "Tải tệp", module: upload, writes: true },
  { path: "nhiem-vu", title: "Nhiệm vụ", module: tasks },
  { path: "canh-bao", title: "Cảnh báo", module: alerts },
  { path: "lich-su", title: "Lịch sử", module: history },
];

const main = document.getElementById("main");
const nav = document.getElementById("nav");
const who = document.getElementById("who");
const notice = document.getElementById("notice");
let context = null;

// A message for everyone, read out by screen readers: kind "ok" or "error".
function notify(message, kind = "ok") {
  notice.hidden = !message;
  notice.className = `notice ${kind}`;
  notice.textContent = message ?? "";
}

// What the page shows for an error: the server's reason when it gave one.
export function describeError(error) {
  if (error instanceof ApiError) {
    if (error.status === 401) return "Phiên làm việc đã hết hạn. Vui lòng đăng nhập lại.";
    if (error.status === 403) return `Không có quyền: ${error.message}`;
    return `Lỗi từ máy chủ (${error.status}): ${error.message}`;
  }
  return `Không kết nối được máy chủ: ${error.message}`;
}

const ROLE_LABELS = { read: "chỉ xem", write: "nhập số liệu", admin: "quản trị" };

async function loadContext(session) {
  const catalog = await get("/api/v1/catalog");
  const unitNames = new Map(catalog.units.map((u) => [u.id, u.name]));
  const planned = [...new Set(catalog.plans.map((p) => p.unit))];
  return {
    session,
    canWrite: session.role === "write" || session.role === "admin",
    units: planned.map((id) => ({ id, name: unitNames.get(id) ?? id })),
    offices: new Map(catalog.offices.map((o) => [o.code, o.name])),
    indicators: new Map(catalog.indicators.map((i) => [i.code, i])),
    plans: catalog.plans,
    notify,
    describeError,
    go,
  };
}

// A message to show once the next page is drawn (go's `message`).
let pendingNotice = null;

// Opens page `path` with `params` (an object), through the address so history works, and shows
// `message` there.
export function go(path, params = {}, message = null) {
  const q = new URLSearchParams(params).toString();
  pendingNotice = message;
  location.hash = `#/${path}${q ? `?${q}` : ""}`;
}

function currentRoute() {
  const [path, q] = location.hash.replace(/^#\/?/, "").split("?");
  const page = PAGES.find((p) => p.path === path && (!p.writes || context.canWrite)) ?? PAGES[0];
  return { page, params: Object.fromEntries(new URLSearchParams(q ?? "")) };
}

async function route() {
  if (!context) return;
  const { page, params } = currentRoute();
  for (const link of nav.querySelectorAll("a")) {
    if (link.dataset.path === page.path) link.setAttribute("aria-current", "page");
    else link.removeAttribute("aria-current");
  }
  document.title = `${page.title} · chiso`;
  notify(pendingNotice);
  pendingNotice = null;
  main.dataset.page = page.path;
  main.setAttribute("aria-busy", "true");
  fill(main, h("h1", {}, page.title), h("p", { class: "loading" }, "Đang tải…"));
  try {
    await page.module.render(main, { ...context, params });
  } catch (error) {
    fill(main, h("h1", {}, page.title), h("p", { class: "error", role: "alert" }, describeError(error)));
    if (error instanceof ApiError && error.status === 401) showSignIn();
  }
  main.setAttribute("aria-busy", "false");
  main.focus({ preventScroll: true });
}

function showShell(session) {
  fill(who,
    h("span", {}, `${session.user} (${ROLE_LABELS[session.role] ?? session.role}`,
      session.units.length ? `; đơn vị: ${session.units.join(", ")}` : "", ")"),
    h("button", { type: "button", class: "link", onclick: async () => {
      await signOut();
      context = null;
      showSignIn();
    } }, "Đăng xuất"));
  who.hidden = false;
  fill(nav, h("ul", {}, PAGES.filter((p) => !p.writes || context.canWrite)
    .map((p) => h("li", {}, h("a", { href: `#/${p.path}`, "data-path": p.path }, p.title)))));
  nav.hidden = false;
}

function showSignIn(message) {
  main.dataset.page = "dang-nhap";
  main.setAttribute("aria-busy", "false");
  who.hidden = true;
  nav.hidden = true;
  document.title = "Đăng nhập · chiso";
  const input = h("input", { id: "token", name: "token", type: "password", required: true,
    autocomplete: "current-password", "aria-describedby": "token-help" });
  const error = h("p", { id: "signin-error", class: "error", role: "alert", hidden: !message }, message ?? "");
  const form = h("form", { class: "signin", onsubmit: async (event) => {
    event.preventDefault();
    error.hidden = true;
    try {
      await start(await signIn(input.value));
    } catch (e) {
      error.textContent = e instanceof ApiError && e.status === 401
        ? "Mã truy cập không đúng. Kiểm tra lại mã do quản trị viên cấp."
        : describeError(e);
      error.hidden = false;
      input.focus();
    }
  } },
    h("h1", {}, "Đăng nhập"),
    h("label", { for: "token" }, "Mã truy cập (API token)"),
    input,
    h("p", { id: "token-help", class: "help" },
      "Dùng mã truy cập do quản trị viên hệ thống cấp cho cơ quan, đơn vị của mình."),
    error,
    h("button", { type: "submit" }, "Đăng nhập"));
  fill(main, form);
  input.focus();
}

async function start(session) {
  context = await loadContext(session);
  showShell(session);
  await route();
}

window.addEventListener("hashchange", route);
const session = await currentSession();
if (session) await start(session);
else showSignIn();
