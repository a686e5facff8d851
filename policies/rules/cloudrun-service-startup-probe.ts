/**
 * The failed revision ran without a startup probe, so Cloud Run used its default (TCP, one 240 s check):
 * a slow start killed it with no useful signal. The serving container must declare a startup probe that
 * Cloud Run accepts, checks the port the app listens on, tolerates a failed check, and covers the
 * expected startup time.
 */
import {
    CLOUD_RUN_DOCS, DEFAULT_STARTUP_PROBE, MAX_STARTUP_BUDGET_SECONDS, ProbeTiming,
    STARTUP_PROBE_LIMITS, show, startupProbeBoundProblems, startupTimingCovering, startupWindowSeconds, effectiveStartupTiming,
} from "../lib/cloud-run-limits";
import { ContainerView } from "../lib/cloud-run-service";
import { definePolicyConfig } from "../lib/config";
import { Finding, needsKnown, problem } from "../lib/findings";
import { PackResourcePolicy } from "../lib/pack-policy";
import { PROBE_KINDS, containerPortOf, probeKindsFindings, probePortFindings } from "../lib/probes";
import { PropNode, asNumber, at, isAbsent, isUnknown } from "../lib/props";
import { checkServingContainer, validateServices } from "../lib/validation";

const config = definePolicyConfig({
    minFailureThreshold: {
        type: "integer",
        default: 2,
        minimum: STARTUP_PROBE_LIMITS.minFailureThreshold,
        description: "Fewest failed checks before Cloud Run gives up, so one slow check does not kill the revision.",
    },
    expectedStartupSeconds: {
        type: "integer",
        default: 240,
        minimum: 1,
        maximum: MAX_STARTUP_BUDGET_SECONDS,
        description: "Seconds the app may need to start; the probe window (initialDelay + failureThreshold × period) must cover it.",
    },
});
type Config = ReturnType<typeof config.read>;

const TIMING_FIELDS = ["initialDelaySeconds", "periodSeconds", "timeoutSeconds", "failureThreshold"] as const;

function suggestionText(cfg: Config): string {
    const t = startupTimingCovering(cfg.expectedStartupSeconds, {
        periodSeconds: STARTUP_PROBE_LIMITS.defaults.periodSeconds,
        timeoutSeconds: STARTUP_PROBE_LIMITS.defaults.timeoutSeconds,
        minFailureThreshold: cfg.minFailureThreshold,
    });
    return `e.g. startupProbe: { httpGet: { path: "/healthz" }, initialDelaySeconds: ${t.initialDelaySeconds}, ` +
        `periodSeconds: ${t.periodSeconds}, timeoutSeconds: ${t.timeoutSeconds}, failureThreshold: ${t.failureThreshold} }`;
}

function startupProbeFindings(container: ContainerView, cfg: Config): Finding[] {
    const probe = container.startupProbe;
    if (isUnknown(probe)) {
        return [needsKnown(probe)];
    }
    if (isAbsent(probe)) {
        const port = containerPortOf(container);
        const d = DEFAULT_STARTUP_PROBE;
        return [problem(
            `${container.label} has no startup probe, so Cloud Run runs its default: a TCP check on port ${isUnknown(port) ? "(the container port)" : show(port.value)} with ` +
            `timeoutSeconds ${d.timeoutSeconds}, periodSeconds ${d.periodSeconds}, failureThreshold ${d.failureThreshold} — ` +
            `one failed check kills the revision. Add a startup probe (${suggestionText(cfg)}).`,
        )];
    }
    return [...probeKindsFindings(container, probe, PROBE_KINDS.startup, "startup probe"), ...probePortFindings(container, probe, PROBE_KINDS.startup, "startup probe"), ...timingFindings(container, probe, cfg)];
}

function timingFindings(container: ContainerView, probe: PropNode, cfg: Config): Finding[] {
    const timing: ProbeTiming = {};
    const findings: Finding[] = [];
    for (const field of TIMING_FIELDS) {
        const node = at(probe, field);
        if (isUnknown(node)) {
            findings.push(needsKnown(node));
        } else if (!isAbsent(node)) {
            const value = asNumber(node);
            if (value === undefined) {
                findings.push(problem(`${container.label}: startup probe ${field} ${show(node.value)} is not a number`));
            } else {
                timing[field] = value;
            }
        }
    }
    if (findings.length > 0) {
        return findings; // Defaults standing in for unknown or broken fields would give wrong verdicts.
    }
    const label = `${container.label}: startup probe`;
    const effective = effectiveStartupTiming(timing);
    const window = startupWindowSeconds(timing);
    return [
        ...startupProbeBoundProblems(timing).map((p) => problem(`${label} ${p} (Cloud Run rejects it)`)),
        ...(effective.failureThreshold < cfg.minFailureThreshold
            ? [problem(`${label} failureThreshold ${effective.failureThreshold} is below ${cfg.minFailureThreshold}: one slow check would kill the revision`)]
            : []),
        ...(window < cfg.expectedStartupSeconds
            ? [problem(`${label} window initialDelaySeconds + failureThreshold × periodSeconds = ${window}s is shorter than the expected startup of ${cfg.expectedStartupSeconds}s (${suggestionText(cfg)})`)]
            : []),
    ];
}

export const cloudrunServiceStartupProbe: PackResourcePolicy = {
    name: "cloudrun-service-startup-probe",
    description:
        "Stops revisions whose serving container would be killed during startup: no startup probe (Cloud Run's default TCP 240s×1), " +
        "a probe Cloud Run rejects, the wrong port, or a window shorter than the startup. Declare a valid startup probe covering the expected startup time.",
    enforcementLevel: "mandatory",
    severity: "critical",
    remediationSteps:
        "Add startupProbe to the serving container with exactly one of httpGet, tcpSocket or grpc on the container port; " +
        `keep initialDelaySeconds ≤ ${STARTUP_PROBE_LIMITS.maxInitialDelaySeconds}, periodSeconds ≤ ${STARTUP_PROBE_LIMITS.maxPeriodSeconds}, ` +
        `timeoutSeconds ≤ periodSeconds and failureThreshold × periodSeconds ≤ ${STARTUP_PROBE_LIMITS.maxWindowSeconds}; ` +
        "use failureThreshold ≥ minFailureThreshold and make initialDelaySeconds + failureThreshold × periodSeconds ≥ expectedStartupSeconds " +
        `(${suggestionText(config.defaults)}).`,
    url: CLOUD_RUN_DOCS.healthChecks,
    configSchema: config.schema,
    validateResource: validateServices((view, args) => {
        const cfg = config.read(args);
        return checkServingContainer(view, (container) => startupProbeFindings(container, cfg));
    }),
};
