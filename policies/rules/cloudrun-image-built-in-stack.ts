/**
 * In a preview an image built and pushed in the same run has no digest yet, so the container's image is not known.
 * Analyze carries no propertyDependencies, so cloudrun-service-image-digest decides every known image and leaves one
 * that is not known yet to this stack policy, which can see where it comes from. At `pulumi up` that resource policy
 * sees the real reference before the revision is deployed, so this preview verdict is never the last.
 *
 * What the stack proves, and what it does not: propertyDependencies are per top-level property, so `template` lists
 * every resource whose outputs went anywhere into the revision template, not which field each one fed.
 * - A value computed from a known output is known (the program gets the outputs the stack shows), so an image
 *   resource can be where the unknown image came from only while its digest output is not known yet either.
 * - Its tag must be known for the same reason: then the unknown image is not the tag. (@pulumi/docker's Image also
 *   has baseImageName, the same tag, which a preview may not report; a program deploying it passes here and is
 *   stopped by cloudrun-service-image-digest at `pulumi up`.)
 * - It cannot rule out that the unknown came from another dependency while the image fed some other field; the
 *   resource policy at `pulumi up` covers that with the real value.
 * Anything else not known yet stays undecided: the engine's "can't run during preview" advisory.
 */
import { CLOUD_RUN_DOCS } from "../lib/cloud-run-limits";
import { adviseUndecided } from "../lib/findings";
import { PackStackPolicy } from "../lib/pack-policy";
import { PropNode, asString, at, firstUnknownWithin, isUnknown } from "../lib/props";
import { RESOURCE_TYPES } from "../lib/resource-types";
import { StackResource, cloudRunWorkloadsIn, dependenciesOf, isPendingOutput, stackResources } from "../lib/stack-graph";
import { WorkloadView, pendingImage } from "../lib/workload";

/** Per image resource type: whether it is still to push an image whose digest reference the revision may be given. */
const PUSHES_BY_DIGEST: Readonly<Record<string, (image: StackResource) => boolean>> = {
    // @pulumi/docker Image: repoDigest (<repository>@sha256:<hex>) is set by the push; imageName is the pushed tag.
    [RESOURCE_TYPES.dockerImage]: ({ root }) =>
        isPendingOutput(at(root, "repoDigest")) && asString(at(root, "imageName")) !== undefined && at(root, "skipPush").value !== true,
    // @pulumi/docker-build Image: digest (and ref, <tag>@<digest>) are set by the push; tags are the mutable names.
    [RESOURCE_TYPES.dockerBuildImage]: ({ root }) =>
        isPendingOutput(at(root, "digest")) && at(root, "push").value === true && firstUnknownWithin(at(root, "tags")) === undefined,
};

/** True when a pending image can be the digest reference of an image this run of the stack builds and pushes. */
function fromImageBuiltInStack(workload: StackResource, all: readonly StackResource[]): boolean {
    return dependenciesOf(workload, "template", Object.keys(PUSHES_BY_DIGEST), all)
        .some((image) => PUSHES_BY_DIGEST[image.resource.type](image));
}

/** The container images left undecided. An unknown container list is the resource policy's advisory. */
function undecidedImages(workload: StackResource, view: WorkloadView, all: readonly StackResource[]): PropNode[] {
    if (isUnknown(view.containerList)) {
        return [];
    }
    const pending = view.containers.flatMap((container) => pendingImage(container) ?? []);
    return pending.length > 0 && !fromImageBuiltInStack(workload, all) ? pending : [];
}

export const cloudrunImageBuiltInStack: PackStackPolicy = {
    name: "cloudrun-image-built-in-stack",
    description:
        "Decides in preview the container images cloudrun-service-image-digest cannot see yet: one that is the digest output of a docker Image " +
        "built and pushed in this stack is pinned; any other image not known yet is reported as not checkable. " +
        "Deploy the image by the digest output of an image the stack builds (docker.Image repoDigest, docker-build Image ref or digest).",
    enforcementLevel: "mandatory",
    severity: "medium",
    remediationSteps:
        "Build and push the image in the stack (docker.Image with a known imageName, or docker-build Image with push: true and known tags) " +
        "and set the container image to its repoDigest (docker-build: ref), or to a known <registry>/<repo>@sha256:<64 hex>.",
    url: CLOUD_RUN_DOCS.images,
    validateStack: (args) => {
        const all = stackResources(args.resources);
        adviseUndecided(cloudRunWorkloadsIn(all).flatMap(({ workload, view }) => undecidedImages(workload, view, all)));
    },
};
