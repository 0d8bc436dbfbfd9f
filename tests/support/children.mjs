// Programs a Node.js test starts (chiso, Prometheus…) and stops by PID, with their output kept
// for the failure message, and the temporary folder they work in.
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";

export const sleep = (ms) => new Promise((done) => setTimeout(done, ms));

export async function freePort() {
  const server = createServer();
  await new Promise((done) => server.listen(0, "127.0.0.1", done));
  const { port } = server.address();
  await new Promise((done) => server.close(done));
  return port;
}

export class Children {
  // `prefix` names the temporary folder, removed by stopAll.
  constructor(prefix) {
    this.tmp = mkdtempSync(join(tmpdir(), prefix));
    this.children = [];
  }

  // Prints `message` and the last lines of every program's output, then throws Error("stopped").
  fail(message) {
    console.error(`FAIL: ${message}`);
    for (const child of this.children) {
      const log = child.log.join("").split("\n").slice(-15).join("\n  ");
      console.error(`  ${child.name}:\n  ${log}`);
    }
    process.exitCode = 1;
    throw new Error("stopped");
  }

  start(name, command, args, env) {
    const child = spawn(command, args, { env: { ...process.env, ...env }, stdio: ["ignore", "pipe", "pipe"] });
    child.name = name;
    child.log = [];
    child.stdout.on("data", (d) => child.log.push(d.toString()));
    child.stderr.on("data", (d) => child.log.push(d.toString()));
    child.on("error", (e) => {
      child.spawnError = e;
      child.log.push(`cannot run ${command}: ${e.message}\n`);
    });
    this.children.push(child);
    return child;
  }

  // Polls `check` until it gives a value; fails when `child` exits first or after `ms`.
  async waitFor(what, child, check, ms = 30_000) {
    const until = Date.now() + ms;
    for (;;) {
      const value = await check().catch(() => undefined);
      if (value) return value;
      if (child.exitCode !== null || child.spawnError) this.fail(`${child.name} exited before ${what}`);
      if (Date.now() > until) this.fail(`${what}: not within ${ms / 1000} s`);
      await sleep(200);
    }
  }

  // Stops every program, the last started first (SIGTERM, by PID), and removes the folder.
  async stopAll() {
    for (const child of this.children.reverse()) {
      if (child.exitCode !== null || child.signalCode !== null) continue;
      let timer;
      const exited = new Promise((done) => child.once("exit", done));
      child.kill("SIGTERM");
      await Promise.race([exited, new Promise((done) => { timer = setTimeout(done, 30_000); })]);
      clearTimeout(timer);
      if (child.exitCode === null && child.signalCode === null) {
        console.error(`FAIL: ${child.name} (PID ${child.pid}) did not exit within 30 s of SIGTERM`);
        process.exitCode = 1;
      }
    }
    rmSync(this.tmp, { recursive: true, force: true });
  }
}

// chiso's port, from the line it logs when it listens.
export function chisoPort(children, chiso) {
  return children.waitFor("it says where it serves", chiso,
    async () => chiso.log.join("").match(/ on http:\/\/127\.0\.0\.1:(\d+) /)?.[1]);
}
