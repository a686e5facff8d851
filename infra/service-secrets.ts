/**
 * Secret env vars: for each mapping, the Secret Manager secret (created here, or an existing one) and a
 * roles/secretmanager.secretAccessor grant for the runtime identity on THAT secret only. Values are added out of
 * band (`gcloud secrets versions add`), never through Pulumi, so they never reach config or state.
 */
import * as pulumi from "@pulumi/pulumi";
import type * as inputs from "@pulumi/gcp/types/input";
import { Secret } from "@pulumi/gcp/secretmanager/secret";
import { SecretIamMember } from "@pulumi/gcp/secretmanager/secretIamMember";
import { SECRET_ACCESSOR_ROLE } from "../policies/lib/cloud-run-limits";
import type { SecretMapping } from "./config";
import { recordConfigSources } from "./config-sources";

export interface ServiceSecretsArgs {
    secrets: readonly SecretMapping[];
    /** The IAM member that reads the secrets ("serviceAccount:<email>"). */
    accessorMember: pulumi.Input<string>;
    labels: Record<string, string>;
}

export class ServiceSecrets extends pulumi.ComponentResource {
    /** Container env entries, each a secretKeyRef to its secret and pinned version. */
    public readonly envs: inputs.cloudrunv2.ServiceTemplateContainerEnv[];
    /** The accessor grants; the service depends on them so no revision starts before it can read its secrets. */
    public readonly grants: SecretIamMember[];
    /** Secret resource names (projects/<p>/secrets/<id>) by env var name. */
    public readonly secretNames: pulumi.Output<Record<string, string>>;

    constructor(name: string, args: ServiceSecretsArgs, opts?: pulumi.ComponentResourceOptions) {
        super("cloudrun-staging:infra:ServiceSecrets", name, {}, opts);
        const refs = args.secrets.map((mapping) => secretRef(this, name, mapping, args.labels));
        this.grants = args.secrets.map((mapping, i) => {
            const grant = new SecretIamMember(`${name}-${resourceSuffix(mapping.envName)}-accessor`, {
                project: mapping.project,
                secretId: refs[i].grantTarget,
                role: SECRET_ACCESSOR_ROLE,
                member: args.accessorMember,
            }, { parent: this });
            recordConfigSources(grant, pulumi.getProject(), { "": `secrets.${mapping.envName}` });
            return grant;
        });
        this.envs = args.secrets.map((mapping, i) => ({
            name: mapping.envName,
            valueSource: { secretKeyRef: { secret: refs[i].envSecret, version: mapping.version } },
        }));
        this.secretNames = pulumi.output(Object.fromEntries(
            args.secrets.map((mapping) => [mapping.envName, `projects/${mapping.project}/secrets/${mapping.secretId}`]),
        ));
        this.registerOutputs({ secretNames: this.secretNames });
    }
}

/** How the service and the grant refer to one secret. */
interface SecretRef {
    /** For secretKeyRef.secret: the id itself, or a full path for a secret in another project. */
    envSecret: pulumi.Input<string>;
    /** For the grant's secretId: the secret resource's id, so the grant depends on the secret it names. */
    grantTarget: pulumi.Input<string>;
}

function secretRef(parent: pulumi.Resource, name: string, mapping: SecretMapping, labels: Record<string, string>): SecretRef {
    if (mapping.mode === "reuse") {
        const path = `projects/${mapping.project}/secrets/${mapping.secretId}`;
        return { envSecret: path, grantTarget: path };
    }
    const secret = new Secret(`${name}-${resourceSuffix(mapping.envName)}`, {
        project: mapping.project,
        secretId: mapping.secretId,
        replication: { auto: {} },
        labels,
    }, { parent });
    recordConfigSources(secret, pulumi.getProject(), { "": `secrets.${mapping.envName}`, secretId: `secrets.${mapping.envName}.secretId` });
    return { envSecret: secret.secretId, grantTarget: secret.id };
}

/** DATABASE_URL → database-url: a readable, URN-safe resource name suffix. */
function resourceSuffix(envName: string): string {
    return envName.toLowerCase().replace(/_/g, "-");
}
