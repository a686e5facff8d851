/**
 * AnalyzeStack runs the pack's stack policies in one pass, over one set of resource objects.
 *
 * @pulumi/policy's AnalyzeStack handler (server.js, makeAnalyzeStackRpcFun) builds an object for every resource of
 * the stack once per stack policy: options, provider, parent, dependency links and a map by URN. With six stack
 * policies on a 10,000-resource stack that took about a sixth of the call (bench/stack-scale.ts). So the pack serves
 * AnalyzeStack with the SDK's own handler built over one policy, the pass, which runs each stack policy in the
 * pack's order as that handler would:
 * - enforcement level: the one Configure set, else the policy's, else the pack's; "disabled" is skipped,
 *   "remediate" counts as mandatory;
 * - getConfig: what Configure set for the policy, without the level;
 * - each violation under the policy's name, level and severity, its message led by the policy's description;
 * - UnknownValueError (a value not known yet) becomes the SDK's "can't run ... during preview" advisory for the
 *   policy, and the next policy runs.
 * Configure is the SDK's, wrapped: refused when it names the pass itself (its level would switch every stack policy
 * off), and read by the pass once the SDK has accepted it. GetAnalyzerInfo (every stack policy still listed as
 * one), Analyze and Remediate stay the SDK's.
 *
 * The policies share the resource objects the SDK built once. This pack's policies only read them.
 * test/policies/one-stack-pass.test.ts compares the two handlers' responses byte for byte.
 *
 * The SDK serves the pack as it would without this module when the SDK no longer exports what this needs, when
 * patching fails, or when a stack policy is typed. A typed policy's validateStack carries a resource type, and the SDK answers "not applicable" for it when the
 * stack has no resource of that type. A pass cannot answer that for another policy.
 */
import { EnforcementLevel, PolicyPack, PolicyPackArgs, ReportViolation, Severity, StackValidationArgs, StackValidationPolicy } from "@pulumi/policy";
import { createRequire } from "module";

/** The name the SDK knows the pass by: in its own error prefix, and the key of its level (Configure may not set it). */
export const ONE_STACK_PASS = "cloud-run-guardrails-stack-pass";

// The SDK modules' exports used here are @internal in their .d.ts files, so they are typed here.
type Callback = (error: Error | null | undefined, response?: unknown) => void;
type Handler = (call: { request: unknown }, callback: Callback) => unknown;
type AnalyzerImplementation = Record<string, Handler>;

interface PolicyServerModule {
    serve(name: string, version: string, level: EnforcementLevel, args: PolicyPackArgs, initialConfig?: unknown): void;
    makeAnalyzeStackRpcFun(name: string, version: string, level: EnforcementLevel, policies: readonly StackValidationPolicy[]): Handler;
}

interface ConfigureRequest {
    getPolicyconfigMap(): { entries(): Iterable<[string, { getEnforcementlevel(): number; getProperties(): { toJavaScript(): Record<string, unknown> } }]> };
}

interface GrpcServerPrototype {
    addService(this: unknown, service: unknown, implementation: AnalyzerImplementation): void;
}

/** What the pass uses of the SDK, from the modules its server uses. */
export interface SdkParts {
    readonly server: PolicyServerModule;
    readonly convertEnforcementLevel: (level: number) => EnforcementLevel;
    readonly UnknownValueError: new (...args: never[]) => Error;
    /** The resource type a typed validation carries (policy.js), or undefined. */
    readonly getPulumiType: (validation: unknown) => string | undefined;
    readonly grpcServer: GrpcServerPrototype;
}

function loadSdkParts(): SdkParts | undefined {
    try {
        const sdkRequire = createRequire(require.resolve("@pulumi/policy/server"));
        const parts: Partial<SdkParts> = {
            server: sdkRequire("./server"),
            convertEnforcementLevel: sdkRequire("./protoutil").convertEnforcementLevel,
            UnknownValueError: sdkRequire("./proxy").UnknownValueError,
            getPulumiType: sdkRequire("./policy").getPulumiType,
            grpcServer: sdkRequire("@grpc/grpc-js").Server?.prototype,
        };
        const complete = typeof parts.server?.serve === "function" && typeof parts.server.makeAnalyzeStackRpcFun === "function" &&
            typeof parts.convertEnforcementLevel === "function" && typeof parts.UnknownValueError === "function" &&
            typeof parts.getPulumiType === "function" && typeof parts.grpcServer?.addService === "function";
        return complete ? parts as SdkParts : undefined;
    } catch {
        return undefined;
    }
}

/** Undefined when the SDK is laid out otherwise: the pack is then served as the SDK serves any pack. */
export const SDK_PARTS = loadSdkParts();

function sdkParts(): SdkParts {
    if (SDK_PARTS === undefined) {
        throw new Error("@pulumi/policy no longer exports what policies/lib/one-stack-pass.ts uses");
    }
    return SDK_PARTS;
}

/** The pack as the SDK names it in diagnostics and messages. */
export interface PackIdentity {
    readonly name: string;
    readonly version: string;
    /** The pack's default enforcement level. */
    readonly level: EnforcementLevel;
}

/** Policy config as the SDK's configure handler stores it: each policy's properties plus its enforcement level. */
export type StoredConfig = Readonly<Record<string, Readonly<Record<string, unknown>> & { readonly enforcementLevel: EnforcementLevel }>>;

/** What the SDK stores from a Configure request (server.js configure). Throws where the SDK's handler fails. */
export function storedConfig(request: unknown): StoredConfig {
    const config: Record<string, Record<string, unknown> & { enforcementLevel: EnforcementLevel }> = {};
    for (const [name, entry] of (request as ConfigureRequest).getPolicyconfigMap().entries()) {
        config[name] = { ...entry.getProperties().toJavaScript(), enforcementLevel: sdkParts().convertEnforcementLevel(entry.getEnforcementlevel()) };
    }
    return config;
}

/** A violation in the form the SDK's reportViolation also takes (server.js makeReportViolationFun): named fields. */
interface NamedViolation {
    name?: string;
    message?: string;
    description?: string;
    urn?: string;
    enforcementLevel?: EnforcementLevel;
    severity?: Severity;
}

type Report = (violation: NamedViolation) => void;

const isStackPolicy = (policy: unknown): policy is StackValidationPolicy =>
    typeof (policy as Partial<StackValidationPolicy>).validateStack === "function";

/**
 * The one policy the SDK's AnalyzeStack handler runs: every stack policy of `policies`, in order, as that handler
 * would run each one. `config` gives the config Configure set last.
 */
export function oneStackPass(pack: PackIdentity, policies: readonly StackValidationPolicy[], config: () => StoredConfig): StackValidationPolicy {
    return {
        name: ONE_STACK_PASS,
        // Empty, and no severity: the SDK would give the pass's to a violation of a policy that has none.
        description: "",
        enforcementLevel: "mandatory",
        validateStack: async (args, reportViolation) => {
            const report = reportViolation as unknown as Report;
            for (const policy of policies) {
                await runStackPolicy(pack, policy, config(), args, report);
            }
        },
    };
}

async function runStackPolicy(pack: PackIdentity, policy: StackValidationPolicy, config: StoredConfig, args: StackValidationArgs, report: Report): Promise<void> {
    const configured = config[policy.name];
    let level = configured?.enforcementLevel || policy.enforcementLevel || pack.level;
    if (level === "disabled") {
        return;
    }
    if (level === "remediate") {
        level = "mandatory"; // a stack policy cannot remediate
    }
    const { name, description, severity } = policy;
    const reportViolation = ((message: string | NamedViolation, urn?: string) => {
        report(typeof message === "object"
            ? {
                name: message.name || name,
                message: message.message || message.description || description,
                urn: message.urn,
                description: message.description || description,
                enforcementLevel: message.enforcementLevel || level,
                severity: message.severity || severity,
            }
            : { name, message: message ? `${description}\n${message}` : description, urn, description, enforcementLevel: level, severity });
    }) as ReportViolation;
    const policyArgs: StackValidationArgs = {
        resources: args.resources,
        stackTags: args.stackTags,
        getConfig: <T extends object>() => {
            if (configured === undefined) {
                return {} as T;
            }
            const { enforcementLevel: _level, ...properties } = configured;
            return properties as T;
        },
        notApplicable: () => {
            throw new Error(`${name}: a stack policy run in one pass cannot answer "not applicable" (policies/lib/one-stack-pass.ts)`);
        },
    };
    try {
        await policy.validateStack(policyArgs, reportViolation);
    } catch (error) {
        if (!(error instanceof sdkParts().UnknownValueError)) {
            // The SDK names the pass in its error; this names the policy that failed.
            throw new Error(`policy '${name}' failed: ${error instanceof Error ? error.stack : String(error)}`, { cause: error });
        }
        report({
            name,
            message: `can't run policy '${name}' from policy pack '${pack.name}@v${pack.version}' during preview: ${error.message}`,
            description,
            enforcementLevel: "advisory",
            severity,
        });
    }
}

/**
 * The SDK's analyzer implementation with AnalyzeStack served by the one pass and Configure wrapped; the
 * implementation itself when the pass cannot serve (see the module comment).
 */
export function withOneStackPass(
    implementation: AnalyzerImplementation, pack: PackIdentity, policies: readonly unknown[] | null | undefined, parts: SdkParts | undefined = SDK_PARTS,
): AnalyzerImplementation {
    const stackPolicies = (policies ?? []).filter(isStackPolicy);
    const { configure, analyzeStack } = implementation;
    // A typed policy: the SDK's fast "not applicable" path (see the module comment).
    if (parts === undefined || typeof configure !== "function" || typeof analyzeStack !== "function" ||
        stackPolicies.length === 0 || stackPolicies.some((policy) => parts.getPulumiType(policy.validateStack) !== undefined)) {
        return implementation;
    }
    let config: StoredConfig = {};
    return {
        ...implementation,
        configure: (call, callback) => {
            const next = readConfig(call.request);
            if (!(next instanceof Error) && ONE_STACK_PASS in next) {
                callback(new Error(`the policy config names ${ONE_STACK_PASS}, the name ${pack.name} runs its stack policies under ` +
                    "(policies/lib/one-stack-pass.ts): configure each stack policy by its own name"));
                return;
            }
            return configure(call, (error, response) => {
                if (!error && next instanceof Error) {
                    // The SDK accepted what the pass cannot read: fail rather than run the stack policies with other levels.
                    callback(new Error(`${pack.name}: the stack policies cannot read the policy config the SDK accepted: ${next.message}`));
                    return;
                }
                if (!error) {
                    config = next as StoredConfig;
                }
                callback(error, response);
            });
        },
        analyzeStack: parts.server.makeAnalyzeStackRpcFun(pack.name, pack.version, pack.level, [oneStackPass(pack, stackPolicies, () => config)]),
    };
}

function readConfig(request: unknown): StoredConfig | Error {
    try {
        return storedConfig(request);
    } catch (error) {
        return error instanceof Error ? error : new Error(String(error));
    }
}

/**
 * `new PolicyPack(name, args)`, with AnalyzeStack served in one pass. True when it is, false when the SDK's
 * handler serves it (the module comment says when). `parts` and `construct` are the SDK's; tests give fakes.
 */
export function servePolicyPack(
    name: string, args: PolicyPackArgs, parts: SdkParts | undefined = SDK_PARTS,
    construct: (name: string, args: PolicyPackArgs) => void = (packName, packArgs) => { new PolicyPack(packName, packArgs); },
): boolean {
    if (parts === undefined) {
        construct(name, args);
        return false;
    }
    const { server, grpcServer } = parts;
    const { serve } = server;
    let onePass = false;
    const serveInOnePass: PolicyServerModule["serve"] = (packName, version, level, packArgs, initialConfig) => {
        const { addService } = grpcServer;
        const addWithOnePass: GrpcServerPrototype["addService"] = function (service, implementation) {
            let served = implementation;
            try {
                served = withOneStackPass(implementation, { name: packName, version, level }, packArgs.policies, parts);
            } catch {
                // Served as the SDK serves any pack; the tests that compare the handlers notice.
            }
            onePass ||= served !== implementation;
            addService.call(this, service, served);
        };
        try {
            grpcServer.addService = addWithOnePass;
        } catch {
            // Not patchable: served as the SDK serves any pack.
        }
        try {
            serve(packName, version, level, packArgs, initialConfig);
        } finally {
            if (grpcServer.addService === addWithOnePass) {
                grpcServer.addService = addService;
            }
        }
    };
    try {
        server.serve = serveInOnePass;
    } catch {
        // A read-only export: served as the SDK serves any pack.
    }
    try {
        construct(name, args);
    } finally {
        if (server.serve === serveInOnePass) {
            server.serve = serve;
        }
    }
    return onePass;
}
