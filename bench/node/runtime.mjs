// Node peer of the Rust authorizer for bench/coldstart.sh: a minimal Lambda-runtime-like loop
// around aws-jwt-verify's CognitoJwtVerifier, doing what the Rust binary does at cold start.
//
// Init: create the verifier for USER_POOL_ID / CLIENT_IDS, fetch the pool's JWKS (hydrate), then
// GET .../invocation/next from AWS_LAMBDA_RUNTIME_API, verify the TOKEN event's bearer token,
// check the route's scope, POST an Allow/Deny policy (or `Unauthorized`) and poll for the next.
//
// The JWKS comes from JWKS_BASE_URL (the bench's loopback server) in place of Cognito's host, the
// path unchanged (/{poolId}/.well-known/jwks.json): aws-jwt-verify's own fetcher for https,
// node:http for http (its fetcher speaks https only). NODE_EXTRA_CA_CERTS trusts the bench's CA.
import http from "node:http";
import { CognitoJwtVerifier } from "aws-jwt-verify";
import { SimpleJwksCache } from "aws-jwt-verify/jwk";
import { SimpleFetcher } from "aws-jwt-verify/https";

const runtimeApi = process.env.AWS_LAMBDA_RUNTIME_API;
const base = new URL(process.env.JWKS_BASE_URL);
const routeScopes = JSON.parse(process.env.ROUTE_SCOPES ?? "{}");
const clientIds = (process.env.CLIENT_IDS ?? "").split(",").map((s) => s.trim()).filter(Boolean);

const toLoopback = (uri) => {
  const u = new URL(uri);
  return `${base.origin}${u.pathname}`;
};

function httpGet(uri) {
  return new Promise((resolve, reject) => {
    http
      .get(uri, (res) => {
        const chunks = [];
        res.on("data", (c) => chunks.push(c));
        res.on("end", () => {
          if (res.statusCode !== 200) {
            reject(new Error(`JWKS status ${res.statusCode}`));
            return;
          }
          const buf = Buffer.concat(chunks);
          resolve(buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength));
        });
      })
      .on("error", reject);
  });
}

const httpsFetcher = new SimpleFetcher();
const fetcher = {
  fetch: (uri, requestOptions, data) =>
    base.protocol === "https:"
      ? httpsFetcher.fetch(toLoopback(uri), requestOptions, data)
      : httpGet(toLoopback(uri)),
};

const verifier = CognitoJwtVerifier.create(
  {
    userPoolId: process.env.USER_POOL_ID,
    tokenUse: "access",
    clientId: clientIds.length ? clientIds : null,
  },
  { jwksCache: new SimpleJwksCache({ fetcher }) },
);

function runtime(method, path, body) {
  return new Promise((resolve, reject) => {
    const req = http.request(
      `http://${runtimeApi}/2018-06-01/runtime/${path}`,
      { method, headers: body ? { "content-type": "application/json" } : {} },
      (res) => {
        const chunks = [];
        res.on("data", (c) => chunks.push(c));
        res.on("end", () => resolve({ headers: res.headers, body: Buffer.concat(chunks).toString() }));
      },
    );
    req.on("error", reject);
    req.end(body);
  });
}

// `arn:...:apiId/stage/VERB/path` -> the route's scopes, the policy resource for every route.
function decide(event, payload) {
  const [prefix, stage, verb, ...rest] = event.methodArn.split("/");
  const route = `${verb} /${rest.join("/")}`;
  const scopes = (payload.scope ?? "").split(" ");
  const statements = Object.entries(routeScopes).map(([key, need]) => {
    const [m, p] = key.split(" ");
    const ok = need.split(" ").some((s) => scopes.includes(s));
    return { Action: "execute-api:Invoke", Effect: ok ? "Allow" : "Deny", Resource: `${prefix}/${stage}/${m}${p}` };
  });
  if (!(route in routeScopes)) {
    statements.push({ Action: "execute-api:Invoke", Effect: "Deny", Resource: event.methodArn });
  }
  return {
    principalId: payload.sub,
    policyDocument: { Version: "2012-10-17", Statement: statements },
    context: { sub: payload.sub, client_id: payload.client_id, scope: payload.scope ?? "" },
  };
}

await verifier.hydrate();
for (;;) {
  const next = await runtime("GET", "invocation/next");
  const id = next.headers["lambda-runtime-aws-request-id"];
  const event = JSON.parse(next.body);
  let answer;
  try {
    const token = (event.authorizationToken ?? "").replace(/^bearer /i, "");
    const payload = await verifier.verify(token);
    answer = ["response", decide(event, payload)];
  } catch {
    answer = ["error", { errorMessage: "Unauthorized", errorType: "Unauthorized" }];
  }
  await runtime("POST", `invocation/${id}/${answer[0]}`, JSON.stringify(answer[1]));
}
