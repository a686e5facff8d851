/**
 * The backend serves long requests; Cloud Run's default 300 s timeout cut them off. A service's request
 * timeout (unset: Cloud Run's 300 s) must be at least the team minimum, and Cloud Run rejects one above 3600 s.
 * Jobs have task timeouts, not request timeouts.
 */
import { CLOUD_RUN_DOCS, REQUEST_TIMEOUT_LIMITS, parseDurationSeconds } from "../lib/cloud-run-limits";
import { definePolicyConfig } from "../lib/config";
import { Finding, needsKnown, problem } from "../lib/findings";
import { PackResourcePolicy } from "../lib/pack-policy";
import { asNumber, isAbsent, isUnknown, zeroAsAbsent } from "../lib/props";
import { validateWorkloads } from "../lib/validation";
import { WorkloadView } from "../lib/workload";

const config = definePolicyConfig("cloudrun-service-request-timeout", {
    minSeconds: {
        type: "integer",
        default: 600,
        minimum: REQUEST_TIMEOUT_LIMITS.minSeconds,
        maximum: REQUEST_TIMEOUT_LIMITS.maxSeconds,
        description: `Team minimum request timeout, in seconds; an unset timeout counts as Cloud Run's ${REQUEST_TIMEOUT_LIMITS.defaultSeconds}s.`,
    },
    maxSeconds: {
        type: "integer",
        default: REQUEST_TIMEOUT_LIMITS.maxSeconds,
        minimum: REQUEST_TIMEOUT_LIMITS.minSeconds,
        maximum: REQUEST_TIMEOUT_LIMITS.maxSeconds,
        description: "Longest request timeout allowed, in seconds (Cloud Run's own maximum is the upper bound).",
    },
});

/** The timeout in seconds: v2 writes a Duration string ("600s"), v1 a number of seconds. */
function requestTimeoutSeconds(view: WorkloadView, value: unknown): number | undefined {
    return view.generation === "v2" ? parseDurationSeconds(value) : asNumber({ value, path: [] });
}

function timeoutFindings(view: WorkloadView, minSeconds: number, maxSeconds: number): Finding[] {
    const field = view.fields.timeout;
    const upper = Math.min(maxSeconds, REQUEST_TIMEOUT_LIMITS.maxSeconds);
    const wanted = view.generation === "v2" ? `"${minSeconds}s"` : String(minSeconds);
    const fix = `set ${field} to between ${minSeconds} and ${upper} seconds, e.g. ${wanted}`;
    const timeout = zeroAsAbsent(view.timeout);
    if (isUnknown(timeout)) {
        return [needsKnown(timeout)];
    }
    if (isAbsent(timeout)) {
        return REQUEST_TIMEOUT_LIMITS.defaultSeconds < minSeconds
            ? [problem(`request timeout is unset, so Cloud Run's default of ${REQUEST_TIMEOUT_LIMITS.defaultSeconds}s applies, below the team minimum ${minSeconds}s; ${fix}`, timeout)]
            : [];
    }
    const seconds = requestTimeoutSeconds(view, timeout.value);
    if (seconds === undefined) {
        return [problem(`request timeout is not a duration Cloud Run accepts (${view.generation === "v2" ? 'a string such as "600s"' : "a number of seconds"}); ${fix}`, timeout)];
    }
    if (seconds > REQUEST_TIMEOUT_LIMITS.maxSeconds) {
        return [problem(`request timeout ${seconds}s is above Cloud Run's maximum of ${REQUEST_TIMEOUT_LIMITS.maxSeconds}s (Cloud Run rejects it); ${fix}`, timeout)];
    }
    return seconds < minSeconds || seconds > upper
        ? [problem(`request timeout ${seconds}s is outside the team range ${minSeconds}-${upper}s; ${fix}`, timeout)]
        : [];
}

export const cloudrunServiceRequestTimeout: PackResourcePolicy = {
    name: "cloudrun-service-request-timeout",
    description:
        `Stops services whose request timeout is above Cloud Run's ${REQUEST_TIMEOUT_LIMITS.maxSeconds}s maximum or, as a team requirement, below minSeconds ` +
        `(unset means Cloud Run's ${REQUEST_TIMEOUT_LIMITS.defaultSeconds}s). Set template.timeout (v1: template.spec.timeoutSeconds) within the range.`,
    enforcementLevel: "mandatory",
    severity: "high",
    remediationSteps:
        `Set template.timeout to a Duration string such as "${config.defaults.minSeconds}s" (v1: template.spec.timeoutSeconds: ${config.defaults.minSeconds}), ` +
        `no less than minSeconds and no more than maxSeconds (Cloud Run allows at most ${REQUEST_TIMEOUT_LIMITS.maxSeconds}s).`,
    url: CLOUD_RUN_DOCS.requestTimeout,
    configSchema: config.schema,
    validateResource: validateWorkloads(["service"], (view, args) => {
        const { minSeconds, maxSeconds } = config.read(args);
        return timeoutFindings(view, minSeconds, maxSeconds);
    }),
};
