// Checks that grafana/ holds together the way Grafana loads it:
//
//   node check_consistency.mjs SOURCE_DIR
//
// - the dashboard provider is a file provider; every dashboard has schemaVersion 39, a uid no
//   other dashboard has, and a Vietnamese title (with its diacritics), as has every panel;
// - every text a reader sees (legends, axis labels, renamed columns and fields, value mapping
//   texts) is Vietnamese, apart from the labels it shows ({{office}});
// - every panel, query and variable names its datasource by a provisioned uid of the same type;
// - every panel that shows chiso_indicator_status' value maps each status code (api/README.md,
//   and the reserved code 7) to its Vietnamese text, and gives each a colour.
import { dashboardProviders, loadDashboards, panelsOf, provisionedDatasources, STATUS_TEXT } from "./dashboards.mjs";

const sourceDir = process.argv[2];
if (!sourceDir) {
  console.error("usage: node check_consistency.mjs SOURCE_DIR");
  process.exit(2);
}
const problems = [];
const datasources = provisionedDatasources(sourceDir);
const providers = dashboardProviders(sourceDir);
if (!providers.some((p) => p.type === "file" && p.options?.path)) {
  problems.push("grafana/provisioning/dashboards/chiso.yaml: no file provider with options.path");
}

// Vietnamese text shows at least one of its own letters or tone marks.
const vietnamese = /[ăâđêôơưáàảãạắằẳẵặấầẩẫậéèẻẽẹếềểễệíìỉĩịóòỏõọốồổỗộớờởỡợúùủũụứừửữựýỳỷỹỵ]/i;

function checkDatasource(where, ref) {
  if (!ref || typeof ref !== "object" || !ref.uid) {
    problems.push(`${where}: no datasource {type, uid}`);
    return;
  }
  const provisioned = datasources.get(ref.uid);
  if (!provisioned) problems.push(`${where}: datasource uid '${ref.uid}' is not provisioned`);
  else if (provisioned.type !== ref.type) {
    problems.push(`${where}: datasource '${ref.uid}' is a ${provisioned.type}, not a ${ref.type}`);
  }
}

// The texts of a panel a reader sees, with the label values they show left out.
function textsOf(p) {
  const texts = (p.targets ?? []).map((t) => t.legendFormat);
  const collect = (config) => {
    texts.push(config?.custom?.axisLabel);
    for (const m of config?.mappings ?? []) texts.push(...Object.values(m.options ?? {}).map((r) => r.text));
  };
  collect(p.fieldConfig?.defaults);
  for (const o of p.fieldConfig?.overrides ?? []) {
    for (const property of o.properties) {
      if (property.id === "displayName") texts.push(property.value);
      if (property.id === "custom.axisLabel") texts.push(property.value);
    }
  }
  for (const t of p.transformations ?? []) texts.push(...Object.values(t.options?.renameByName ?? {}));
  return texts.map((t) => (t ?? "").replace(/\{\{\w+\}\}/g, "")).filter((t) => /\p{L}/u.test(t));
}

// Whether a query shows chiso_indicator_status' value (the code) rather than a count over it.
const showsStatusCode = (expr) => /^\s*chiso_indicator_status\s*\{[^}]*\}\s*$/.test(expr ?? "");

function checkStatusMappings(where, mappings) {
  const options = Object.assign({}, ...(mappings ?? []).filter((m) => m.type === "value").map((m) => m.options));
  for (const [code, text] of STATUS_TEXT) {
    const result = options[String(code)];
    if (!result) problems.push(`${where}: no value mapping for status code ${code} (${text})`);
    else if (result.text !== text) problems.push(`${where}: status code ${code} reads '${result.text}', not '${text}'`);
    else if (!result.color) problems.push(`${where}: status code ${code} has no colour`);
  }
}

const uids = new Map();
let panelCount = 0;
for (const { file, json: d } of loadDashboards(sourceDir)) {
  if (d.schemaVersion !== 39) problems.push(`${file}: schemaVersion ${d.schemaVersion}, not 39`);
  if (!d.uid) problems.push(`${file}: no uid`);
  else if (uids.has(d.uid)) problems.push(`${file}: uid '${d.uid}' is also ${uids.get(d.uid)}'s`);
  else uids.set(d.uid, file);
  if (!vietnamese.test(d.title ?? "")) problems.push(`${file}: title '${d.title}' is not Vietnamese`);
  for (const v of d.templating?.list ?? []) {
    if (!vietnamese.test(v.label ?? "")) problems.push(`${file}: variable ${v.name}: label '${v.label}' is not Vietnamese`);
    if (v.type === "query") checkDatasource(`${file}: variable ${v.name}`, v.datasource);
  }
  const ids = new Set();
  for (const p of panelsOf(d)) {
    panelCount++;
    const where = `${file}: panel ${p.id} '${p.title}'`;
    if (ids.has(p.id)) problems.push(`${where}: id used twice`);
    ids.add(p.id);
    if (!vietnamese.test(p.title ?? "")) problems.push(`${where}: title is not Vietnamese`);
    if (p.type === "row") continue;
    for (const text of textsOf(p)) {
      if (!vietnamese.test(text)) problems.push(`${where}: '${text}' is not Vietnamese`);
    }
    checkDatasource(where, p.datasource);
    if (!p.targets?.length) problems.push(`${where}: no query`);
    for (const t of p.targets ?? []) {
      checkDatasource(`${where} query ${t.refId}`, t.datasource);
      if (!t.expr) problems.push(`${where} query ${t.refId}: no expr`);
    }
    if (p.targets?.some((t) => showsStatusCode(t.expr))) checkStatusMappings(where, p.fieldConfig?.defaults?.mappings);
  }
}
if (problems.length) {
  console.error(`FAIL:\n  ${problems.join("\n  ")}`);
  process.exit(1);
}
console.log(`ok: ${uids.size} dashboards, ${panelCount} panels consistent with the provisioning`);
