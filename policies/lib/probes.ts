/** Reading probes and ports the way Cloud Run interprets them. */
import { PROBE_TIMING_FIELDS, ProbeTiming } from "./cloud-run-limits";
import { Finding, needsKnown, problem } from "./findings";
import { PropNode, asNumber, at, isAbsent, isPresent, isUnknown, withValue, zeroAsAbsent } from "./props";
import { numberText } from "./safe-text";
import { ContainerView, containerPortOf } from "./workload";

/**
 * Probe handlers. Exactly one must be set, for startup and liveness probes alike: the provider accepts
 * tcpSocket for liveness too (cloud-run-facts: liveness tcpSocket since early 2024).
 */
export const PROBE_HANDLERS: readonly string[] = ["httpGet", "tcpSocket", "grpc"];

/** Which handlers the probe sets (set but unknown counts as set; `{}` is a handler with defaults). */
export function probeHandlersSet(probe: PropNode): string[] {
    return PROBE_HANDLERS.filter((kind) => isPresent(at(probe, kind)));
}

/** The port the probe's handler names; absent when none is set, the handler is ambiguous, or it is 0 (unset). */
export function probePort(probe: PropNode): PropNode {
    const set = probeHandlersSet(probe);
    return set.length === 1 ? zeroAsAbsent(at(probe, set[0], "port")) : withValue(probe, undefined);
}

/** A probe's timing fields: the known numbers, the ones not known yet, and the ones that are not numbers. */
export interface ProbeTimingRead {
    readonly timing: ProbeTiming;
    readonly unknown: ReadonlySet<string>;
    readonly unknownNodes: readonly PropNode[];
    readonly notNumbers: readonly string[];
}

export function readProbeTiming(probe: PropNode): ProbeTimingRead {
    const timing: ProbeTiming = {};
    const unknown = new Set<string>();
    const unknownNodes: PropNode[] = [];
    const notNumbers: string[] = [];
    for (const field of PROBE_TIMING_FIELDS) {
        const node = at(probe, field);
        if (isUnknown(node)) {
            unknown.add(field);
            unknownNodes.push(node);
        } else if (!isAbsent(node)) {
            const value = asNumber(node);
            if (value === undefined) {
                notNumbers.push(field);
            } else if (value !== 0 || field === "initialDelaySeconds") {
                // 0 is proto3's "unset" (engine outputs carry it): Cloud Run applies the default.
                timing[field] = value;
            }
        }
    }
    return { timing, unknown, unknownNodes, notNumbers };
}

/**
 * Team check: a probe port, when set, is the port the container listens on. No Cloud Run rule says so (the
 * API accepts any port), but a probe on another port is how the seed's revision never became ready.
 */
export function probePortFindings(container: ContainerView, probe: PropNode, probeName: string): Finding[] {
    const port = probePort(probe);
    if (isAbsent(port)) {
        return []; // An unset probe port is the container port.
    }
    const containerPort = containerPortOf(container);
    const pending = [port, containerPort].filter(isUnknown);
    if (pending.length > 0) {
        return pending.map(needsKnown);
    }
    return port.value === containerPort.value
        ? []
        : [problem(`${container.label}: ${probeName} checks port ${numberText(port.value) ?? "(not a number)"} but the container listens on ` +
            `${numberText(containerPort.value) ?? "(not a number)"}; remove the probe port or make them equal (a team check: Cloud Run accepts any port)`, port)];
}
