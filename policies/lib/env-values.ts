/**
 * Pure tests on env variable values: where they point and whether they carry credentials. Values are never
 * shown in a message: these tests only say what kind of problem a value has.
 */

/** A loopback host as a whole token: localhost, 127.0.0.0/8, ::1 (also inside URLs and host:port). */
const LOOPBACK_RE = /(?:^|[\s/@=,;([])(localhost|127(?:\.\d{1,3}){3}|::1)(?=$|[\s/:,;)\]?#])/i;

/**
 * scheme://user:password@ — the password part is group 2. The scheme's length is bounded so a long value
 * without "://" is scanned in linear time (an unbounded scheme made a 32 KiB value take seconds).
 */
const URL_USERINFO_RE = /(\b[a-z][a-z0-9+.-]{0,31}:\/\/[^\s/:@]*):([^\s/@]+)@/gi;

const CLOUD_SQL_SOCKET_RE = /\/cloudsql\//i;
const SSL_PARAM_RE = /(?:^|[?&;\s])(sslmode|ssl)=/i;

/** The loopback host the value names, if any. */
export function loopbackHostIn(value: string): string | undefined {
    return LOOPBACK_RE.exec(value)?.[1];
}

/** True when the value names a Cloud SQL unix socket (/cloudsql/...): its nominal host is not used. */
export function namesCloudSqlSocket(value: string): boolean {
    return CLOUD_SQL_SOCKET_RE.test(value);
}

/** True when the value is a bare loopback host name ("localhost", "127.0.0.1"): no scheme, no port. */
export function isBareLoopbackHost(value: string): boolean {
    return /^(localhost|127(?:\.\d{1,3}){3}|::1)$/i.test(value.trim());
}

/** True when the value has a URL with user:password@. */
export function hasUrlPassword(value: string): boolean {
    return new RegExp(URL_USERINFO_RE.source, "i").test(value);
}

/** The SSL parameter of a Cloud SQL unix-socket URL, which the socket connection rejects. */
export function cloudSqlSocketSslParam(value: string): string | undefined {
    return CLOUD_SQL_SOCKET_RE.test(value) ? SSL_PARAM_RE.exec(value)?.[1] : undefined;
}

/** The suffix (from the list) the name ends with, compared case-insensitively. */
export function credentialSuffixOf(name: string, suffixes: readonly unknown[]): string | undefined {
    const upper = name.toUpperCase();
    return suffixes.find((s): s is string => typeof s === "string" && s !== "" && upper.endsWith(s.toUpperCase()));
}
