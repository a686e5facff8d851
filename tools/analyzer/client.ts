/**
 * A typed, promise-based client for a running policy pack's pulumirpc.Analyzer service. Requests are built the
 * way the engine builds them (sdk/go/common/resource/plugin/analyzer_plugin.go); replies come back as plain data.
 */
import * as grpc from "@grpc/grpc-js";
import { Empty } from "google-protobuf/google/protobuf/empty_pb";
import { Struct } from "google-protobuf/google/protobuf/struct_pb";
import * as analyzerRpc from "@pulumi/pulumi/proto/analyzer_grpc_pb";
import * as analyzerProto from "@pulumi/pulumi/proto/analyzer_pb";
import {
    ConfigurablePolicy,
    EnforcementLevel,
    JsonSchema,
    PolicyConfig,
    ReconciledConfig,
    PolicyPackConfig,
    reconcilePolicyConfig,
} from "./config";
import { PropertyMap, toStruct } from "./properties";

/** Resource options as the engine reports them to analyzers. */
export interface ResourceOptions {
    protect?: boolean;
    ignoreChanges?: string[];
    deleteBeforeReplace?: boolean;
    additionalSecretOutputs?: string[];
    aliases?: string[];
    customTimeouts?: { create?: number; update?: number; delete?: number };
    /** Defaults to the resource's parent, as the engine fills it. */
    parent?: string;
}

/** A resource's provider, as the engine attaches it to Analyze requests. */
export interface ProviderResource {
    urn: string;
    type: string;
    name: string;
    properties: PropertyMap | Struct;
}

/**
 * A resource as sent to Analyze (urn, type, name, properties, options, provider) and AnalyzeStack (plus parent,
 * dependencies and propertyDependencies). Properties are plain JS, with unknowns as the UNKNOWN sentinel and
 * secrets as signature objects, or an already-built Struct.
 */
export interface AnalyzerResource {
    urn: string;
    type: string;
    name: string;
    properties: PropertyMap | Struct;
    parent?: string;
    dependencies?: string[];
    /** Top-level property name → URNs of the resources its value came from. */
    propertyDependencies?: Record<string, string[]>;
    options?: ResourceOptions;
    provider?: ProviderResource;
}

export type Severity = "low" | "medium" | "high" | "critical";

/** One policy violation (or the SDK's "can't run during preview" advisory). */
export interface Diagnostic {
    policyName: string;
    policyPackName: string;
    policyPackVersion: string;
    description: string;
    message: string;
    enforcementLevel: EnforcementLevel;
    urn: string;
    severity?: Severity;
}

export interface PolicyInfo extends ConfigurablePolicy {
    displayName: string;
    description: string;
    message: string;
    policyType: "resource" | "stack" | "unknown";
    severity?: Severity;
    /** Documentation link for the rule (empty when the policy has none). */
    url: string;
    /** How to fix a violation (empty when the policy has none). */
    remediationSteps: string;
}

export interface AnalyzerInfo {
    name: string;
    displayName: string;
    version: string;
    supportsConfig: boolean;
    policies: PolicyInfo[];
    initialConfig: Record<string, Partial<PolicyConfig>>;
}

/** Stack identity the engine tells a pack about via ConfigureStack (and the environment). */
export interface StackContext {
    project: string;
    stack: string;
    organization?: string;
    dryRun?: boolean;
    /** Stack config, "namespace:key" → value, as PULUMI_CONFIG carries it. */
    config?: Record<string, string>;
    tags?: Record<string, string>;
}

const LEVEL_TO_PROTO: Record<EnforcementLevel, analyzerProto.EnforcementLevel> = {
    advisory: analyzerProto.EnforcementLevel.ADVISORY,
    mandatory: analyzerProto.EnforcementLevel.MANDATORY,
    remediate: analyzerProto.EnforcementLevel.REMEDIATE,
    disabled: analyzerProto.EnforcementLevel.DISABLED,
};
const LEVEL_FROM_PROTO = invert(LEVEL_TO_PROTO);

const SEVERITY_FROM_PROTO: Partial<Record<analyzerProto.PolicySeverity, Severity>> = {
    [analyzerProto.PolicySeverity.POLICY_SEVERITY_LOW]: "low",
    [analyzerProto.PolicySeverity.POLICY_SEVERITY_MEDIUM]: "medium",
    [analyzerProto.PolicySeverity.POLICY_SEVERITY_HIGH]: "high",
    [analyzerProto.PolicySeverity.POLICY_SEVERITY_CRITICAL]: "critical",
};

const POLICY_TYPE_FROM_PROTO: Record<analyzerProto.PolicyType, PolicyInfo["policyType"]> = {
    [analyzerProto.PolicyType.POLICY_TYPE_UNKNOWN]: "unknown",
    [analyzerProto.PolicyType.POLICY_TYPE_RESOURCE]: "resource",
    [analyzerProto.PolicyType.POLICY_TYPE_STACK]: "stack",
};

/** Same limit the engine and the policy SDK use: stacks with large properties exceed gRPC's 4 MB default. */
const MAX_MESSAGE_BYTES = 400 * 1024 * 1024;

type UnaryMethod<Req, Res> = (
    request: Req, metadata: grpc.Metadata, options: Partial<grpc.CallOptions>,
    callback: (error: grpc.ServiceError | null, response: Res) => void,
) => grpc.ClientUnaryCall;

/** Resources whose calls are in flight at once when analyzeAll is pipelined. */
const PIPELINE_WINDOW = 32;

export class PolicyPackClient {
    private readonly rpc: analyzerRpc.AnalyzerClient;
    private info?: AnalyzerInfo;

    /** Connects to a pack's analyzer at "127.0.0.1:<port>"; every call fails after callTimeoutMs. */
    constructor(address: string, private readonly callTimeoutMs = 30_000) {
        this.rpc = new analyzerRpc.AnalyzerClient(address, grpc.credentials.createInsecure(), {
            "grpc.max_receive_message_length": MAX_MESSAGE_BYTES,
            "grpc.max_send_message_length": MAX_MESSAGE_BYTES,
        });
    }

    /** Resolves once the channel is connected (or rejects after timeoutMs). */
    waitForReady(timeoutMs: number): Promise<void> {
        return new Promise((resolve, reject) =>
            this.rpc.waitForReady(Date.now() + timeoutMs, (error) => (error ? reject(error) : resolve())),
        );
    }

    /** Tells the pack which stack it runs for (stack tags reach policies as args.stackTags). */
    async configureStack(context: StackContext): Promise<void> {
        const request = new analyzerProto.AnalyzerStackConfigureRequest()
            .setProject(context.project)
            .setStack(context.stack)
            .setOrganization(context.organization ?? "")
            .setDryRun(context.dryRun ?? true);
        setMap(request.getConfigMap(), context.config ?? {});
        setMap(request.getTagsMap(), context.tags ?? {});
        await this.call(this.rpc.configureStack, request, "ConfigureStack");
    }

    async getAnalyzerInfo(): Promise<AnalyzerInfo> {
        const reply = await this.call(this.rpc.getAnalyzerInfo, new Empty(), "GetAnalyzerInfo");
        this.info = {
            name: reply.getName(),
            displayName: reply.getDisplayname(),
            version: reply.getVersion(),
            supportsConfig: reply.getSupportsconfig(),
            policies: reply.getPoliciesList().map(policyInfoFromProto),
            initialConfig: Object.fromEntries(reply.getInitialconfigMap().toArray().map(([name, config]) => [
                name,
                { enforcementLevel: LEVEL_FROM_PROTO[config.getEnforcementlevel()], properties: config.getProperties()?.toJavaScript() },
            ])),
        };
        return this.info;
    }

    /** The pack's SDK version, from GetPluginInfo. */
    async getPluginVersion(): Promise<string> {
        return (await this.call(this.rpc.getPluginInfo, new Empty(), "GetPluginInfo")).getVersion();
    }

    /**
     * Configures the pack from a CLI-format config, as `--policy-pack-config` does: policy defaults (schema
     * defaults included), then the pack's initial config, then `config`. Each call replaces the whole
     * configuration, so `configure({})` restores the defaults. Returns what was sent, with warnings about names
     * the engine passes on although they are probably mistakes.
     * Throws PolicyConfigError, with the engine's wording, where the engine fails.
     */
    async configure(config: PolicyPackConfig = {}): Promise<ReconciledConfig> {
        const info = this.info ?? (await this.getAnalyzerInfo());
        const reconciled = reconcilePolicyConfig(info.policies, info.initialConfig, config, { name: info.name, version: info.version });
        const request = new analyzerProto.ConfigureAnalyzerRequest();
        for (const [name, policyConfig] of Object.entries(reconciled.config)) {
            request.getPolicyconfigMap().set(name, new analyzerProto.PolicyConfig()
                .setEnforcementlevel(LEVEL_TO_PROTO[policyConfig.enforcementLevel])
                .setProperties(Struct.fromJavaScript(policyConfig.properties as Record<string, never>)));
        }
        await this.call(this.rpc.configure, request, "Configure");
        return reconciled;
    }

    /** Runs every resource policy on one resource (the engine's per-resource check during preview/update). */
    async analyze(resource: AnalyzerResource): Promise<Diagnostic[]> {
        const reply = await this.call(this.rpc.analyze, analyzeRequest(resource), `Analyze(${resource.urn})`);
        // A resource policy reports without a URN; the engine attributes it to the analyzed resource.
        return reply.getDiagnosticsList().map(diagnosticFromProto).map((d) => ({ ...d, urn: d.urn || resource.urn }));
    }

    /** Runs every stack policy over the whole stack (the engine's check after all resources are processed). */
    async analyzeStack(resources: readonly AnalyzerResource[]): Promise<Diagnostic[]> {
        const request = new analyzerProto.AnalyzeStackRequest().setResourcesList(resources.map(stackResourceToProto));
        const reply = await this.call(this.rpc.analyzeStack, request, `AnalyzeStack(${resources.length} resources)`);
        return reply.getDiagnosticsList().map(diagnosticFromProto);
    }

    /**
     * The engine asks for remediations before it analyzes each resource (step_generator.go). This pack has no
     * remediating policy, so the answer changes nothing; the call is made so the pack sees the engine's order.
     */
    async remediate(resource: AnalyzerResource): Promise<number> {
        const reply = await this.call(this.rpc.remediate, analyzeRequest(resource), `Remediate(${resource.urn})`);
        return reply.getRemediationsList().length;
    }

    /**
     * What a preview reports, in the engine's order: Remediate then Analyze for each resource (`checked`: the
     * provider's Check output), then AnalyzeStack over every resource's outputs (`outputs`, default: the same).
     * `pipelined` (the offline check): the same requests in the same order, each sent before the last is answered.
     */
    async analyzeAll(
        checked: readonly AnalyzerResource[], outputs: readonly AnalyzerResource[] = checked, options: { pipelined?: boolean } = {},
    ): Promise<Diagnostic[]> {
        if (options.pipelined) {
            // Requests go out in the engine's order, PIPELINE_WINDOW resources at a time, each without waiting for the
            // one before; the pack answers each on its own (no call depends on another's answer), so only the round
            // trips are saved. The window keeps a call's deadline (set when it is sent) from covering a long queue
            // ahead of it on a large stack; AnalyzeStack gets its own once every resource is answered.
            const perResource: Diagnostic[] = [];
            for (let start = 0; start < checked.length; start += PIPELINE_WINDOW) {
                const window = checked.slice(start, start + PIPELINE_WINDOW);
                const answers = await Promise.all(window.map((resource) => Promise.all([this.remediate(resource), this.analyze(resource)])));
                perResource.push(...answers.flatMap(([, diagnostics]) => diagnostics));
            }
            return [...perResource, ...(await this.analyzeStack(outputs))];
        }
        const perResource: Diagnostic[] = [];
        for (const resource of checked) {
            await this.remediate(resource);
            perResource.push(...(await this.analyze(resource)));
        }
        return [...perResource, ...(await this.analyzeStack(outputs))];
    }

    /** The engine's last call at shutdown; @pulumi/policy answers UNIMPLEMENTED, which the engine ignores too. */
    async cancel(): Promise<void> {
        await this.call(this.rpc.cancel, new Empty(), "Cancel").catch((error: unknown) =>
            (grpcCode(error) === grpc.status.UNIMPLEMENTED ? undefined : Promise.reject(error)));
    }

    close(): void {
        this.rpc.close();
    }

    /** Every call made, in order ("Analyze(<urn>)" style labels): the engine's call order, observable. */
    readonly calls: string[] = [];

    private call<Req, Res>(method: UnaryMethod<Req, Res>, request: Req, label: string): Promise<Res> {
        this.calls.push(label);
        return new Promise((resolve, reject) => {
            method.call(this.rpc, request, new grpc.Metadata(), { deadline: Date.now() + this.callTimeoutMs }, (error, response) =>
                error ? reject(rpcError(label, error)) : resolve(response),
            );
        });
    }
}

/** True for the advisory @pulumi/policy reports when a policy touched a value unknown during preview. */
export function isUnknownValueAdvisory(diagnostic: Diagnostic): boolean {
    return diagnostic.enforcementLevel === "advisory" && diagnostic.message.startsWith("can't run policy");
}

function policyInfoFromProto(policy: analyzerProto.PolicyInfo): PolicyInfo {
    const schema = policy.getConfigschema();
    return {
        name: policy.getName(),
        displayName: policy.getDisplayname(),
        description: policy.getDescription(),
        message: policy.getMessage(),
        enforcementLevel: LEVEL_FROM_PROTO[policy.getEnforcementlevel()],
        policyType: POLICY_TYPE_FROM_PROTO[policy.getPolicyType()] ?? "unknown",
        severity: SEVERITY_FROM_PROTO[policy.getSeverity()],
        url: policy.getUrl(),
        remediationSteps: policy.getRemediationSteps(),
        configSchema: schema && {
            properties: (schema.getProperties()?.toJavaScript() ?? {}) as Record<string, JsonSchema>,
            required: schema.getRequiredList(),
        },
    };
}

function diagnosticFromProto(diagnostic: analyzerProto.AnalyzeDiagnostic): Diagnostic {
    return {
        policyName: diagnostic.getPolicyname(),
        policyPackName: diagnostic.getPolicypackname(),
        policyPackVersion: diagnostic.getPolicypackversion(),
        description: diagnostic.getDescription(),
        message: diagnostic.getMessage(),
        enforcementLevel: LEVEL_FROM_PROTO[diagnostic.getEnforcementlevel()],
        urn: diagnostic.getUrn(),
        severity: SEVERITY_FROM_PROTO[diagnostic.getSeverity()],
    };
}

/** The fields an AnalyzeRequest and a stack's AnalyzerResource share, set the same way on both. */
function withResourceFields<M extends analyzerProto.AnalyzeRequest | analyzerProto.AnalyzerResource>(message: M, resource: AnalyzerResource): M {
    const m = message as analyzerProto.AnalyzeRequest; // the same setters on both messages
    m.setUrn(resource.urn)
        .setType(resource.type)
        .setName(resource.name)
        .setProperties(toStruct(resource.properties))
        .setOptions(resourceOptionsToProto(resource));
    if (resource.provider) {
        m.setProvider(providerToProto(resource.provider));
    }
    return message;
}

function analyzeRequest(resource: AnalyzerResource): analyzerProto.AnalyzeRequest {
    return withResourceFields(new analyzerProto.AnalyzeRequest(), resource);
}

/** Always set, like the engine: @pulumi/policy refuses requests without options ("A more recent CLI…"). */
function resourceOptionsToProto(resource: AnalyzerResource): analyzerProto.AnalyzerResourceOptions {
    const options = resource.options ?? {};
    const timeouts = new analyzerProto.AnalyzerResourceOptions.CustomTimeouts()
        .setCreate(options.customTimeouts?.create ?? 0)
        .setUpdate(options.customTimeouts?.update ?? 0)
        .setDelete(options.customTimeouts?.delete ?? 0);
    return new analyzerProto.AnalyzerResourceOptions()
        .setProtect(options.protect ?? false)
        .setIgnorechangesList(options.ignoreChanges ?? [])
        .setDeletebeforereplace(options.deleteBeforeReplace ?? false)
        .setDeletebeforereplacedefined(options.deleteBeforeReplace !== undefined)
        .setAdditionalsecretoutputsList(options.additionalSecretOutputs ?? [])
        .setAliasesList(options.aliases ?? [])
        .setCustomtimeouts(timeouts)
        .setParent(options.parent ?? resource.parent ?? "");
}

function providerToProto(provider: ProviderResource): analyzerProto.AnalyzerProviderResource {
    return new analyzerProto.AnalyzerProviderResource()
        .setUrn(provider.urn)
        .setType(provider.type)
        .setName(provider.name)
        .setProperties(toStruct(provider.properties));
}

function stackResourceToProto(resource: AnalyzerResource): analyzerProto.AnalyzerResource {
    const proto = withResourceFields(new analyzerProto.AnalyzerResource(), resource)
        .setParent(resource.parent ?? "")
        .setDependenciesList(resource.dependencies ?? []);
    for (const [property, urns] of Object.entries(resource.propertyDependencies ?? {})) {
        // The engine leaves out properties without dependencies.
        if (urns.length > 0) {
            proto.getPropertydependenciesMap().set(property, new analyzerProto.AnalyzerPropertyDependencies().setUrnsList(urns));
        }
    }
    return proto;
}

function setMap(target: { set(key: string, value: string): unknown }, entries: Record<string, string>): void {
    for (const [key, value] of Object.entries(entries)) {
        target.set(key, value);
    }
}

function grpcCode(error: unknown): number | undefined {
    return (error as { code?: number } | undefined)?.code;
}

/** Keeps the gRPC status code but leads with what was called; `details` carries the pack's stack trace. */
function rpcError(label: string, error: grpc.ServiceError): Error {
    return Object.assign(new Error(`${label} failed (${grpc.status[error.code]}): ${error.details || error.message}`), { code: error.code });
}

function invert<K extends string, V extends number>(record: Record<K, V>): Record<V, K> {
    return Object.fromEntries(Object.entries(record).map(([key, value]) => [value, key])) as Record<V, K>;
}
