// OAuth 2.0 authorization code flow with PKCE (RFC 7636, S256), with WebCrypto.

const encoder = new TextEncoder();

/** Unpadded base64url of bytes. */
export function base64url(bytes) {
  let text = "";
  for (const b of new Uint8Array(bytes)) text += String.fromCharCode(b);
  return btoa(text).replaceAll("+", "-").replaceAll("/", "_").replace(/=+$/, "");
}

/** A random, URL-safe string carrying `bytes` bytes of entropy. */
export function randomString(bytes = 32) {
  return base64url(crypto.getRandomValues(new Uint8Array(bytes)));
}

/** The S256 challenge of a verifier: base64url(SHA-256(verifier)). */
export async function challengeOf(verifier) {
  return base64url(await crypto.subtle.digest("SHA-256", encoder.encode(verifier)));
}

/** The claims of a JWT, for display only (the API verifies tokens; the page never trusts them). */
export function claimsOf(jwt) {
  const part = jwt.split(".")[1] ?? "";
  const padded = part.replaceAll("-", "+").replaceAll("_", "/").padEnd(Math.ceil(part.length / 4) * 4, "=");
  const bytes = Uint8Array.from(atob(padded), (c) => c.charCodeAt(0));
  return JSON.parse(new TextDecoder().decode(bytes));
}
