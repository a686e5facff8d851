/**
 * Runs the Pulumi program under the SDK's mock runtime (pulumi.runtime.setMocks) and captures every resource it
 * registers exactly as the engine would see it: type, name, URN, parent, dependencies, property dependencies and
 * the serialized inputs (unknowns as the engine's sentinels in preview). Used by the tests and by `npm run check`.
 *
 * Outputs the mock provider computes are filled in only outside preview; in preview they stay unknown, as in a
 * real `pulumi preview` of a new stack.
 */
import * as pulumi from "@pulumi/pulumi";
import type * as structproto from "google-protobuf/google/protobuf/struct_pb";
import * as path from "path";

/** One registered resource as the engine sees it. */
export interface CapturedResource {
    urn: string;
    type: string;
    name: string;
    custom: boolean;
    parent?: string;
    dependencies: string[];
    propertyDependencies: Record<string, string[]>;
    /** Inputs as sent over the wire (google.protobuf.Struct). */
    properties: structproto.Struct;
    /** Inputs as the mock provider received them (plain values; secrets unwrapped). */
    inputs: Record<string, any>;
    /** The resource's id and outputs as the (mock) provider returned them: unknown in preview. */
    id?: string;
    outputs: Record<string, any>;
}

/** One provider function call the program made. */
export interface CapturedCall {
    token: string;
    inputs: Record<string, any>;
}

export interface RunOptions {
    /** Absolute path of the program's entry module. */
    programPath: string;
    project: string;
    stack: string;
    preview: boolean;
    /** Namespaced config values as the runtime holds them (objects as JSON text). */
    config: Record<string, string>;
    secretKeys?: string[];
}

export interface RunResult {
    resources: CapturedResource[];
    calls: CapturedCall[];
    /** The program's exports (stack outputs), resolved. */
    outputs: Record<string, unknown>;
    /** What the program threw, if it failed. */
    error?: Error;
}

/**
 * Imports the program after installing mocks and config, waits for every registration, and returns what it
 * registered. A program that throws is reported in `error`, with whatever was registered before the throw.
 */
export async function runProgramUnderMocks(options: RunOptions): Promise<RunResult> {
    // The SDK's mock runtime is process-global: two runs at once would mix their resources and modes.
    if (runInProgress) {
        throw new Error("runProgramUnderMocks: another run is in progress in this process; await it first");
    }
    runInProgress = true;
    try {
        return await runOnce(options);
    } finally {
        runInProgress = false;
    }
}

let runInProgress = false;

async function runOnce(options: RunOptions): Promise<RunResult> {
    const resources: CapturedResource[] = [];
    const calls: CapturedCall[] = [];
    const defaults = { project: options.config["gcp:project"] ?? "mock-project", region: options.config["gcp:region"] ?? "us-central1" };
    await pulumi.runtime.setMocks(mockProvider(options.preview, calls, defaults), options.project, options.stack, options.preview);
    pulumi.runtime.setAllConfig(options.config, options.secretKeys ?? []);
    captureRegistrations(resources);

    const programPath = path.resolve(options.programPath);
    forgetModule(programPath);
    let exported: Record<string, unknown> = {};
    let error: Error | undefined;
    try {
        exported = require(programPath);
    } catch (e) {
        error = e instanceof Error ? e : new Error(String(e));
    }
    const outputs = error ? {} : await resolveOutputs(exported);
    await waitForRegistrations();
    return { resources, calls, outputs, error };
}

/** Computed outputs the mock provider returns outside preview, by resource type. */
function computedOutputs(type: string, name: string, inputs: Record<string, any>): Record<string, unknown> {
    switch (type) {
        case "gcp:serviceaccount/account:Account": {
            const email = `${inputs.accountId}@${inputs.project}.iam.gserviceaccount.com`;
            return { email, member: `serviceAccount:${email}`, name: `projects/${inputs.project}/serviceAccounts/${email}` };
        }
        case "gcp:secretmanager/secret:Secret":
            return { name: `projects/${inputs.project}/secrets/${inputs.secretId}` };
        case "gcp:vpcaccess/connector:Connector":
            return { selfLink: `projects/${inputs.project}/locations/${inputs.region}/connectors/${inputs.name}` };
        case "gcp:cloudrunv2/service:Service":
            return { uri: `https://${inputs.name}-mock-${inputs.location}.a.run.app`, latestCreatedRevision: `${inputs.name}-00001-mck` };
        case "docker:index/image:Image": {
            const repository = String(inputs.imageName).replace(/:[^:/]+$/, "");
            return { repoDigest: `${repository}@sha256:${"0".repeat(63)}1` };
        }
        default:
            return { name: inputs.name ?? name };
    }
}

/** The id a created resource gets, in the provider's own format where a policy reads it. */
function resourceId(type: string, name: string, inputs: Record<string, any>): string {
    switch (type) {
        case "gcp:secretmanager/secret:Secret":
            return `projects/${inputs.project}/secrets/${inputs.secretId}`;
        case "gcp:vpcaccess/connector:Connector":
            return `projects/${inputs.project}/locations/${inputs.region}/connectors/${inputs.name}`;
        default:
            return `${name}-id`;
    }
}

/** The project number invokes report (getProject) and the default compute service account is derived from. */
export const MOCK_PROJECT_NUMBER = "123456789012";

/**
 * What the provider's functions return, for the ones programs call before declaring Cloud Run resources: the same
 * fields, derived from the inputs and the provider config, so a program's verdicts do not depend on an empty mock.
 * Shapes from @pulumi/gcp's Get*Result types (organizations/getClientConfig, getProject, getIAMPolicy, ...).
 */
function invokeResult(token: string, inputs: Record<string, any>, defaults: { project: string; region: string }): Record<string, unknown> {
    const project = inputs.project ?? inputs.projectId ?? defaults.project;
    switch (token) {
        case "gcp:organizations/getClientConfig:getClientConfig":
            return { accessToken: "mock-access-token", id: `projects/${defaults.project}/regions/${defaults.region}`, project: defaults.project, region: defaults.region, zone: `${defaults.region}-b` };
        case "gcp:organizations/getProject:getProject":
            return { id: `projects/${project}`, projectId: project, number: MOCK_PROJECT_NUMBER, name: project, labels: {}, effectiveLabels: {} };
        case "gcp:organizations/getIAMPolicy:getIAMPolicy": {
            const bindings = (inputs.bindings ?? []).map((b: { role: string; members: string[] }) => ({ role: b.role, members: [...b.members].sort() }));
            return { id: "mock-iam-policy", policyData: JSON.stringify({ bindings }), bindings: inputs.bindings ?? [] };
        }
        case "gcp:secretmanager/getSecret:getSecret":
            return { id: `projects/${project}/secrets/${inputs.secretId}`, name: `projects/${MOCK_PROJECT_NUMBER}/secrets/${inputs.secretId}`, project, secretId: inputs.secretId };
        case "gcp:serviceaccount/getAccount:getAccount": {
            const email = String(inputs.accountId).includes("@") ? inputs.accountId : `${inputs.accountId}@${project}.iam.gserviceaccount.com`;
            return { id: `projects/${project}/serviceAccounts/${email}`, email, member: `serviceAccount:${email}`, accountId: String(email).split("@")[0], project };
        }
        case "gcp:compute/getDefaultServiceAccount:getDefaultServiceAccount": {
            const email = `${MOCK_PROJECT_NUMBER}-compute@developer.gserviceaccount.com`;
            return { id: `projects/${project}/serviceAccounts/${email}`, email, member: `serviceAccount:${email}`, project };
        }
        case "gcp:compute/getNetwork:getNetwork":
            return { id: `projects/${project}/global/networks/${inputs.name}`, name: inputs.name, selfLink: `https://www.googleapis.com/compute/v1/projects/${project}/global/networks/${inputs.name}`, project };
        default:
            return {};
    }
}

function mockProvider(preview: boolean, calls: CapturedCall[], defaults: { project: string; region: string }): pulumi.runtime.Mocks {
    return {
        newResource(args: pulumi.runtime.MockResourceArgs) {
            if (preview) {
                // A new resource in preview: inputs are known, ids and computed outputs are not.
                return { id: undefined, state: args.inputs };
            }
            return {
                id: resourceId(args.type, args.name, args.inputs),
                state: { ...args.inputs, ...computedOutputs(args.type, args.name, args.inputs) },
            };
        },
        call(args: pulumi.runtime.MockCallArgs) {
            calls.push({ token: args.token, inputs: args.inputs });
            return invokeResult(args.token, args.inputs, defaults);
        },
    };
}

/** Wraps the mock monitor's registerResource to keep each request's full wire form. */
function captureRegistrations(into: CapturedResource[]): void {
    const monitor = runtimeSettings().getMonitor() as MonitorLike;
    const register = monitor.registerResource.bind(monitor);
    monitor.registerResource = (req, callback) => register(req, (err, resp) => {
        if (!err && resp) {
            const deps: Record<string, string[]> = {};
            req.getPropertydependenciesMap().forEach((v: { getUrnsList(): string[] }, k: string) => {
                deps[k] = v.getUrnsList();
            });
            into.push({
                urn: resp.getUrn(),
                type: req.getType(),
                name: req.getName(),
                custom: req.getCustom(),
                parent: req.getParent() || undefined,
                dependencies: req.getDependenciesList(),
                propertyDependencies: deps,
                properties: req.getObject(),
                inputs: runtimeRpc().deserializeProperties(req.getObject()),
                id: resp.getId() || undefined,
                outputs: resp.getObject() ? runtimeRpc().deserializeProperties(resp.getObject()) : {},
            });
        }
        callback(err, resp);
    });
}

interface MonitorLike {
    registerResource(req: any, callback: (err: Error | null, resp: any) => void): void;
}

async function resolveOutputs(exported: Record<string, unknown>): Promise<Record<string, unknown>> {
    const entries = await Promise.all(Object.entries(exported ?? {}).map(async ([k, v]) => {
        const value = pulumi.Output.isInstance(v) ? await (v as any).promise() : v;
        return [k, value] as const;
    }));
    return Object.fromEntries(entries);
}

/** Waits until every outstanding registration RPC has finished. */
async function waitForRegistrations(): Promise<void> {
    await runtimeSettings().waitForRPCs();
}

/** The SDK's runtime settings module: getMonitor and waitForRPCs are exported at run time but not typed. */
function runtimeSettings(): { getMonitor(): unknown; waitForRPCs(): Promise<void> } {
    return require("@pulumi/pulumi/runtime/settings");
}

/** The SDK's wire (de)serialisation, the same function the mock monitor uses. */
function runtimeRpc(): { deserializeProperties(struct: unknown): Record<string, any> } {
    return require("@pulumi/pulumi/runtime/rpc");
}

/** Folders of a project that hold no program code: their modules stay cached (tests and tools hold them). */
const NOT_PROGRAM_CODE = ["node_modules", "tools", "test", "policies", "bench"];

/** Drops the program's own modules (not its dependencies) from the require cache so each run imports them afresh. */
function forgetModule(programPath: string): void {
    const programDir = path.dirname(programPath) + path.sep;
    const kept = NOT_PROGRAM_CODE.map((dir) => path.join(programDir, dir) + path.sep);
    for (const key of Object.keys(require.cache)) {
        const own = key.startsWith(programDir) && !key.includes(`${path.sep}node_modules${path.sep}`) && !kept.some((dir) => key.startsWith(dir));
        if (key === programPath || own) {
            delete require.cache[key];
        }
    }
}
