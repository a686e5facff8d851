/**
 * In a preview the runtime account's email is often not known yet: the account is created in the same run. Analyze
 * carries no propertyDependencies, so cloudrun-service-identity-and-ingress decides every known service account and
 * leaves one that is not known yet to this stack policy, which can see where it comes from. At `pulumi up` that
 * resource policy sees the real value before the revision is deployed, so this preview verdict is never the last.
 *
 * What the stack proves, and what it does not: propertyDependencies are per top-level property, so `template` lists
 * every resource whose outputs went anywhere into the revision template, not which field each one fed.
 * - A value computed from a known output is known (the program gets the outputs the stack shows), so an Account can
 *   be where the unknown service account came from only while its own email is not known yet either.
 * - With such an Account among `template`'s dependencies the field is taken to be its email. An Account's email is
 *   <id>@<project>.iam.gserviceaccount.com, never the default compute account, so it is a dedicated identity.
 * - It cannot rule out that the unknown came from another dependency while the account fed some other field (an
 *   env value, say); the resource policy at `pulumi up` covers that with the real value.
 * Anything else not known yet stays undecided: the engine's "can't run during preview" advisory.
 */
import { CLOUD_RUN_DOCS } from "../lib/cloud-run-limits";
import { adviseUndecided } from "../lib/findings";
import { PackStackPolicy } from "../lib/pack-policy";
import { PropNode, at } from "../lib/props";
import { RESOURCE_TYPES } from "../lib/resource-types";
import { StackResource, cloudRunWorkloadsIn, dependenciesOf, isPendingOutput, stackResources } from "../lib/stack-graph";
import { WorkloadView, pendingServiceAccount } from "../lib/workload";

/** True when the pending service account can be the email of an Account created in this run of the stack. */
function fromAccountInStack(workload: StackResource, all: readonly StackResource[]): boolean {
    return dependenciesOf(workload, "template", RESOURCE_TYPES.serviceAccount, all)
        .some((account) => isPendingOutput(at(account.root, "email")));
}

/** The service account left undecided, if any. */
function undecidedIdentity(workload: StackResource, view: WorkloadView, all: readonly StackResource[]): PropNode | undefined {
    const pending = pendingServiceAccount(view);
    return pending && !fromAccountInStack(workload, all) ? pending : undefined;
}

export const cloudrunIdentityCreatedInStack: PackStackPolicy = {
    name: "cloudrun-identity-created-in-stack",
    description:
        "Decides in preview the service account cloudrun-service-identity-and-ingress cannot see yet: one that is the email of a " +
        "gcp.serviceaccount.Account created in this stack is a dedicated identity; any other value not known yet is reported as not checkable. " +
        "Set the service account to the email output of an Account the stack creates.",
    enforcementLevel: "mandatory",
    severity: "high",
    remediationSteps:
        "Create a gcp.serviceaccount.Account in the stack and set template.serviceAccount (v1: template.spec.serviceAccountName; " +
        "jobs: template.template.serviceAccount) to account.email, or to a known email of a dedicated account.",
    url: CLOUD_RUN_DOCS.serviceIdentity,
    validateStack: (args) => {
        const all = stackResources(args.resources);
        adviseUndecided(cloudRunWorkloadsIn(all).flatMap(({ workload, view }) => undecidedIdentity(workload, view, all) ?? []));
    },
};
