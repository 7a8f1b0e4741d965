// The offline stack for the browser test: the built binary started on free loopback ports, its
// banner read for the page's URL, and users made through Cognito's admin API.

import { spawn } from "node:child_process";
import { createServer } from "node:net";
import { createInterface } from "node:readline";

/** A loopback port that was free a moment ago. */
export function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/** Node's fetch to the stack goes to 127.0.0.1: `localhost` may resolve to ::1 first. */
export const loopback = (url) => url.replace("//localhost:", "//127.0.0.1:");

/**
 * Starts `binary` from `root` with the project's template, the API on a free port and the app
 * on `appPort`, the template's origin, callback and sign-out URLs set to the app's, keeping
 * nothing on disk. Resolves once the banner is printed, with what it says.
 */
export async function startStack({ binary, root, appPort }) {
  const page = `http://localhost:${appPort}/`;
  const overrides = `AllowedOrigin=http://localhost:${appPort} PeopleCallbackUrls=${page} PeopleLogoutUrls=${page}`;
  const child = spawn(
    binary,
    ["--template", `${root}/template.yaml`, "--port", "0", "--app-port", String(appPort),
      "--ephemeral", "--parameter-overrides", overrides],
    { cwd: root, stdio: ["ignore", "pipe", "pipe"], env: { ...process.env, RUST_LOG: "offline=info" } },
  );
  const log = [];
  createInterface({ input: child.stderr }).on("line", (line) => {
    log.push(line);
    if (log.length > 200) log.shift();
  });
  const banner = await new Promise((resolve, reject) => {
    const lines = [];
    const timer = setTimeout(() => reject(new Error(`no banner in 60 s:\n${lines.join("\n")}\n${log.join("\n")}`)), 60_000);
    child.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`the stack exited (${code}):\n${lines.join("\n")}\n${log.join("\n")}`));
    });
    createInterface({ input: child.stdout }).on("line", (line) => {
      lines.push(line);
      if (line === "Ctrl-C stops it.") {
        clearTimeout(timer);
        resolve(lines);
      }
    });
  });
  child.removeAllListeners("exit");
  const field = (label) => {
    const line = banner.find((l) => l.startsWith(`  ${label}`));
    if (!line) throw new Error(`the banner has no "${label}" line:\n${banner.join("\n")}`);
    return line.slice(2 + label.length).trim().split(/\s+/)[0];
  };
  return {
    banner,
    log,
    page: field("app"),
    poolId: field("user pool"),
    stop: () => new Promise((resolve) => {
      if (child.exitCode !== null) return resolve();
      child.once("exit", () => resolve());
      child.kill("SIGINT");
    }),
  };
}

/** Calls an operation of Cognito's JSON API at `endpoint`, signed as the AWS CLI would be (the
 * offline stack checks that a SigV4 header is there, not the signature). */
async function cognito(endpoint, operation, body) {
  const answer = await fetch(endpoint, {
    method: "POST",
    headers: {
      "Content-Type": "application/x-amz-json-1.1",
      "X-Amz-Target": `AWSCognitoIdentityProviderService.${operation}`,
      Authorization: "AWS4-HMAC-SHA256 Credential=offline/20260101/us-east-1/cognito-idp/aws4_request, SignedHeaders=host, Signature=00",
    },
    body: JSON.stringify(body),
  });
  if (!answer.ok) throw new Error(`${operation}: ${answer.status} ${await answer.text()}`);
  return answer.json();
}

/** Creates `username` with a permanent `password`, in `groups`. */
export async function createUser({ endpoint, poolId, username, password, groups }) {
  await cognito(endpoint, "AdminCreateUser", {
    UserPoolId: poolId,
    Username: username,
    MessageAction: "SUPPRESS",
    UserAttributes: [{ Name: "email", Value: `${username}@example.com` }, { Name: "email_verified", Value: "true" }],
  });
  await cognito(endpoint, "AdminSetUserPassword", { UserPoolId: poolId, Username: username, Password: password, Permanent: true });
  for (const group of groups) {
    await cognito(endpoint, "AdminAddUserToGroup", { UserPoolId: poolId, Username: username, GroupName: group });
  }
}
