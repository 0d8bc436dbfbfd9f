// The dashboards and provisioning of grafana/, as the checks in this folder read them.
import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { parse } from "yaml";

// Every grafana/dashboards/*.json: [{file, text, json}], sorted by file name.
export function loadDashboards(sourceDir) {
  const dir = join(sourceDir, "grafana", "dashboards");
  return readdirSync(dir)
    .filter((name) => name.endsWith(".json"))
    .sort()
    .map((file) => {
      const text = readFileSync(join(dir, file), "utf8");
      return { file, text, json: JSON.parse(text) };
    });
}

// The provisioned datasources (grafana/provisioning/datasources/chiso.yaml), by uid.
export function provisionedDatasources(sourceDir) {
  const file = join(sourceDir, "grafana", "provisioning", "datasources", "chiso.yaml");
  return new Map(parse(readFileSync(file, "utf8")).datasources.map((d) => [d.uid, d]));
}

// The provisioned dashboard providers (grafana/provisioning/dashboards/chiso.yaml).
export function dashboardProviders(sourceDir) {
  const file = join(sourceDir, "grafana", "provisioning", "dashboards", "chiso.yaml");
  return parse(readFileSync(file, "utf8")).providers;
}

// Every panel of a dashboard, those inside rows included.
export function panelsOf(dashboard) {
  return (dashboard.panels ?? []).flatMap((p) => (p.type === "row" ? [p, ...(p.panels ?? [])] : [p]));
}

// The status codes of api/README.md and the text a committee member reads for each; code 7 is
// reserved for "not enough readings to judge", which the service does not emit yet.
export const STATUS_TEXT = new Map([
  [0, "Đã đạt"],
  [1, "Đúng tiến độ"],
  [2, "Có nguy cơ chậm"],
  [3, "Chậm tiến độ"],
  [4, "Quá hạn chưa đạt"],
  [5, "Số liệu chưa cập nhật"],
  [6, "Chưa có số liệu"],
  [7, "Chưa đủ số liệu để đánh giá"],
]);
