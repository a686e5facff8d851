/**
 * Team requirement: the failed revision ran without a startup probe, so Cloud Run used its default (TCP, one
 * 240 s check): a slow start killed it with no useful signal. The ingress container's startup probe (or, when
 * it declares none, Cloud Run's default probe) must tolerate a failed check, cover the expected startup time,
 * keep its window under the team cap, and check the port the app listens on. Cloud Run's own probe bounds are
 * cloudrun-service-valid-probes.
 */
import {
    CLOUD_RUN_DOCS, DEFAULT_STARTUP_PROBE, MAX_STARTUP_BUDGET_SECONDS, ProbeTiming, SAFE_STARTUP_WINDOW_SECONDS,
    STARTUP_PROBE_LIMITS, effectiveStartupTiming, startupTimingCovering, startupWindowSeconds,
} from "../lib/cloud-run-limits";
import { definePolicyConfig } from "../lib/config";
import { Finding, needsKnown, problem } from "../lib/findings";
import { PackResourcePolicy } from "../lib/pack-policy";
import { probePortFindings, readProbeTiming } from "../lib/probes";
import { isAbsent, isUnknown } from "../lib/props";
import { numberText } from "../lib/safe-text";
import { checkIngressContainer, validateWorkloads } from "../lib/validation";
import { ContainerView, containerPortOf } from "../lib/workload";

const config = definePolicyConfig("cloudrun-service-startup-probe", {
    minFailureThreshold: {
        type: "integer",
        default: 2,
        minimum: STARTUP_PROBE_LIMITS.minFailureThreshold,
        description: "Fewest failed checks before Cloud Run gives up, so one slow check does not kill the revision (Cloud Run's default probe has 1).",
    },
    expectedStartupSeconds: {
        type: "integer",
        default: 240,
        minimum: 0,
        maximum: MAX_STARTUP_BUDGET_SECONDS,
        description: "Seconds the app may need to start; the probe window (initialDelay + failureThreshold × period) must cover it. 0: no startup budget.",
    },
    maxWindowSeconds: {
        type: "integer",
        default: SAFE_STARTUP_WINDOW_SECONDS,
        minimum: 1,
        description: "Team cap on failureThreshold × periodSeconds. Cloud Run states a 240 s cap for jobs and worker pools only, not for services.",
    },
    probePortMustMatch: {
        type: "boolean",
        default: true,
        description: "Require a probe port, when set, to equal the container port (a team check: Cloud Run accepts any port).",
    },
});
type Config = ReturnType<typeof config.read>;

function suggestionText(cfg: Config): string {
    const t = startupTimingCovering(Math.max(cfg.expectedStartupSeconds, 1), {
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
        // Cloud Run's default probe is judged like any other: it passes a team that accepts one 240 s check.
        const problems = timingProblems(DEFAULT_STARTUP_PROBE, cfg);
        if (problems.length === 0) {
            return [];
        }
        const port = containerPortOf(container);
        const d = DEFAULT_STARTUP_PROBE;
        return [problem(
            `${container.label} has no startup probe, so Cloud Run runs its default: a TCP check on port ${numberText(port.value) ?? "(the container port)"} with ` +
            `timeoutSeconds ${d.timeoutSeconds}, periodSeconds ${d.periodSeconds}, failureThreshold ${d.failureThreshold} — ${problems.join("; ")}. ` +
            `Add a startup probe (${suggestionText(cfg)}).`,
            probe,
        )];
    }
    const read = readProbeTiming(probe);
    if (read.unknownNodes.length > 0 || read.notNumbers.length > 0) {
        // Defaults standing in for unknown or broken fields would give wrong verdicts; bounds are valid-probes' call.
        return [...read.unknownNodes.map(needsKnown), ...(cfg.probePortMustMatch ? probePortFindings(container, probe, "startup probe") : [])];
    }
    return [
        ...timingProblems(read.timing, cfg).map((p) => problem(`${container.label}: startup probe ${p} (${suggestionText(cfg)})`, probe)),
        ...(cfg.probePortMustMatch ? probePortFindings(container, probe, "startup probe") : []),
    ];
}

/** What the team asks of a startup probe's timing, as phrases. */
function timingProblems(timing: ProbeTiming, cfg: Config): string[] {
    const effective = effectiveStartupTiming(timing);
    const window = startupWindowSeconds(timing);
    const failureWindow = effective.failureThreshold * effective.periodSeconds;
    return [
        ...(effective.failureThreshold < cfg.minFailureThreshold
            ? [`failureThreshold ${effective.failureThreshold} is below the team minimum ${cfg.minFailureThreshold}: one slow check would kill the revision`]
            : []),
        ...(window < cfg.expectedStartupSeconds
            ? [`window initialDelaySeconds + failureThreshold × periodSeconds = ${window}s is shorter than the expected startup of ${cfg.expectedStartupSeconds}s`]
            : []),
        ...(failureWindow > cfg.maxWindowSeconds
            ? [`failureThreshold × periodSeconds = ${failureWindow}s exceeds the team cap maxWindowSeconds ${cfg.maxWindowSeconds}s (not a Cloud Run rule for services); ` +
                "use a shorter period or add initialDelaySeconds instead"]
            : []),
    ];
}

export const cloudrunServiceStartupProbe: PackResourcePolicy = {
    name: "cloudrun-service-startup-probe",
    description:
        "Team requirement: stops services whose ingress container would be killed during startup: Cloud Run's default probe (TCP 240s×1) or a probe " +
        "that gives up after one failed check, a window shorter than the expected startup, or a probe on another port. Declare a startup probe covering the startup time.",
    enforcementLevel: "mandatory",
    severity: "critical",
    remediationSteps:
        "Add startupProbe to the ingress container with one of httpGet, tcpSocket or grpc on the container port; " +
        "use failureThreshold ≥ minFailureThreshold, make initialDelaySeconds + failureThreshold × periodSeconds ≥ expectedStartupSeconds " +
        `and keep failureThreshold × periodSeconds ≤ maxWindowSeconds (${suggestionText(config.defaults)}).`,
    url: CLOUD_RUN_DOCS.healthChecks,
    configSchema: config.schema,
    validateResource: validateWorkloads(["service"], (view, args) => {
        const cfg = config.read(args);
        return checkIngressContainer(view, (container) => startupProbeFindings(container, cfg));
    }),
};
