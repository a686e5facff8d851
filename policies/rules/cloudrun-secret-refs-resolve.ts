/**
 * A revision whose secret does not exist never becomes ready. Every secret a Cloud Run service, job or worker
 * pool reads must be a Secret Manager secret (global or regional) created in this stack, or declared as
 * managed elsewhere.
 */
import { CLOUD_RUN_DOCS, SECRET_NAME_PATTERN, SecretName, parseSecretName } from "../lib/cloud-run-limits";
import { definePolicyConfig } from "../lib/config";
import { PackStackPolicy } from "../lib/pack-policy";
import { RESOURCE_TYPES } from "../lib/resource-types";
import { secretNamesMatch, workloadSecretRefs } from "../lib/secret-graph";
import { cloudRunWorkloadsIn, stackResources } from "../lib/stack-graph";

const config = definePolicyConfig("cloudrun-secret-refs-resolve", {
    externalSecrets: {
        type: "array",
        items: { type: "string", pattern: SECRET_NAME_PATTERN },
        default: [] as string[],
        description: "Secrets managed outside this stack (\"<id>\", \"projects/<p>/secrets/<id>\" or a regional path) that workloads may reference.",
    },
});

export const cloudrunSecretRefsResolve: PackStackPolicy = {
    name: "cloudrun-secret-refs-resolve",
    description:
        "Stops Cloud Run services, jobs and worker pools that reference a secret this stack does not create (the revision would never become ready). " +
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
        for (const { workload, view } of cloudRunWorkloadsIn(all)) {
            const urn = workload.resource.urn;
            const refs = workloadSecretRefs(workload, view, all);
            for (const { where, key } of refs.named) {
                if (key.urn === undefined && !(key.name && isExternal(key.name))) {
                    reportViolation(`${where} reads secret ${key.label}, which is neither a Secret Manager secret in this stack ` +
                        "nor listed in externalSecrets; create it in the stack or list it", urn);
                }
            }
            for (const { where } of refs.malformed) {
                reportViolation(`${where}: the secret reference is not a secret id or projects/<p>/secrets/<id>`, urn);
            }
            if (refs.pending.length > 0 && refs.dependencySecrets.length === 0) {
                reportViolation(`could not verify the secret references at ${refs.pending.map((p) => p.where).join(", ")}: they are not known during preview ` +
                    `and the ${view.noun} depends on no Secret Manager secret in this stack; reference secrets created in this stack (or literal ids listed in externalSecrets)`, urn);
            }
        }
    },
};
