// Calls to chiso's API from the page. The browser sends the session cookie by itself; writes add
// the session's CSRF token, which the server checks (api/sessions.h). An error answer becomes an
// ApiError carrying the server's message and details.

let csrfToken = null;

export class ApiError extends Error {
  constructor(status, body) {
    super(body?.error ?? `HTTP ${status}`);
    this.status = status;
    this.body = body;
  }
}

async function call(method, path, { json, body, contentType } = {}) {
  const headers = {};
  if (method !== "GET") headers["X-CSRF-Token"] = csrfToken ?? "";
  if (json !== undefined) {
    headers["Content-Type"] = "application/json";
    body = JSON.stringify(json);
  } else if (contentType) {
    headers["Content-Type"] = contentType;
  }
  const response = await fetch(path, { method, headers, body, credentials: "same-origin" });
  const text = await response.text();
  let parsed = null;
  try { parsed = text ? JSON.parse(text) : null; } catch { parsed = { error: text }; }
  return { status: response.status, ok: response.ok, body: parsed };
}

// The JSON of a successful answer; ApiError otherwise.
async function expectOk(promise) {
  const answer = await promise;
  if (!answer.ok) throw new ApiError(answer.status, answer.body);
  return answer.body;
}

export const get = (path) => expectOk(call("GET", path));
export const postJson = (path, json) => expectOk(call("POST", path, { json }));
// Write answers are returned whatever their status: a 400 lists the refused items.
export const write = (path, options) => call("POST", path, options);

// Who is signed in, or null.
export async function currentSession() {
  const answer = await call("GET", "/api/v1/session");
  if (!answer.ok) return null;
  csrfToken = answer.body.csrf_token;
  return answer.body;
}

export async function signIn(token) {
  const session = await postJson("/api/v1/session", { token });
  csrfToken = session.csrf_token;
  return session;
}

export async function signOut() {
  await call("DELETE", "/api/v1/session");
  csrfToken = null;
}

// "a=1&b=2" from an object, leaving out empty values.
export function query(params) {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== null && v !== "") q.set(k, v);
  const text = q.toString();
  return text ? `?${text}` : "";
}
