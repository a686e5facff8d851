/**
 * A tag (":latest", ":v1") can point at a different image tomorrow: `pulumi up` after a push under the same
 * tag sees no change and deploys nothing, and a rollback may not roll back. Every container image of a
 * service, job or worker pool must be pinned by digest.
 */
import { CLOUD_RUN_DOCS } from "../lib/cloud-run-limits";
import { Finding, needsKnown, problem } from "../lib/findings";
import { PackResourcePolicy } from "../lib/pack-policy";
import { asString, isUnknown } from "../lib/props";
import { ALL_WORKLOADS, checkEveryContainer, validateWorkloads } from "../lib/validation";
import { ContainerView, pendingImage } from "../lib/workload";

/** An image reference that ends in a sha256 digest. */
const DIGEST_PINNED_RE = /@sha256:[0-9a-f]{64}$/;

function imageFindings(container: ContainerView): Finding[] {
    if (pendingImage(container)) {
        // Not known yet (the digest of an image built in the same run): Analyze cannot see where it comes from, the
        // stack can; cloudrun-identity-and-image-from-stack decides it. At `pulumi up` this check sees the real reference.
        return [];
    }
    if (isUnknown(container.image)) {
        return [needsKnown(container.image)];
    }
    const image = asString(container.image);
    if (image !== undefined && DIGEST_PINNED_RE.test(image)) {
        return [];
    }
    return [problem(`${container.label}: the image is ${image ? "not pinned by digest (a tag or a bare name)" : "not set"}; ` +
        "use <registry>/<repo>@sha256:<64 hex> (e.g. the docker Image's repoDigest output)", container.image)];
}

export const cloudrunServiceImageDigest: PackResourcePolicy = {
    name: "cloudrun-service-image-digest",
    description:
        "Stops container images referenced by tag (e.g. :latest), which can change under a deployed revision. " +
        "Reference every image by digest (@sha256:<64 hex>).",
    enforcementLevel: "mandatory",
    severity: "medium",
    remediationSteps:
        "Build and push the image in the stack and pass its digest reference (docker.Image repoDigest, or registry/repo@sha256:...) as the container image.",
    url: CLOUD_RUN_DOCS.images,
    validateResource: validateWorkloads(ALL_WORKLOADS, (view) => checkEveryContainer(view, imageFindings)),
};
