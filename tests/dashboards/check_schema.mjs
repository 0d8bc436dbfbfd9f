// Type-checks every grafana/dashboards/*.json as a `Dashboard` of Grafana's published schema
// (npm @grafana/schema, pinned in package.json) with TypeScript's compiler, strict:
//
//   node check_schema.mjs SOURCE_DIR WORK_DIR
//
// Each dashboard becomes WORK_DIR/<name>.ts, `const dashboard: AsJson<Dashboard> = <its JSON>`.
// An object literal is checked field by field, excess properties included, so a misspelt field,
// a wrong type or a value outside an enum (a mapping `type`, a variable `type`) fails with the
// line of the generated file; as_json.d.ts says how JSON's strings stand for the string enums.
import { spawnSync } from "node:child_process";
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { loadDashboards } from "./dashboards.mjs";

const [sourceDir, workDir] = process.argv.slice(2).map((p) => resolve(p));
if (!sourceDir || !workDir) {
  console.error("usage: node check_schema.mjs SOURCE_DIR WORK_DIR");
  process.exit(2);
}
const here = dirname(fileURLToPath(import.meta.url));
rmSync(workDir, { recursive: true, force: true });
mkdirSync(workDir, { recursive: true });

const dashboards = loadDashboards(sourceDir);
if (dashboards.length === 0) {
  console.error(`FAIL: no dashboards in ${sourceDir}/grafana/dashboards`);
  process.exit(1);
}
const files = dashboards.map(({ file, text }) => {
  const ts = join(workDir, file.replace(/\.json$/, ".ts"));
  writeFileSync(
    ts,
    'import type { Dashboard } from "@grafana/schema";\n' +
      `import type { AsJson } from ${JSON.stringify(join(here, "as_json"))};\n` +
      `export const dashboard: AsJson<Dashboard> = ${text.trimEnd()};\n`,
  );
  return ts;
});
writeFileSync(
  join(workDir, "tsconfig.json"),
  JSON.stringify({
    compilerOptions: {
      strict: true,
      noEmit: true,
      target: "es2022",
      module: "es2022",
      moduleResolution: "bundler",
      skipLibCheck: true,
      types: [],
      paths: { "@grafana/schema": [join(here, "node_modules", "@grafana", "schema")] },
    },
    files,
  }),
);
const tsc = spawnSync(
  process.execPath,
  [join(here, "node_modules", "typescript", "bin", "tsc"), "-p", join(workDir, "tsconfig.json")],
  { encoding: "utf8" },
);
if (tsc.status !== 0) {
  console.error(`FAIL: the dashboards do not type-check as Grafana's Dashboard:\n${tsc.stdout}${tsc.stderr}`);
  process.exit(1);
}
console.log(`ok: ${dashboards.length} dashboards are Grafana Dashboards (@grafana/schema)`);
