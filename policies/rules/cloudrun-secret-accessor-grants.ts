/**
 * At deploy Cloud Run checks that the revision's service account can read every secret it references; one
 * missing grant fails the deploy. The runtime service account must hold the accessor role on each secret,
 * through any IAM form in this stack (on the secret: member, binding, policy; or on the project), or the grant
 * must be declared as managed elsewhere. Services, jobs and worker pools.
 */
import { CLOUD_RUN_DOCS, DEFAULT_COMPUTE_SA_RE, SECRET_ACCESSOR_ROLE, parseSecretName } from "../lib/cloud-run-limits";
import { definePolicyConfig } from "../lib/config";
import { adviseUndecided } from "../lib/findings";
import { PropNode } from "../lib/props";
import { PackStackPolicy } from "../lib/pack-policy";
import {
    Identity, SecretKey, grantCovers, grantIndex, runtimeIdentity, secretGrants, secretKeysMatch, secretNamesMatch, workloadSecretRefs,
} from "../lib/secret-graph";
import { cloudRunWorkloadsIn, stackResources } from "../lib/stack-graph";

const WILDCARD = "*";

const config = definePolicyConfig("cloudrun-secret-accessor-grants", {
    externalGrants: {
        type: "array",
        items: {
            type: "object",
            properties: {
                secret: { type: "string", minLength: 1, description: "Secret id, projects/<p>/secrets/<id>, or \"*\"." },
                member: { type: "string", minLength: 1, description: "serviceAccount:<email>, <email>, or \"*\"." },
            },
            required: ["secret", "member"],
            additionalProperties: false,
        },
        default: [] as { secret: string; member: string }[],
        description: "Accessor grants managed outside this stack (e.g. in another stack or at organization level): { secret, member }, \"*\" matching any.",
    },
});

type ExternalGrant = { secret?: unknown; member?: unknown };

function externalGrantCovers(grant: ExternalGrant, secret: SecretKey, identity: Identity): boolean {
    if (typeof grant.secret !== "string" || typeof grant.member !== "string") {
        return false;
    }
    const grantName = parseSecretName(grant.secret);
    const secretOk = grant.secret === WILDCARD || (grantName !== undefined && secret.name !== undefined && secretNamesMatch(secret.name, grantName));
    const email = grant.member.replace(/^serviceAccount:/, "");
    const memberOk = grant.member === WILDCARD ||
        (identity.email !== undefined && identity.email.toLowerCase() === email.toLowerCase()) ||
        (identity.defaultCompute === true && DEFAULT_COMPUTE_SA_RE.test(email));
    return secretOk && memberOk;
}

/** Secrets counted once each (the same secret may be read by several env vars): a key is kept unless an earlier one matches it. */
function distinctSecrets(keys: readonly SecretKey[]): SecretKey[] {
    return keys.filter((key, i) => {
        if (key.urn === undefined && key.name === undefined) {
            return false; // matches nothing, not even itself
        }
        for (let j = 0; j < i; j++) {
            const other = keys[j];
            // Keys match only through the same resource or the same id: only those are compared.
            const related = (other.urn !== undefined && other.urn === key.urn) ||
                (other.name !== undefined && other.name.secretId === key.name?.secretId);
            if (related && secretKeysMatch(other, key)) {
                return false;
            }
        }
        return true;
    });
}

export const cloudrunSecretAccessorGrants: PackStackPolicy = {
    name: "cloudrun-secret-accessor-grants",
    description:
        `Stops Cloud Run services, jobs and worker pools whose runtime service account lacks ${SECRET_ACCESSOR_ROLE} on a secret it reads (the deploy would fail). ` +
        "Team requirement: the grant is in this stack (on the secret: SecretIamMember, SecretIamBinding, SecretIamPolicy; or on the project) or declared in externalGrants.",
    enforcementLevel: "mandatory",
    severity: "critical",
    remediationSteps:
        `For each secret the workload reads add new gcp.secretmanager.SecretIamMember(..., { secretId: secret.id, role: "${SECRET_ACCESSOR_ROLE}", ` +
        "member: serviceAccount.member }) for its template.serviceAccount (a project-level grant also works, but grants every secret); " +
        "for grants made in another stack or above the project add { secret, member } to externalGrants.",
    url: CLOUD_RUN_DOCS.secrets,
    configSchema: config.schema,
    validateStack: (args, reportViolation) => {
        // Items are checked one by one: a hand-written config may hold anything.
        const externalGrants = (config.read(args).externalGrants as unknown[]).filter((g): g is ExternalGrant => typeof g === "object" && g !== null);
        const all = stackResources(args.resources);
        const grantsFor = grantIndex(secretGrants(all));
        const undecided: PropNode[] = [];
        for (const { workload, view } of cloudRunWorkloadsIn(all)) {
            const urn = workload.resource.urn;
            const refs = workloadSecretRefs(workload, view, all);
            // A reference unknown in preview can be any secret the template depends on: require access to all of them.
            const needed = distinctSecrets([...refs.named.map((r) => r.key), ...(refs.pending.length > 0 ? refs.dependencySecrets : [])]);
            if (refs.pending.length > 0 && refs.dependencySecrets.length === 0) {
                undecided.push(refs.pending[0]);
            }
            if (needed.length === 0) {
                continue;
            }
            const identity = runtimeIdentity(workload, view, all);
            if (identity.kind === "unresolved") {
                // Who the revision runs as is not known yet: decided at apply, unless a wildcard grant covers everyone.
                if (needed.some((secret) => !externalGrants.some((g) => g.member === WILDCARD && externalGrantCovers(g, secret, { label: "" })))) {
                    undecided.push(identity.node);
                }
                continue;
            }
            for (const secret of needed) {
                // Several candidates only when the account is not known yet: any one of them may be the runtime
                // identity, so only "none of them can read it" is certain.
                const readers = identity.candidates.filter((candidate) =>
                    grantsFor(secret).some((g) => grantCovers(g, secret, candidate)) || externalGrants.some((g) => externalGrantCovers(g, secret, candidate)));
                if (readers.length === 0) {
                    const who = identity.candidates.map((c) => c.label).join(" or ");
                    reportViolation(`${who} (the ${view.noun}'s runtime service account) has no ${SECRET_ACCESSOR_ROLE} on secret ${secret.label}; ` +
                        `add a SecretIamMember { secretId: <that secret>, role: "${SECRET_ACCESSOR_ROLE}", member: "serviceAccount:<email>" } or list it in externalGrants`, urn);
                }
            }
        }
        adviseUndecided(undecided);
    },
};
