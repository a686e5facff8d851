/**
 * Env secrets are read once when an instance starts, so "latest" lets instances of one revision run with
 * different values after a rotation. Advisory: pin a version (a number or an alias) and roll it with a new
 * revision.
 */
import { CLOUD_RUN_DOCS, SECRET_VERSION_LATEST } from "../lib/cloud-run-limits";
import { Finding, needsKnown, problem } from "../lib/findings";
import { PackResourcePolicy } from "../lib/pack-policy";
import { isAbsent, isPresent, isUnknown, zeroAsAbsent } from "../lib/props";
import { nameText } from "../lib/safe-text";
import { ALL_WORKLOADS, checkEveryContainer, validateWorkloads } from "../lib/validation";
import { ContainerView } from "../lib/workload";

function unpinnedSecretFindings(container: ContainerView): Finding[] {
    return container.env
        .filter((env) => isPresent(zeroAsAbsent(env.secretKeyRef)))
        .flatMap((env): Finding[] => {
            const version = zeroAsAbsent(env.version);
            if (isUnknown(env.secretKeyRef) || isUnknown(version)) {
                return [needsKnown(isUnknown(env.secretKeyRef) ? env.secretKeyRef : version)];
            }
            const where = `${container.label} env ${nameText(env.name.value, "env") ?? "(unnamed)"}`;
            if (isAbsent(version) || version.value === SECRET_VERSION_LATEST) {
                return [problem(`${where} reads secret version ${isAbsent(version) ? "(unset, i.e. latest)" : SECRET_VERSION_LATEST}; pin a numbered version`, version)];
            }
            return [];
        });
}

export const cloudrunServiceSecretVersionPinned: PackResourcePolicy = {
    name: "cloudrun-service-secret-version-pinned",
    description:
        "Warns when an env secret reads the \"latest\" (or an unset) version, which changes under running instances after a rotation. " +
        "Pin a numbered secret version.",
    enforcementLevel: "advisory",
    severity: "low",
    remediationSteps:
        "Set valueSource.secretKeyRef.version (v1: valueFrom.secretKeyRef.key) to the numbered version, e.g. the SecretVersion's version output, " +
        "and deploy a new revision when the secret rotates.",
    url: CLOUD_RUN_DOCS.secrets,
    validateResource: validateWorkloads(ALL_WORKLOADS, (view) => checkEveryContainer(view, unpinnedSecretFindings)),
};
