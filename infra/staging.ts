/**
 * The staging program: stack config → one parsed plan → components → resources. Everything that can be checked
 * before the first resource is checked here first, so bad input registers nothing.
 */
import * as pulumi from "@pulumi/pulumi";
import { BackendService } from "./backend-service";
import { buildContextProblems } from "./build-context";
import { StackConfigError, StagingPlan, parseStagingPlan } from "./config";
import { RuntimeIdentity } from "./runtime-identity";
import { ServiceImage } from "./service-image";
import { ServiceSecrets } from "./service-secrets";
import { VpcEgress } from "./vpc-egress";
import { readStackConfig, stackConflicts } from "../tools/stack-config";

/** The stack outputs. */
export interface StagingOutputs {
    /** The service's URL. */
    serviceUrl: pulumi.Output<string>;
    /** The Cloud Run service name. */
    serviceName: pulumi.Output<string>;
    /** The latest revision created. */
    latestRevision: pulumi.Output<string>;
    /** The runtime service account's email. */
    runtimeServiceAccount: pulumi.Output<string>;
    /** Secret resource names by env var. */
    secretNames: pulumi.Output<Record<string, string>>;
    /** The VPC connector id, when the service uses a connector. */
    connectorId: pulumi.Output<string | undefined>;
    /** The deployed image's digest. */
    imageDigest: pulumi.Output<string>;
}

/** Where relative build contexts are resolved: the project root. */
export interface ProgramOptions {
    projectDir: string;
}

/**
 * Reads the stack's config from the Pulumi runtime and validates it into a plan (throws StackConfigError). The
 * stack file itself is read only for what the runtime does not say: where a secure value sits inside a structured
 * key, and which other stack files claim the same service or connector (warnings, never failures).
 */
export function loadStagingPlan(options: ProgramOptions): StagingPlan {
    const stack = pulumi.getStack();
    const stackFile = `Pulumi.${stack}.yaml`;
    // Through the engine, `pulumi preview`/`up` shows these as warnings. Without one (under mocks: the offline
    // check, tests) the SDK would print them straight to stderr, past the caller's own report: callers there ask
    // stackConflicts themselves.
    if (pulumi.runtime.getEngine() !== undefined) {
        for (const warning of stackConflicts(options.projectDir, stack)) {
            void pulumi.log.warn(warning);
        }
    }
    const values = pulumi.runtime.allConfig();
    const secretKeys = Object.keys(values).filter(isConfigSecret);
    const plan = parseStagingPlan({
        namespace: pulumi.getProject(),
        stack: pulumi.getStack(),
        values,
        secretKeys,
        securePaths: secretKeys.length > 0 ? securePathsInStackFile(options.projectDir, stack) : [],
        stackFile,
    });
    if (plan.image.kind === "build") {
        const problems = buildContextProblems(options.projectDir, plan.image);
        if (problems.length > 0) {
            throw new StackConfigError(problems.map((p) => `${pulumi.getProject()}:image.build.${p.field}: ${p.message}`), stackFile);
        }
    }
    return plan;
}

/** Where the stack file's secure values are; none when it cannot be read (config can come from elsewhere). */
function securePathsInStackFile(projectDir: string, stack: string): string[] {
    try {
        return readStackConfig(projectDir, stack).securePaths;
    } catch {
        return [];
    }
}

/** Declares the whole staging environment from a validated plan. */
export function declareStaging(plan: StagingPlan, stack: string): StagingOutputs {
    const { project, region, service } = plan;
    const identity = new RuntimeIdentity(service.name, {
        project, accountId: service.runtimeServiceAccountId, serviceName: service.name,
    });
    const secrets = new ServiceSecrets(service.name, {
        secrets: plan.secrets, accessorMember: identity.member, labels: service.labels,
    });
    const vpc = new VpcEgress(service.name, { project, region, vpc: plan.vpc });
    const image = new ServiceImage(service.name, {
        project, region, serviceName: service.name, tag: stack, image: plan.image, labels: service.labels,
    });
    const backend = new BackendService(service.name, {
        project,
        region,
        service,
        image: image.imageRef,
        serviceAccountEmail: identity.email,
        secretEnvs: secrets.envs,
        vpcAccess: vpc.vpcAccess,
        vpcAccessConfigKeys: vpc.vpcAccessConfigKeys,
        readyAfter: secrets.grants,
    });
    return {
        serviceUrl: backend.url,
        serviceName: backend.name,
        latestRevision: backend.latestRevision,
        runtimeServiceAccount: identity.email,
        secretNames: secrets.secretNames,
        connectorId: vpc.connectorId,
        imageDigest: image.digest,
    };
}

/** The program: validate everything, then declare. */
export function stagingProgram(options: ProgramOptions): StagingOutputs {
    return declareStaging(loadStagingPlan(options), pulumi.getStack());
}

/**
 * Whether a config key holds a secure value. The SDK exports this at run time but keeps it out of its typings;
 * the public Config API only offers getSecret, which cannot tell a secure value from a plain one.
 */
function isConfigSecret(key: string): boolean {
    const runtimeConfig = require("@pulumi/pulumi/runtime/config") as { isConfigSecret?: (k: string) => boolean };
    return runtimeConfig.isConfigSecret?.(key) ?? false;
}
