/**
 * Env secrets are read once when an instance starts, so "latest" lets instances of one revision run with
 * different values after a rotation. Advisory: pin a version and roll it with a new revision.
 */
import { CLOUD_RUN_DOCS, SECRET_VERSION_LATEST, show } from "../lib/cloud-run-limits";
import { ContainerView } from "../lib/cloud-run-service";
import { Finding, needsKnown, problem } from "../lib/findings";
import { PackResourcePolicy } from "../lib/pack-policy";
import { asString, isAbsent, isPresent, isUnknown } from "../lib/props";
import { checkEveryContainer, validateServices } from "../lib/validation";

function unpinnedSecretFindings(container: ContainerView): Finding[] {
    return container.env
        .filter((env) => isPresent(env.secretKeyRef))
        .flatMap((env): Finding[] => {
            if (isUnknown(env.secretKeyRef) || isUnknown(env.version)) {
                return [needsKnown(isUnknown(env.secretKeyRef) ? env.secretKeyRef : env.version)];
            }
            const where = `${container.label} env ${asString(env.name) ?? "(unnamed)"}`;
            if (isAbsent(env.version) || env.version.value === SECRET_VERSION_LATEST) {
                return [problem(`${where} reads secret version ${isAbsent(env.version) ? "(unset, i.e. latest)" : show(env.version.value)}; pin a numbered version`)];
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
    validateResource: validateServices((view) => checkEveryContainer(view, unpinnedSecretFindings)),
};
