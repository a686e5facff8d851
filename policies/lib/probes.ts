/** Reading probes and ports the way Cloud Run interprets them. */
import { CONTAINER_PORT_LIMITS, show } from "./cloud-run-limits";
import { ContainerView } from "./cloud-run-service";
import { Finding, needsKnown, problem } from "./findings";
import { PropNode, at, isAbsent, isPresent, isUnknown } from "./props";

/** Probe handlers by probe type (healthchecks page: liveness probes are HTTP or gRPC). */
export const PROBE_KINDS = {
    startup: ["httpGet", "tcpSocket", "grpc"] as readonly string[],
    liveness: ["httpGet", "grpc"] as readonly string[],
} as const;

/** Which of the given handlers the probe sets (set but unknown counts as set). */
export function probeKindsSet(probe: PropNode, kinds: readonly string[]): string[] {
    return kinds.filter((kind) => isPresent(at(probe, kind)));
}

/** The port the probe's handler names (absent when none is set, or the handler is ambiguous). */
export function probePort(probe: PropNode, kinds: readonly string[]): PropNode {
    const set = probeKindsSet(probe, kinds);
    return set.length === 1 ? at(probe, set[0], "port") : { value: undefined, path: probe.path };
}

/** The port the container listens on: its declared containerPort, else Cloud Run's default. */
export function containerPortOf(container: ContainerView): PropNode {
    return isAbsent(container.containerPort)
        ? { value: CONTAINER_PORT_LIMITS.default, path: container.containerPort.path }
        : container.containerPort;
}

/** A probe must set exactly one handler among `kinds`. */
export function probeKindsFindings(container: ContainerView, probe: PropNode, kinds: readonly string[], probeName: string): Finding[] {
    const set = probeKindsSet(probe, kinds);
    return set.length === 1
        ? []
        : [problem(`${container.label}: ${probeName} must set exactly one of ${kinds.join(", ")}; found ${set.length ? set.join(", ") : "none"}`)];
}

/** A probe port, when set, must be the port the container listens on. */
export function probePortFindings(container: ContainerView, probe: PropNode, kinds: readonly string[], probeName: string): Finding[] {
    const port = probePort(probe, kinds);
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
        : [problem(`${container.label}: ${probeName} checks port ${show(port.value)} but the container listens on ${show(containerPort.value)}; remove the probe port or make them equal`)];
}
