// Runs every query of grafana/dashboards through a real Prometheus, as Grafana would:
//
//   node check_queries.mjs SOURCE_DIR CHISO_BINARY DEMO_HISTORY_BINARY
//
// The demo history of the seed communes (tools/demo_history) is written into a fresh store;
// chiso serves it with the shipped deploy/chiso.yaml plus one webhook receiver (a server in this
// script that answers 200, so notifications are delivered); a few readings, one of them refused,
// go through the JSON write API so the ingest counters exist. The Debian Prometheus runs with the
// shipped deploy/prometheus.yml, changed only in: chiso's port, a 1 s scrape and evaluation
// interval, and the read token's credentials_file; it scrapes chiso and remote-reads its history.
//
// Each dashboard's variables are resolved in order through Prometheus' label API (what
// label_values() does), each taking its first value (sorted as the variable says; "All", the
// allValue, for a variable that includes it, as Grafana selects it first). Each panel query, with
// the variables, $__interval, $__rate_interval and $__range substituted for the dashboard's
// default time range (or the panel's own, timeFrom), goes to /api/v1/query_range (an instant
// query to /api/v1/query at the range's end) and must succeed with a non-empty result. Scrape
// data accumulates for a few seconds first, so every query is retried until all return data or
// the deadline passes; then the empty ones are named.
import { spawnSync } from "node:child_process";
import { mkdirSync, readFileSync, readdirSync, symlinkSync, writeFileSync } from "node:fs";
import { createServer } from "node:http";
import { join, resolve } from "node:path";
import { parse, parseDocument, stringify } from "yaml";
import { loadDashboards, panelsOf, provisionedDatasources } from "./dashboards.mjs";
import { Children, chisoPort, freePort, sleep } from "../support/children.mjs";

const [sourceDir, chisoBinary, demoBinary] = process.argv.slice(2).map((p) => p && resolve(p));
if (!demoBinary) {
  console.error("usage: node check_queries.mjs SOURCE_DIR CHISO_BINARY DEMO_HISTORY_BINARY");
  process.exit(2);
}
const deadlineMs = 45_000;
// Queries whose empty answer is right for the demo with the first value of each variable: they
// must still succeed. Keyed by "file: panel title: refId".
const mayBeEmpty = new Map([
  ["bao_cao_dinh_ky.json: Báo cáo còn thiếu: A",
   "the first province, da_nang, is Tây Giang's alone, whose offices send every report (late): " +
   "the demo's missing reports are Kim Thành's (Hải Phòng) and Rạng Đông's (Ninh Bình)"],
]);
const secret = "chiso-dashboards-test-secret";
const children = new Children("chiso_dashboards.");
const { tmp } = children;
const fail = (message) => children.fail(message);
let webhook;

// --- chiso with the demo history ----------------------------------------------------------------
async function startChiso() {
  const data = join(tmp, "data");
  const demo = spawnSync(demoBinary, ["--deploy", join(sourceDir, "deploy"), "--data-dir", data], { encoding: "utf8" });
  if (demo.status !== 0) fail(`chiso_demo_history exited ${demo.status}: ${demo.stderr}`);

  webhook = createServer((req, res) => {
    req.resume();
    req.on("end", () => res.writeHead(200).end());
  });
  await new Promise((done) => webhook.listen(0, "127.0.0.1", done));

  // deploy/chiso.yaml beside links to the folders it names, with one webhook for every office.
  const config = join(tmp, "config");
  mkdirSync(config);
  for (const entry of readdirSync(join(sourceDir, "deploy"))) {
    if (entry !== "chiso.yaml") symlinkSync(join(sourceDir, "deploy", entry), join(config, entry));
  }
  const doc = parseDocument(readFileSync(join(sourceDir, "deploy", "chiso.yaml"), "utf8"));
  doc.setIn(["alerting", "webhooks"], [{ name: "ban_chi_dao", url: `http://127.0.0.1:${webhook.address().port}/chiso` }]);
  writeFileSync(join(config, "chiso.yaml"), doc.toString());

  const chiso = children.start("chiso", chisoBinary,
    ["serve", "--config", join(config, "chiso.yaml"), "--listen", "127.0.0.1:0", "--data-dir", data],
    { CHISO_ADMIN_TOKEN: secret });
  const port = await chisoPort(children, chiso);
  // Two readings stored and one refused (out of its domain): the ingest counters by protocol
  // and reason that the operations dashboard draws.
  const write = await fetch(`http://127.0.0.1:${port}/api/v1/readings`, {
    method: "POST",
    headers: { Authorization: `Bearer ${secret}` },
    body: JSON.stringify({ readings: [
      { indicator: "vneid_account_pct", unit: "gia_loc", value: 52, period: "2025-06" },
      { indicator: "vneid_account_pct", unit: "gia_loc", value: 55, period: "2025-09" },
      { indicator: "vneid_account_pct", unit: "gia_loc", value: 155, period: "2025-10" },
    ] }),
  });
  const answer = await write.json();
  if (answer.stored !== 2) fail(`POST /api/v1/readings stored ${JSON.stringify(answer)}, expected 2 stored`);
  return Number(port);
}

// --- Prometheus with the shipped configuration --------------------------------------------------
async function startPrometheus(chisoPort) {
  const config = parse(readFileSync(join(sourceDir, "deploy", "prometheus.yml"), "utf8"));
  config.global.scrape_interval = "1s";
  config.global.evaluation_interval = "1s";
  for (const job of config.scrape_configs) {
    for (const group of job.static_configs) group.targets = group.targets.map(() => `127.0.0.1:${chisoPort}`);
  }
  writeFileSync(join(tmp, "chiso_read_token"), secret);
  for (const read of config.remote_read) {
    read.url = read.url.replace(/127\.0\.0\.1:\d+/, `127.0.0.1:${chisoPort}`);
    read.authorization.credentials_file = join(tmp, "chiso_read_token");
  }
  writeFileSync(join(tmp, "prometheus.yml"), stringify(config));
  const port = await freePort();
  const prometheus = children.start("prometheus", "prometheus", [
    `--config.file=${join(tmp, "prometheus.yml")}`,
    `--storage.tsdb.path=${join(tmp, "tsdb")}`,
    `--web.listen-address=127.0.0.1:${port}`,
  ]);
  await children.waitFor("it is ready", prometheus, async () => (await fetch(`http://127.0.0.1:${port}/-/ready`)).ok, 60_000);
  return `http://127.0.0.1:${port}`;
}

// --- Grafana's substitutions --------------------------------------------------------------------
const UNITS = { s: 1, m: 60, h: 3600, d: 86400, w: 604800, y: 31536000 };
const seconds = (duration) => {
  const m = /^(\d+)([smhdwy])$/.exec(duration);
  if (!m) throw new Error(`not a duration: ${duration}`);
  return Number(m[1]) * UNITS[m[2]];
};
// A dashboard time ("now", "now-6h", an ISO date) as Unix seconds.
function instant(time, now) {
  if (time === "now") return now;
  const relative = /^now-(\d+[smhdwy])$/.exec(time);
  if (relative) return now - seconds(relative[1]);
  const absolute = Date.parse(time);
  if (Number.isNaN(absolute)) throw new Error(`unsupported time '${time}'`);
  return absolute / 1000;
}

// The query range of a panel: the dashboard's, or the panel's own (timeFrom: "1h" = now-1h to
// now). The step is Grafana's interval: range / 1000 points, no finer than the panel's
// `interval` or the datasource's scrape interval; the start is moved so that the last step is
// the range's end, where the freshest scrape is.
function rangeOf(dashboard, panel, scrapeSeconds, now) {
  const end = panel.timeFrom ? now : instant(dashboard.time.to, now);
  const start = panel.timeFrom ? now - seconds(panel.timeFrom) : instant(dashboard.time.from, now);
  const step = Math.max(Math.ceil((end - start) / 1000), panel.interval ? seconds(panel.interval) : scrapeSeconds);
  const points = Math.floor((end - start) / step);
  return { start: end - points * step, end, step };
}

function substitute(expr, values) {
  return expr.replace(/\$\{(\w+)\}|\$(\w+)/g, (whole, braced, bare) => {
    const name = braced ?? bare;
    if (!(name in values)) throw new Error(`unknown variable $${name}`);
    return values[name];
  });
}

// A Prometheus HTTP API call: POST with a form (queries) or GET (the label API takes only GET).
async function api(prometheus, path, params) {
  const response = params
    ? await fetch(`${prometheus}${path}`, { method: "POST", body: new URLSearchParams(params) })
    : await fetch(`${prometheus}${path}`);
  const body = await response.json().catch(() => ({ status: "error", error: `HTTP ${response.status}` }));
  if (body.status !== "success") throw new Error(`${path}: ${body.error ?? JSON.stringify(body)}`);
  return body.data;
}

// label_values(metric{matchers}, label) or label_values(label): the label's values, through
// /api/v1/label/<label>/values with the selector as match[].
async function labelValues(prometheus, query, range) {
  const m = /^label_values\((?:(.+),\s*)?(\w+)\)$/.exec(query.trim());
  if (!m) throw new Error(`unsupported variable query '${query}'`);
  const params = { start: range.start, end: range.end };
  if (m[1]) params["match[]"] = m[1];
  return api(prometheus, `/api/v1/label/${m[2]}/values?${new URLSearchParams(params)}`);
}

// Every query of every dashboard, run once: [{where, result: "ok" | why not}].
async function runAll(prometheus, dashboards, scrapeSeconds) {
  const outcomes = [];
  const now = Math.floor(Date.now() / 1000);
  for (const { file, json: d } of dashboards) {
    const values = {};
    const dashboardRange = rangeOf(d, {}, scrapeSeconds, now);
    for (const v of d.templating?.list ?? []) {
      const where = `${file}: variable ${v.name}`;
      try {
        let options;
        if (v.type === "query") {
          const query = substitute(typeof v.query === "string" ? v.query : v.query.query, values);
          options = await labelValues(prometheus, query, dashboardRange);
          if (v.sort === 1) options.sort();
        } else if (v.type === "custom") {
          options = v.query.split(",").map((s) => s.trim());
        } else {
          throw new Error(`variable type ${v.type} is not handled by this check`);
        }
        outcomes.push({ where, result: options.length ? "ok" : "no values" });
        values[v.name] = v.includeAll ? v.allValue : options[0] ?? "";
      } catch (e) {
        outcomes.push({ where, result: e.message });
      }
    }
    for (const p of panelsOf(d).filter((p) => p.type !== "row")) {
      const { start, end, step } = rangeOf(d, p, scrapeSeconds, now);
      const builtins = {
        ...values,
        __interval: `${step}s`,
        __rate_interval: `${Math.max(step + scrapeSeconds, 4 * scrapeSeconds)}s`,
        __range: `${end - start}s`,
      };
      for (const t of p.targets) {
        const where = `${file}: panel ${p.id} '${p.title}' query ${t.refId}`;
        try {
          const query = substitute(t.expr, builtins);
          const data = t.instant
            ? await api(prometheus, "/api/v1/query", { query, time: end })
            : await api(prometheus, "/api/v1/query_range", { query, start, end, step });
          const key = `${file}: ${p.title}: ${t.refId}`;
          outcomes.push({ where, key, query, result: data.result.length || mayBeEmpty.has(key) ? "ok" : "empty result" });
        } catch (e) {
          outcomes.push({ where, result: e.message });
        }
      }
    }
  }
  return outcomes;
}

try {
  const startedAt = Date.now();
  const dashboards = loadDashboards(sourceDir);
  const datasource = provisionedDatasources(sourceDir).get("chiso-prometheus");
  const scrapeSeconds = seconds(datasource.jsonData.timeInterval);
  const prometheus = await startPrometheus(await startChiso());
  let outcomes;
  for (;;) {
    outcomes = await runAll(prometheus, dashboards, scrapeSeconds);
    if (outcomes.every((o) => o.result === "ok") || Date.now() - startedAt > deadlineMs) break;
    await sleep(1000);
  }
  const failed = outcomes.filter((o) => o.result !== "ok");
  if (failed.length) {
    fail(`${failed.length} of ${outcomes.length} queries:\n  ` +
      failed.map((o) => `${o.where}: ${o.result}${o.query ? `\n      ${o.query}` : ""}`).join("\n  "));
  }
  const unused = [...mayBeEmpty.keys()].filter((key) => !outcomes.some((o) => o.key === key));
  if (unused.length) fail(`exceptions naming no query: ${unused.join(", ")}`);
  const variables = outcomes.filter((o) => o.where.includes(": variable ")).length;
  console.log(`ok: ${outcomes.length - variables} panel queries and ${variables} variables of ` +
    `${dashboards.length} dashboards return data (${((Date.now() - startedAt) / 1000).toFixed(1)} s)`);
} catch (e) {
  if (e.message !== "stopped") {
    console.error(`FAIL: ${e.stack}`);
    process.exitCode = 1;
  }
} finally {
  webhook?.closeAllConnections();
  webhook?.close();
  await children.stopAll();
}
