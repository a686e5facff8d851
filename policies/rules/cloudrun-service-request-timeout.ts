/**
 * The backend serves long requests; Cloud Run's default 300 s timeout cut them off. The request timeout
 * must be set, within a configured range and within Cloud Run's maximum.
 */
import { CLOUD_RUN_DOCS, REQUEST_TIMEOUT_LIMITS, parseDurationSeconds, show } from "../lib/cloud-run-limits";
import { ServiceView } from "../lib/cloud-run-service";
import { definePolicyConfig } from "../lib/config";
import { Finding, needsKnown, problem } from "../lib/findings";
import { PackResourcePolicy } from "../lib/pack-policy";
import { asNumber, isAbsent, isUnknown } from "../lib/props";
import { validateServices } from "../lib/validation";

const config = definePolicyConfig({
    minSeconds: {
        type: "integer",
        default: 600,
        minimum: REQUEST_TIMEOUT_LIMITS.minSeconds,
        maximum: REQUEST_TIMEOUT_LIMITS.maxSeconds,
        description: "Shortest request timeout allowed, in seconds.",
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
function requestTimeoutSeconds(view: ServiceView): number | undefined {
    return view.generation === "v2" ? parseDurationSeconds(view.timeout.value) : asNumber(view.timeout);
}

function timeoutFindings(view: ServiceView, minSeconds: number, maxSeconds: number): Finding[] {
    const field = view.generation === "v2" ? "template.timeout" : "template.spec.timeoutSeconds";
    const wanted = view.generation === "v2" ? `"${minSeconds}s"` : String(minSeconds);
    const fix = `set ${field} to between ${minSeconds} and ${maxSeconds} seconds, e.g. ${wanted}`;
    if (isUnknown(view.timeout)) {
        return [needsKnown(view.timeout)];
    }
    if (isAbsent(view.timeout)) {
        return [problem(`request timeout is unset, so Cloud Run's default of ${REQUEST_TIMEOUT_LIMITS.defaultSeconds}s applies; ${fix}`)];
    }
    const seconds = requestTimeoutSeconds(view);
    if (seconds === undefined) {
        return [problem(`request timeout ${show(view.timeout.value)} is not a duration Cloud Run accepts; ${fix}`)];
    }
    const upper = Math.min(maxSeconds, REQUEST_TIMEOUT_LIMITS.maxSeconds);
    return seconds < minSeconds || seconds > upper
        ? [problem(`request timeout ${show(view.timeout.value)} (${seconds}s) is outside ${minSeconds}-${upper}s; ${fix}`)]
        : [];
}

export const cloudrunServiceRequestTimeout: PackResourcePolicy = {
    name: "cloudrun-service-request-timeout",
    description:
        `Stops revisions whose request timeout is unset (Cloud Run's ${REQUEST_TIMEOUT_LIMITS.defaultSeconds}s default) or outside the allowed range. ` +
        "Set template.timeout (v1: template.spec.timeoutSeconds) between minSeconds and maxSeconds.",
    enforcementLevel: "mandatory",
    severity: "high",
    remediationSteps:
        `Set template.timeout to a Duration string such as "${config.defaults.minSeconds}s" (v1: template.spec.timeoutSeconds: ${config.defaults.minSeconds}), ` +
        `no less than minSeconds and no more than maxSeconds (Cloud Run allows at most ${REQUEST_TIMEOUT_LIMITS.maxSeconds}s).`,
    url: CLOUD_RUN_DOCS.requestTimeout,
    configSchema: config.schema,
    validateResource: validateServices((view, args) => {
        const { minSeconds, maxSeconds } = config.read(args);
        return timeoutFindings(view, minSeconds, maxSeconds);
    }),
};
