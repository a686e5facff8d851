/**
 * The Cloud Run v2 service: one gen2 revision template built from the plan, with probes derived from the startup
 * budget, secret env from Secret Manager, the runtime identity, VPC egress, non-public ingress and an explicit
 * invoker list.
 */
import * as pulumi from "@pulumi/pulumi";
import type * as inputs from "@pulumi/gcp/types/input";
import { Service } from "@pulumi/gcp/cloudrunv2/service";
import { ServiceIamMember } from "@pulumi/gcp/cloudrunv2/serviceIamMember";
import { INVOKER_ROLE } from "../policies/lib/cloud-run-limits";
import type { StagingPlan } from "./config";
import { recordConfigSources } from "./config-sources";
import { LIVENESS, startupTimingFor } from "./probes";

export interface BackendServiceArgs {
    project: string;
    region: string;
    service: StagingPlan["service"];
    /** Digest-pinned image reference. */
    image: pulumi.Input<string>;
    serviceAccountEmail: pulumi.Input<string>;
    /** Secret env entries (secretKeyRef). */
    secretEnvs: inputs.cloudrunv2.ServiceTemplateContainerEnv[];
    vpcAccess: inputs.cloudrunv2.ServiceTemplateVpcAccess;
    /** The stack config key behind each vpcAccess field, relative to vpcAccess ("" for the block). */
    vpcAccessConfigKeys: Readonly<Record<string, string>>;
    /** Resources the revision must not be created before (the secret accessor grants). */
    readyAfter: pulumi.Resource[];
}

export class BackendService extends pulumi.ComponentResource {
    /** The Cloud Run service. */
    public readonly service: Service;
    /** The service's URL. */
    public readonly url: pulumi.Output<string>;
    /** The service's name. */
    public readonly name: pulumi.Output<string>;
    /** The latest revision created from the template. */
    public readonly latestRevision: pulumi.Output<string>;

    constructor(name: string, args: BackendServiceArgs, opts?: pulumi.ComponentResourceOptions) {
        super("cloudrun-staging:infra:BackendService", name, {}, opts);
        const s = args.service;
        this.service = new Service(name, {
            project: args.project,
            location: args.region,
            name: s.name,
            ingress: s.ingress,
            invokerIamDisabled: false,
            deletionProtection: s.deletionProtection,
            labels: s.labels,
            template: {
                serviceAccount: args.serviceAccountEmail,
                executionEnvironment: "EXECUTION_ENVIRONMENT_GEN2",
                timeout: `${s.requestTimeoutSeconds}s`,
                maxInstanceRequestConcurrency: s.scaling.concurrency,
                scaling: { minInstanceCount: s.scaling.minInstances, maxInstanceCount: s.scaling.maxInstances },
                vpcAccess: args.vpcAccess,
                labels: s.labels,
                containers: [{
                    image: args.image,
                    ports: { containerPort: s.port, name: "http1" },
                    resources: {
                        limits: { cpu: s.resources.cpu, memory: s.resources.memory },
                        cpuIdle: s.cpuIdle,
                        startupCpuBoost: s.startupCpuBoost,
                    },
                    startupProbe: { ...startupTimingFor(s.startupBudgetSeconds), httpGet: { path: s.probes.startupPath, port: s.port } },
                    livenessProbe: { ...LIVENESS, httpGet: { path: s.probes.livenessPath, port: s.port } },
                    envs: [...plainEnvs(s.env), ...args.secretEnvs],
                }],
            },
        }, { parent: this, dependsOn: args.readyAfter });
        recordConfigSources(this.service, pulumi.getProject(), serviceConfigSources(s, args.secretEnvs, args.vpcAccessConfigKeys));
        s.invokers.forEach((member, i) => {
            const invoker = new ServiceIamMember(`${name}-invoker-${i}`, {
                project: args.project,
                location: args.region,
                name: this.service.name,
                role: INVOKER_ROLE,
                member,
            }, { parent: this });
            recordConfigSources(invoker, pulumi.getProject(), { "": `service.invokers[${i}]` });
        });
        this.url = this.service.uri;
        this.name = this.service.name;
        this.latestRevision = this.service.latestCreatedRevision;
        this.registerOutputs({ url: this.url, name: this.name, latestRevision: this.latestRevision });
    }
}

/** The stack config key behind each field of the service above (see config-sources.ts). */
function serviceConfigSources(
    s: StagingPlan["service"],
    secretEnvs: readonly inputs.cloudrunv2.ServiceTemplateContainerEnv[],
    vpcAccessKeys: Readonly<Record<string, string>>,
): Record<string, string> {
    const container = "template.containers[0]";
    const plainCount = Object.keys(s.env).length;
    const plainEnv = Object.keys(s.env).map((env, i) => [`${container}.envs[${i}]`, `service.env.${env}`]);
    // A secret env entry comes from its secrets.<NAME> mapping: the reference from secretId, the version from version.
    const secretEnv = secretEnvs.flatMap((env, i) => {
        const key = typeof env.name === "string" ? `secrets.${env.name}` : "secrets";
        const at = `${container}.envs[${plainCount + i}]`;
        return [[at, key], [`${at}.valueSource.secretKeyRef.secret`, `${key}.secretId`], [`${at}.valueSource.secretKeyRef.version`, `${key}.version`]];
    });
    // No entry for the whole service: a violation that names no field is shown at the resource, not at a
    // config key that may have nothing to do with it.
    return {
        name: "service.name",
        ingress: "service.ingress",
        deletionProtection: "service.deletionProtection",
        labels: "service.labels",
        "template.serviceAccount": "service.runtimeServiceAccountId",
        "template.timeout": "service.requestTimeoutSeconds",
        "template.maxInstanceRequestConcurrency": "service.scaling.concurrency",
        "template.scaling": "service.scaling",
        "template.scaling.minInstanceCount": "service.scaling.minInstances",
        "template.scaling.maxInstanceCount": "service.scaling.maxInstances",
        ...Object.fromEntries(Object.entries(vpcAccessKeys).map(([field, key]) => [field ? `template.vpcAccess.${field}` : "template.vpcAccess", key])),
        "template.labels": "service.labels",
        [`${container}.image`]: "image",
        [`${container}.ports`]: "service.port",
        [`${container}.resources`]: "service.resources",
        [`${container}.resources.limits.cpu`]: "service.resources.cpu",
        [`${container}.resources.limits.memory`]: "service.resources.memory",
        [`${container}.resources.cpuIdle`]: "service.cpuIdle",
        [`${container}.resources.startupCpuBoost`]: "service.startupCpuBoost",
        // The probe's timing is derived from the startup budget; its path is configured directly.
        [`${container}.startupProbe`]: "service.startupBudgetSeconds",
        [`${container}.startupProbe.httpGet.path`]: "service.probes.startupPath",
        [`${container}.startupProbe.httpGet.port`]: "service.port",
        [`${container}.livenessProbe`]: "service.probes.livenessPath",
        [`${container}.livenessProbe.httpGet.port`]: "service.port",
        ...Object.fromEntries([...plainEnv, ...secretEnv]),
    };
}

function plainEnvs(env: Record<string, string>): inputs.cloudrunv2.ServiceTemplateContainerEnv[] {
    return Object.entries(env).map(([name, value]) => ({ name, value }));
}
