/**
 * What a message may show. @pulumi/policy hands policies secret values already unwrapped (pulumi-policy#241),
 * so any string read from a resource could be a credential, and a message ends up in CI logs and PR comments.
 * Messages therefore show numbers, the enum values Cloud Run defines, and names that are well-formed for
 * their kind; everything else is described ("is not a CPU quantity"), never quoted.
 */
import { ENV_LIMITS, LOCATION_RE, PROJECT_REF_RE } from "./cloud-run-limits";

/** Well-formed names by kind: only a string matching its kind's pattern is shown. */
export const NAME_PATTERNS = {
    /** Container names are DNS labels. */
    container: /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/,
    env: ENV_LIMITS.nameRe,
    /** Service account and user emails. */
    email: /^[A-Za-z0-9][A-Za-z0-9._+-]{0,63}@[A-Za-z0-9][A-Za-z0-9.-]{0,252}$/,
    role: /^(roles\/[A-Za-z0-9_.]{1,128}|(projects|organizations)\/[a-z0-9-]{1,63}\/roles\/[A-Za-z0-9_.]{1,64})$/,
    /** Cloud Run service, job and worker pool names. */
    workload: /^[a-z]([-a-z0-9]{0,61}[a-z0-9])?$/,
    project: PROJECT_REF_RE,
    /** Pulumi resource names as programs usually write them. */
    resource: /^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/,
    location: LOCATION_RE,
} as const;

/** The string when it is a well-formed name of that kind, else undefined. */
export function nameText(value: unknown, kind: keyof typeof NAME_PATTERNS): string | undefined {
    return typeof value === "string" && NAME_PATTERNS[kind].test(value) ? value : undefined;
}

/** The value when it is one of the allowed enum values, else undefined. */
export function enumText<T extends string>(value: unknown, allowed: readonly T[]): T | undefined {
    return (allowed as readonly unknown[]).includes(value) ? (value as T) : undefined;
}

/** A finite number as text, else undefined. */
export function numberText(value: unknown): string | undefined {
    return typeof value === "number" && Number.isFinite(value) ? String(value) : undefined;
}
