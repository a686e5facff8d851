/**
 * Without a liveness probe an instance that hangs after startup keeps receiving traffic until it is
 * recycled. Advisory: the revision still deploys. Cloud Run's liveness bounds are cloudrun-service-valid-probes.
 */
import { CLOUD_RUN_DOCS } from "../lib/cloud-run-limits";
import { Finding, needsKnown, problem } from "../lib/findings";
import { PackResourcePolicy } from "../lib/pack-policy";
import { PROBE_HANDLERS, probePortFindings } from "../lib/probes";
import { isAbsent, isUnknown } from "../lib/props";
import { checkIngressContainer, validateWorkloads } from "../lib/validation";
import { ContainerView } from "../lib/workload";

function livenessProbeFindings(container: ContainerView): Finding[] {
    const probe = container.livenessProbe;
    if (isUnknown(probe)) {
        return [needsKnown(probe)];
    }
    if (isAbsent(probe)) {
        return [problem(
            `${container.label} has no liveness probe, so a hung instance keeps serving errors; ` +
            "add livenessProbe: { httpGet: { path: \"/healthz\" } } (or grpc, tcpSocket)",
            probe,
        )];
    }
    return probePortFindings(container, probe, "liveness probe");
}

export const cloudrunServiceLivenessProbe: PackResourcePolicy = {
    name: "cloudrun-service-liveness-probe",
    description:
        "Warns when a service's ingress container has no liveness probe, so a hung instance would keep getting traffic. " +
        "Add a liveness probe on the container port.",
    enforcementLevel: "advisory",
    severity: "medium",
    remediationSteps:
        `Add livenessProbe to the ingress container with exactly one of ${PROBE_HANDLERS.join(", ")}, ` +
        "pointing at a cheap health endpoint on the container port (leave port unset to use it).",
    url: CLOUD_RUN_DOCS.healthChecks,
    validateResource: validateWorkloads(["service"], (view) => checkIngressContainer(view, livenessProbeFindings)),
};
