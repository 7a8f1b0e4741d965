// aws-jwt-verify's side of bench/peers.sh: CognitoJwtVerifier with the JWKS cached
// (cacheJwks) and verifySync over the shared tokens, access tokens, client id and scope checked.
//
// node bench/peers/node_verify.mjs DIR PASSES   (aws-jwt-verify installed in DIR/node by peers.sh)
// Prints one JSON line: µs/token of each timed pass. Exits 1 if a valid token is refused or an
// invalid one accepted.
import { createRequire } from "node:module";
import { readFileSync } from "node:fs";
import path from "node:path";

const [dir, passesArg] = process.argv.slice(2);
const passes = Math.max(1, Number(passesArg || 5));
const nodeDir = path.resolve(dir, "node");
const require = createRequire(path.join(nodeDir, "package.json"));
const { CognitoJwtVerifier } = require("aws-jwt-verify");
const version = JSON.parse(
  readFileSync(path.join(nodeDir, "node_modules", "aws-jwt-verify", "package.json"), "utf8"),
).version;

const fx = JSON.parse(readFileSync(path.join(dir, "fixtures.json"), "utf8"));
const verifier = CognitoJwtVerifier.create({
  userPoolId: fx.pool_id,
  tokenUse: "access",
  clientId: fx.client_id,
  scope: fx.required_scope,
});
verifier.cacheJwks(fx.jwks);

function fail(message) {
  console.error(`aws-jwt-verify: ${message}`);
  process.exit(1);
}

let accepted = 0;
for (const token of fx.tokens) {
  try {
    const payload = verifier.verifySync(token);
    if (payload.client_id === fx.client_id) accepted++;
  } catch (e) {
    fail(`refused a valid token: ${e.constructor.name}: ${e.message}`);
  }
}
const refused = {};
for (const [name, token] of Object.entries(fx.negatives)) {
  try {
    verifier.verifySync(token);
  } catch (e) {
    refused[name] = e.constructor.name;
    continue;
  }
  fail(`accepted the invalid token \`${name}\``);
}

function pass() {
  let ok = 0;
  const start = process.hrtime.bigint();
  for (const token of fx.tokens) {
    ok += verifier.verifySync(token).exp > 0 ? 1 : 0;
  }
  const ns = Number(process.hrtime.bigint() - start);
  if (ok !== fx.tokens.length) fail(`accepted ${ok} of ${fx.tokens.length} in a timed pass`);
  return ns / 1000 / fx.tokens.length;
}
pass(); // warm-up (JIT)
const us = [];
for (let i = 0; i < passes; i++) us.push(pass());

console.log(
  JSON.stringify({
    id: "aws_jwt_verify",
    label: `aws-jwt-verify ${version} on Node ${process.version} (cacheJwks + verifySync, scope)`,
    tokens: fx.tokens.length,
    accepted,
    negatives_refused: refused,
    negatives_total: Object.keys(fx.negatives).length,
    us_per_token: us,
  }),
);
