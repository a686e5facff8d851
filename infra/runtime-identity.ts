/**
 * The revision's own service account. Cloud Run would otherwise run as the Compute Engine default account,
 * which has broad project access; this account gets only what the service needs (per-secret accessor grants).
 */
import * as pulumi from "@pulumi/pulumi";
import { Account } from "@pulumi/gcp/serviceaccount/account";
import { recordConfigSources } from "./config-sources";

export interface RuntimeIdentityArgs {
    project: string;
    /** Service account id (6-30 chars). */
    accountId: string;
    /** The Cloud Run service this identity runs. */
    serviceName: string;
}

export class RuntimeIdentity extends pulumi.ComponentResource {
    /** The service account resource. */
    public readonly account: Account;
    /** The account's email, set as the revision's serviceAccount. */
    public readonly email: pulumi.Output<string>;
    /** The IAM member form, "serviceAccount:<email>". */
    public readonly member: pulumi.Output<string>;

    constructor(name: string, args: RuntimeIdentityArgs, opts?: pulumi.ComponentResourceOptions) {
        super("cloudrun-staging:infra:RuntimeIdentity", name, {}, opts);
        this.account = new Account(name, {
            project: args.project,
            accountId: args.accountId,
            displayName: `${args.serviceName} Cloud Run runtime`,
            description: `Runtime identity of the ${args.serviceName} Cloud Run service; holds only per-secret grants.`,
        }, { parent: this });
        recordConfigSources(this.account, pulumi.getProject(), { "": "service.runtimeServiceAccountId" });
        this.email = this.account.email;
        this.member = pulumi.interpolate`serviceAccount:${this.account.email}`;
        this.registerOutputs({ email: this.email, member: this.member });
    }
}
