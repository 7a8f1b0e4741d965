-- The offline stack's state, version 1 (PRAGMA user_version). Read it with the sqlite3 tool:
--   sqlite3 .offline/state.db 'SELECT username, status, enabled, groups FROM users'
-- Passwords are never stored (a PBKDF2 hash and an SRP verifier), refresh tokens only as SHA-256.

-- The user pool's identity: one row.
CREATE TABLE pool (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    suffix TEXT NOT NULL,          -- the user pool id's part after REGION_
    kid TEXT NOT NULL,             -- the signing key's id
    private_key TEXT NOT NULL,     -- the signing key, PKCS#8 DER in base64
    secret TEXT NOT NULL           -- 32 random bytes, hex: keys what SRP answers for unknown names
);

-- App clients' generated credentials, by the template's logical id.
CREATE TABLE clients (
    logical_id TEXT PRIMARY KEY,
    client_id TEXT NOT NULL UNIQUE,
    client_secret TEXT NOT NULL
) WITHOUT ROWID;

-- One row per user.
CREATE TABLE users (
    sub TEXT PRIMARY KEY,
    username TEXT NOT NULL UNIQUE,
    username_lower TEXT NOT NULL,  -- lower case, for pools whose user names are case-insensitive
    status TEXT NOT NULL CHECK (status IN ('CONFIRMED', 'FORCE_CHANGE_PASSWORD')),
    enabled INTEGER NOT NULL CHECK (enabled IN (0, 1)),
    password_hash TEXT NOT NULL,   -- pbkdf2-sha256$iterations$salt$hash
    srp_salt TEXT NOT NULL,        -- hex
    srp_verifier TEXT NOT NULL,    -- hex, g^x mod N
    temporary_password_expires INTEGER, -- Unix seconds; NULL for a permanent password
    groups TEXT NOT NULL,          -- JSON array of group names, in the order joined
    created INTEGER NOT NULL,
    modified INTEGER NOT NULL
) WITHOUT ROWID;
CREATE INDEX users_by_lower_name ON users (username_lower);

-- The users' standard attributes other than sub.
CREATE TABLE user_attributes (
    sub TEXT NOT NULL REFERENCES users (sub) ON DELETE CASCADE,
    name TEXT NOT NULL,
    value TEXT NOT NULL,
    PRIMARY KEY (sub, name)
) WITHOUT ROWID;
-- Signing in with an alias (e-mail, phone number): ASCII case-insensitive, as Cognito compares.
CREATE INDEX user_attributes_by_value ON user_attributes (name, value COLLATE NOCASE);

-- One row per sign-in: what its refresh token may renew, and whether it was revoked.
CREATE TABLE sign_ins (
    seq INTEGER PRIMARY KEY,       -- order of signing in: the oldest are forgotten first
    origin_jti TEXT NOT NULL UNIQUE, -- shared by the tokens it issued
    sub TEXT NOT NULL REFERENCES users (sub) ON DELETE CASCADE,
    client_id TEXT NOT NULL,
    auth_time INTEGER NOT NULL,
    event_id TEXT NOT NULL,
    scopes TEXT NOT NULL,          -- space-separated
    hosted INTEGER NOT NULL CHECK (hosted IN (0, 1)), -- from the hosted UI
    refresh_hash TEXT NOT NULL UNIQUE, -- SHA-256 of the refresh token, hex
    refresh_expires INTEGER NOT NULL,
    tokens_expire INTEGER NOT NULL, -- when the last token it issued expires
    revoked INTEGER NOT NULL CHECK (revoked IN (0, 1))
);
CREATE INDEX sign_ins_by_user ON sign_ins (sub);
CREATE INDEX sign_ins_by_end ON sign_ins (max(refresh_expires, tokens_expire));

-- Failed password sign-ins, for Cognito's lockout: by user (sub), or by a keyed hash of a name
-- nobody has.
CREATE TABLE lockouts (
    key TEXT PRIMARY KEY,
    failures INTEGER NOT NULL,     -- n, not counting attempts refused during a lockout
    locked_until INTEGER NOT NULL, -- Unix seconds
    last_attempt INTEGER NOT NULL  -- Unix seconds
) WITHOUT ROWID;
CREATE INDEX lockouts_by_last_attempt ON lockouts (last_attempt);
