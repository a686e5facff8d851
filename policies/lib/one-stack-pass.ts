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
 * Configure is observed, not changed: the pass reads the config the SDK accepted. GetAnalyzerInfo (every stack
 * policy still listed as one), Configure, Analyze and Remediate stay the SDK's.
 *
 * The policies share the resource objects the SDK built once. This pack's policies only read them.
 * test/policies/one-stack-pass.test.ts compares the two handlers' responses byte for byte.
 *
 * The SDK's handler stays in place when the SDK no longer exports what this needs, or when a stack policy is typed.
 * A typed policy's validateStack carries a resource type, and the SDK answers "not applicable" for it when the
 * stack has no resource of that type. A pass cannot answer that for another policy.
 */
import { EnforcementLevel, PolicyPack, PolicyPackArgs, ReportViolation, Severity, StackValidationArgs, StackValidationPolicy } from "@pulumi/policy";
import { createRequire } from "module";

/** The name the SDK knows the pass by: in its own error prefix, and the key of its own (never configured) level. */
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

/** The SDK's own modules, the ones its server uses. */
const sdkRequire = createRequire(require.resolve("@pulumi/policy/server"));
const policyServer: PolicyServerModule = sdkRequire("./server");
const convertEnforcementLevel: (level: number) => EnforcementLevel = sdkRequire("./protoutil").convertEnforcementLevel;
const UnknownValueError: new (...args: never[]) => Error = sdkRequire("./proxy").UnknownValueError;
const grpcServer: { prototype: { addService(this: unknown, service: unknown, implementation: AnalyzerImplementation): void } } =
    sdkRequire("@grpc/grpc-js").Server;

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
        config[name] = { ...entry.getProperties().toJavaScript(), enforcementLevel: convertEnforcementLevel(entry.getEnforcementlevel()) };
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

/** The SDK's fast "not applicable" path (getPulumiType): a validateStack that names the one resource type it reads. */
const isTyped = (policy: StackValidationPolicy) => {
    const type = (policy.validateStack as { __pulumiType?: unknown }).__pulumiType;
    return typeof type === "string" && type.length > 0;
};

/**
 * The one policy the SDK's AnalyzeStack handler runs: every stack policy of `policies`, in order, as that handler
 * would run each one. `config` gives the config Configure set last.
 */
export function oneStackPass(pack: PackIdentity, policies: readonly StackValidationPolicy[], config: () => StoredConfig): StackValidationPolicy {
    return {
        name: ONE_STACK_PASS,
        description: `Runs the stack policies of ${pack.name} in one pass (policies/lib/one-stack-pass.ts).`,
        enforcementLevel: "mandatory",
        // No severity: the SDK would give it to a violation of a policy that has none.
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
        if (!(error instanceof UnknownValueError)) {
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
 * The SDK's analyzer implementation with AnalyzeStack served by the one pass and Configure observed; the
 * implementation itself when the pass cannot serve (see the module comment).
 */
export function withOneStackPass(implementation: AnalyzerImplementation, pack: PackIdentity, policies: readonly unknown[]): AnalyzerImplementation {
    const stackPolicies = policies.filter(isStackPolicy);
    const { configure, analyzeStack } = implementation;
    if (typeof configure !== "function" || typeof analyzeStack !== "function" || typeof policyServer.makeAnalyzeStackRpcFun !== "function" ||
        stackPolicies.length === 0 || stackPolicies.some(isTyped)) {
        return implementation;
    }
    let config: StoredConfig = {};
    return {
        ...implementation,
        configure: (call, callback) => configure(call, (error, response) => {
            if (!error) {
                try {
                    config = storedConfig(call.request);
                } catch (observed) {
                    // The SDK accepted what this cannot read: fail Configure rather than check with other levels.
                    callback(observed instanceof Error ? observed : new Error(String(observed)));
                    return;
                }
            }
            callback(error, response);
        }),
        analyzeStack: policyServer.makeAnalyzeStackRpcFun(pack.name, pack.version, pack.level, [oneStackPass(pack, stackPolicies, () => config)]),
    };
}

/**
 * `new PolicyPack(name, args)`, with AnalyzeStack served in one pass. True when it is, false when the SDK's
 * handler serves it (the module comment says when).
 */
export function servePolicyPack(name: string, args: PolicyPackArgs): boolean {
    const { serve } = policyServer;
    let onePass = false;
    if (typeof serve === "function") {
        policyServer.serve = (packName, version, level, packArgs, initialConfig) => {
            const prototype = grpcServer.prototype;
            const { addService } = prototype;
            prototype.addService = function (service, implementation) {
                const served = withOneStackPass(implementation, { name: packName, version, level }, packArgs.policies);
                onePass = served !== implementation;
                addService.call(this, service, served);
            };
            try {
                serve(packName, version, level, packArgs, initialConfig);
            } finally {
                prototype.addService = addService;
            }
        };
    }
    try {
        new PolicyPack(name, args);
    } finally {
        policyServer.serve = serve;
    }
    return onePass;
}
