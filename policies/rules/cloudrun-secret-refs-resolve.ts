/**
 * A revision whose secret does not exist never becomes ready. Every secret a Cloud Run service, job or worker
 * pool reads must be a Secret Manager secret (global or regional) created in this stack, or declared as
 * managed elsewhere.
 */
import { CLOUD_RUN_DOCS, SECRET_NAME_PATTERN, SECRET_NAME_WORDS, SecretName, parseSecretName } from "../lib/cloud-run-limits";
import { definePolicyConfig, patternedString } from "../lib/config";
import { adviseUndecided, messageAt } from "../lib/findings";
import { PropNode } from "../lib/props";
import { PackStackPolicy } from "../lib/pack-policy";
import { RESOURCE_TYPES } from "../lib/resource-types";
import { secretNamesMatch, workloadSecretRefs } from "../lib/secret-graph";
import { cloudRunWorkloadsIn, stackResources } from "../lib/stack-graph";

const config = definePolicyConfig("cloudrun-secret-refs-resolve", {
    externalSecrets: {
        type: "array",
        items: patternedString(SECRET_NAME_PATTERN, SECRET_NAME_WORDS),
        default: [] as string[],
        description: "Secrets managed outside this stack (\"<id>\", \"projects/<p>/secrets/<id>\" or a regional path) that workloads may reference.",
    },
});

export const cloudrunSecretRefsResolve: PackStackPolicy = {
    name: "cloudrun-secret-refs-resolve",
    description:
        "Team requirement: every secret a Cloud Run service, job or worker pool reads is created in this stack or listed in externalSecrets, " +
        "so a missing secret (the revision would never become ready) shows in review. " +
        `Create each referenced secret as ${RESOURCE_TYPES.secret} (or a RegionalSecret) in the stack, or list it in externalSecrets.`,
    enforcementLevel: "mandatory",
    severity: "critical",
    remediationSteps:
        "For each secretKeyRef, create new gcp.secretmanager.Secret(..., { secretId: \"<id>\", replication: { auto: {} } }) plus a SecretVersion, " +
        "and reference it by secretId (or the Secret's id output); for a secret owned by another stack, add its id to externalSecrets.",
    url: CLOUD_RUN_DOCS.secrets,
    configSchema: config.schema,
    validateStack: (args, reportViolation) => {
        const external = config.read(args).externalSecrets.flatMap((e) => parseSecretName(e) ?? []);
        const isExternal = (name: SecretName) => external.some((e) => secretNamesMatch(name, e));
        const all = stackResources(args.resources);
        const undecided: PropNode[] = [];
        for (const { workload, view } of cloudRunWorkloadsIn(all)) {
            const urn = workload.resource.urn;
            const refs = workloadSecretRefs(workload, view, all);
            for (const { use, key } of refs.named) {
                if (key.urn === undefined && !(key.name && isExternal(key.name))) {
                    reportViolation(messageAt(use.secret, `${use.where} reads secret ${key.label}, which is neither a Secret Manager secret in this stack ` +
                        "nor listed in externalSecrets; create it in the stack or list it"), urn);
                }
            }
            for (const use of refs.malformed) {
                reportViolation(messageAt(use.secret, `${use.where}: the secret reference is not a secret id or projects/<p>/secrets/<id>`), urn);
            }
            // A reference not known yet that leads to no secret in the stack: nothing certain to say before apply.
            if (refs.pending.length > 0 && refs.dependencySecrets.length === 0) {
                undecided.push(refs.pending[0]);
            }
        }
        adviseUndecided(undecided);
    },
};
