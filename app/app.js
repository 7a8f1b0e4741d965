// The echo API from a browser: sign in with the authorization code flow and PKCE, then call the
// API with the access token. Settings come from config.json beside this page, so the same page
// runs against the offline stack or a deployed one.
import { challengeOf, claimsOf, randomString } from "./pkce.js";

const $ = (id) => document.getElementById(id);
// Tokens stay in this module's memory: never in localStorage or sessionStorage.
let tokens = null;
let config = null;

// Only what must survive the redirect to the sign-in page and back: the PKCE verifier and the
// state, for one sign-in, removed as soon as it completes.
const PENDING = "echo-app.pending-sign-in";

async function loadConfig() {
  const answer = await fetch("config.json", { cache: "no-store" });
  if (!answer.ok) throw new Error(`config.json: HTTP ${answer.status}`);
  return answer.json();
}

async function signIn() {
  const verifier = randomString(32);
  const state = randomString(16);
  sessionStorage.setItem(PENDING, JSON.stringify({ verifier, state }));
  const url = new URL(config.authorizeUrl);
  url.search = new URLSearchParams({
    response_type: "code",
    client_id: config.clientId,
    redirect_uri: config.redirectUri,
    scope: config.scopes,
    state,
    code_challenge: await challengeOf(verifier),
    code_challenge_method: "S256",
  }).toString();
  location.assign(url);
}

/** Back from the sign-in page: check `state`, redeem the code once with the verifier. */
async function completeSignIn(params) {
  const pending = JSON.parse(sessionStorage.getItem(PENDING) ?? "null");
  sessionStorage.removeItem(PENDING);
  history.replaceState(null, "", location.pathname);
  if (params.has("error")) {
    throw new Error(`sign-in failed: ${params.get("error")} ${params.get("error_description") ?? ""}`.trim());
  }
  if (!pending || params.get("state") !== pending.state) {
    throw new Error("sign-in refused: the state does not match this page's request");
  }
  const answer = await fetch(config.tokenUrl, {
    method: "POST",
    headers: { "Content-Type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({
      grant_type: "authorization_code",
      client_id: config.clientId,
      code: params.get("code"),
      redirect_uri: config.redirectUri,
      code_verifier: pending.verifier,
    }),
  });
  const body = await answer.json();
  if (!answer.ok) throw new Error(`token endpoint: ${answer.status} ${body.error ?? ""}`.trim());
  tokens = body;
}

function signOut() {
  tokens = null;
  const url = new URL(config.logoutUrl);
  url.search = new URLSearchParams({ client_id: config.clientId, logout_uri: config.logoutUri }).toString();
  location.assign(url);
}

async function call(method) {
  const headers = {};
  if (tokens) headers.Authorization = `Bearer ${tokens.access_token}`;
  const init = { method, headers };
  if (method === "POST") {
    headers["Content-Type"] = "application/json";
    init.body = JSON.stringify({ hello: "from the browser" });
  }
  try {
    const answer = await fetch(`${config.apiUrl}/echo`, init);
    const text = await answer.text();
    show(String(answer.status), verdictOf(answer.status), pretty(text));
  } catch (error) {
    // A response the browser may not read (no or another Access-Control-Allow-Origin) ends here,
    // as does an API that cannot be reached: the page cannot tell which, the console can.
    show(
      "CORS error",
      "error",
      `The browser blocked the request or its answer (is this page's origin the API's allowed origin?), ` +
        `or the API could not be reached; the browser console says which. ${error.name}: ${error.message}`,
    );
  }
}

function verdictOf(status) {
  if (status >= 200 && status < 300) return "ok";
  if (status === 401) return "unauthorized";
  if (status === 403) return "forbidden";
  return "error";
}

function pretty(text) {
  try {
    return JSON.stringify(JSON.parse(text), null, 2);
  } catch {
    return text;
  }
}

function show(status, verdict, body) {
  $("status").textContent = status;
  const label = { ok: "allowed", unauthorized: "unauthorized", forbidden: "forbidden", error: "failed" }[verdict];
  $("verdict").textContent = label ?? "";
  $("verdict").className = `verdict ${verdict === "ok" ? "ok" : verdict === "error" ? "error" : "denied"}`;
  $("body").textContent = body;
}

function render() {
  const signedIn = tokens !== null;
  $("signin").disabled = signedIn;
  $("signout").disabled = !signedIn;
  for (const id of ["get", "post", "delete"]) $(id).disabled = false;
  if (signedIn) {
    const claims = claimsOf(tokens.access_token);
    const groups = claims["cognito:groups"] ?? [];
    $("who").textContent = `Signed in as ${claims.username} (groups: ${groups.length ? groups.join(", ") : "none"})`;
  } else {
    $("who").textContent = "Not signed in: calls go without a token.";
  }
}

async function main() {
  config = await loadConfig();
  $("signin").addEventListener("click", () => signIn().catch(fail));
  $("signout").addEventListener("click", signOut);
  $("get").addEventListener("click", () => call("GET"));
  $("post").addEventListener("click", () => call("POST"));
  $("delete").addEventListener("click", () => call("DELETE"));
  const params = new URLSearchParams(location.search);
  if (params.has("code") || params.has("error")) {
    try {
      await completeSignIn(params);
    } catch (error) {
      fail(error);
      return;
    }
  }
  render();
}

function fail(error) {
  show("error", "error", error.message);
  if (config) render();
}

main().catch(fail);
