/**
 * Without a liveness probe an instance that hangs after startup keeps receiving traffic until it is
 * recycled. Advisory: the revision still deploys.
 */
import { CLOUD_RUN_DOCS } from "../lib/cloud-run-limits";
import { ContainerView } from "../lib/cloud-run-service";
import { Finding, needsKnown, problem } from "../lib/findings";
import { PackResourcePolicy } from "../lib/pack-policy";
import { PROBE_KINDS, probeKindsFindings, probePortFindings } from "../lib/probes";
import { isAbsent, isUnknown } from "../lib/props";
import { checkServingContainer, validateServices } from "../lib/validation";

function livenessProbeFindings(container: ContainerView): Finding[] {
    const probe = container.livenessProbe;
    if (isUnknown(probe)) {
        return [needsKnown(probe)];
    }
    if (isAbsent(probe)) {
        return [problem(
            `${container.label} has no liveness probe, so a hung instance keeps serving errors; ` +
            "add livenessProbe: { httpGet: { path: \"/healthz\" } } (or grpc)",
        )];
    }
    return [
        ...probeKindsFindings(container, probe, PROBE_KINDS.liveness, "liveness probe"),
        ...probePortFindings(container, probe, PROBE_KINDS.liveness, "liveness probe"),
    ];
}

export const cloudrunServiceLivenessProbe: PackResourcePolicy = {
    name: "cloudrun-service-liveness-probe",
    description:
        "Warns when the serving container has no usable liveness probe, so a hung instance would keep getting traffic. " +
        "Add an HTTP or gRPC liveness probe on the container port.",
    enforcementLevel: "advisory",
    severity: "medium",
    remediationSteps:
        `Add livenessProbe to the serving container with exactly one of ${PROBE_KINDS.liveness.join(" or ")}, ` +
        "pointing at a cheap health endpoint on the container port (leave port unset to use it).",
    url: CLOUD_RUN_DOCS.healthChecks,
    validateResource: validateServices((view) => checkServingContainer(view, livenessProbeFindings)),
};
