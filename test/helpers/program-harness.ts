/**
 * Runs the real staging program (index.ts) under the SDK's mocks with Pulumi.staging.yaml, optionally edited,
 * and gives tests typed access to what it registered.
 */
import * as path from "path";
import { CapturedResource, RunResult, runProgramUnderMocks } from "../../tools/program-runner";
import { StackConfigMap, readStackConfig } from "../../tools/stack-config";

export const PROJECT_DIR = path.resolve(__dirname, "../..");
export const PROGRAM = path.join(PROJECT_DIR, "index.ts");
export const NS = "cloudrun-staging";

/** Pulumi.staging.yaml as the runtime receives it. */
export function stagingConfig(): StackConfigMap {
    return readStackConfig(PROJECT_DIR, "staging");
}

/** A copy of the config with one object-valued key edited (the edit receives the parsed value). */
export function editKey(config: StackConfigMap, key: string, edit: (value: any) => any): StackConfigMap {
    const values = { ...config.values };
    const current = values[key] === undefined ? undefined : JSON.parse(values[key]);
    const next = edit(current);
    if (next === undefined) {
        delete values[key];
    } else {
        values[key] = typeof next === "string" ? next : JSON.stringify(next);
    }
    return { ...config, values };
}

/** Runs the program with the given config (default: staging) in normal or preview mode. */
export function runStaging(options: { preview?: boolean; config?: StackConfigMap } = {}): Promise<RunResult> {
    const config = options.config ?? stagingConfig();
    return runProgramUnderMocks({
        programPath: PROGRAM,
        project: config.project,
        stack: config.stack,
        preview: options.preview ?? false,
        config: config.values,
        secretKeys: config.secretKeys,
    });
}

/** Cloud (custom) resources only: components are not cloud resources. */
export function cloudResources(result: RunResult): CapturedResource[] {
    return result.resources.filter((r) => r.custom);
}

/** All captured resources of a type. */
export function ofType(result: RunResult, type: string): CapturedResource[] {
    return result.resources.filter((r) => r.type === type);
}

/** The single resource of a type (fails loudly when there is not exactly one). */
export function single(result: RunResult, type: string): CapturedResource {
    const found = ofType(result, type);
    if (found.length !== 1) {
        throw new Error(`expected exactly one ${type}, found ${found.length}`);
    }
    return found[0];
}

/** The wire form of a resource's inputs (unknowns as the engine's sentinels). */
export function wire(resource: CapturedResource): Record<string, any> {
    return resource.properties.toJavaScript() as Record<string, any>;
}

/** The engine's unknown-string sentinel. */
export { UNKNOWN } from "../../tools/analyzer/properties";

/** Type tokens, spelled out here on purpose: a typo in the program or the pack cannot hide behind a shared constant. */
export const TYPES = {
    service: "gcp:cloudrunv2/service:Service",
    invoker: "gcp:cloudrunv2/serviceIamMember:ServiceIamMember",
    account: "gcp:serviceaccount/account:Account",
    secret: "gcp:secretmanager/secret:Secret",
    grant: "gcp:secretmanager/secretIamMember:SecretIamMember",
    connector: "gcp:vpcaccess/connector:Connector",
    repository: "gcp:artifactregistry/repository:Repository",
    image: "docker:index/image:Image",
} as const;
