/**
 * In a preview, a revision's service account and image are often not known yet: the runtime account is created and
 * the image built and pushed in the same run. Analyze carries no propertyDependencies, so
 * cloudrun-service-identity-and-ingress and cloudrun-service-image-digest decide every known value and leave exactly
 * these unknowns (the field itself unknown, not a whole template or container) to this stack policy, which can see
 * where they come from. At `pulumi up` those resource policies see the real values before the revision is deployed,
 * so this preview verdict is never the last word. One stack policy for both, as both ask the same question of the
 * template's dependencies.
 *
 * What the stack proves, and what it does not: propertyDependencies are per top-level property, so `template` lists
 * every resource whose outputs went anywhere into the revision template, not which field each one fed.
 * - A value computed from a known output is known (the program gets the outputs the stack shows), so a resource can
 *   be where an unknown field came from only while the output that field would carry is not known yet either: an
 *   Account's email, an image's digest. For the same reason an image's tag must be known: then the unknown is not it.
 * - With such a resource among `template`'s dependencies the field is taken to be its output. An Account's email is
 *   <id>@<project>.iam.gserviceaccount.com, never the default compute account: a dedicated identity. A pushed image's
 *   repoDigest (docker-build: digest, ref) names it by digest: pinned.
 * - It cannot rule out that the unknown came from another dependency while that resource fed some other field (an
 *   env value, say), nor that @pulumi/docker's baseImageName (the tag again, not reported in a preview) was deployed;
 *   the resource policies at `pulumi up` cover both with the real values.
 * Anything else not known yet stays undecided: the engine's "can't run during preview" advisory.
 */
import { CLOUD_RUN_DOCS } from "../lib/cloud-run-limits";
import { adviseUndecided } from "../lib/findings";
import { PackStackPolicy } from "../lib/pack-policy";
import { PropNode, asString, at, firstUnknownWithin, isUnknown } from "../lib/props";
import { RESOURCE_TYPES } from "../lib/resource-types";
import { StackResource, cloudRunWorkloadsIn, dependenciesOf, isPendingOutput, stackResources } from "../lib/stack-graph";
import { WorkloadView, pendingImage, pendingServiceAccount } from "../lib/workload";

/** True when the Account is still to be created, so its email may be the service account not known yet. */
function accountStillToCreate(account: StackResource): boolean {
    return isPendingOutput(at(account.root, "email"));
}

/** Per image resource type: whether it is still to push an image whose digest reference the revision may be given. */
const PUSHES_BY_DIGEST: Readonly<Record<string, (image: StackResource) => boolean>> = {
    // @pulumi/docker Image: repoDigest (<repository>@sha256:<hex>) is set by the push; imageName is the pushed tag.
    [RESOURCE_TYPES.dockerImage]: ({ root }) =>
        isPendingOutput(at(root, "repoDigest")) && asString(at(root, "imageName")) !== undefined && at(root, "skipPush").value !== true,
    // @pulumi/docker-build Image: digest (and ref, <tag>@<digest>) are set by the push; tags are the mutable names.
    [RESOURCE_TYPES.dockerBuildImage]: ({ root }) =>
        isPendingOutput(at(root, "digest")) && at(root, "push").value === true && firstUnknownWithin(at(root, "tags")) === undefined,
};

/** The workload's service account and images not known yet that no resource of the stack accounts for. */
function undecided(workload: StackResource, view: WorkloadView, all: readonly StackResource[]): PropNode[] {
    const fromTemplate = (types: string | readonly string[], produces: (candidate: StackResource) => boolean) =>
        dependenciesOf(workload, "template", types, all).some(produces);
    const account = pendingServiceAccount(view);
    const images = isUnknown(view.containerList) ? [] : view.containers.flatMap((container) => pendingImage(container) ?? []);
    return [
        ...(account && !fromTemplate(RESOURCE_TYPES.serviceAccount, accountStillToCreate) ? [account] : []),
        ...(images.length > 0 && !fromTemplate(Object.keys(PUSHES_BY_DIGEST), (image) => PUSHES_BY_DIGEST[image.resource.type](image)) ? images : []),
    ];
}

export const cloudrunIdentityAndImageFromStack: PackStackPolicy = {
    name: "cloudrun-identity-and-image-from-stack",
    description:
        "Decides in preview the service account and images that cloudrun-service-identity-and-ingress and cloudrun-service-image-digest cannot " +
        "see yet: the email of a gcp.serviceaccount.Account created in this stack is a dedicated identity, the digest of an image this stack pushes " +
        "is pinned; any other value not known yet is reported as not checkable. Take both from resources the stack creates.",
    enforcementLevel: "mandatory",
    severity: "high",
    remediationSteps:
        "Set template.serviceAccount (v1: template.spec.serviceAccountName; jobs: template.template.serviceAccount) to the email of a " +
        "gcp.serviceaccount.Account created in the stack, and each container image to the repoDigest of a docker.Image the stack pushes " +
        "(docker-build: ref of an Image with push: true); or set either to a known value.",
    url: CLOUD_RUN_DOCS.serviceIdentity,
    validateStack: (args) => {
        const all = stackResources(args.resources);
        adviseUndecided(cloudRunWorkloadsIn(all).flatMap(({ workload, view }) => undecided(workload, view, all)));
    },
};
