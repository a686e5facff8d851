/**
 * Runs the policy pack in-process exactly as the Pulumi engine drives it, without a CLI.
 *
 * The pack (policies/index.ts) is loaded once with gRPC's Server patched to hand over the service
 * implementation instead of listening, so every call below goes through @pulumi/policy's own RPC handlers:
 * `configure` (policy config, as --policy-pack-config delivers it), `analyze` (one resource's inputs) and
 * `analyzeStack` (all resources with dependencies and propertyDependencies). Requests are real protobuf
 * AnalyzeRequest / AnalyzeStackRequest messages; properties go through google-protobuf's Struct, unknowns
 * are the engine's sentinel strings, and the answer is the server's own diagnostics (including its
 * "can't run ... during preview" advisories).
 *
 * Everything is loaded from policies/node_modules, the copies the policies themselves use: the root
 * node_modules has another @pulumi/pulumi, and instanceof checks across copies fail.
 */
import { createRequire } from "module";
import * as path from "path";
import type * as AnalyzerPb from "../../policies/node_modules/@pulumi/pulumi/proto/analyzer_pb";
import type { PolicyConfigJSONSchema } from "../../policies/node_modules/@pulumi/policy/schema";
import { splitPropertyPath } from "../../policies/lib/findings";

export const POLICIES_DIR = path.resolve(__dirname, "../../policies");

const packRequire = createRequire(path.join(POLICIES_DIR, "package.json"));
const policyServerPath = packRequire.resolve("@pulumi/policy/server");
const serverRequire = createRequire(policyServerPath);

const analyzerPb: typeof AnalyzerPb = serverRequire("@pulumi/pulumi/proto/analyzer_pb");
const pulumiRequire = createRequire(serverRequire.resolve("@pulumi/pulumi/proto/analyzer_pb"));
const structPb: { Struct: { fromJavaScript(value: Record<string, unknown>): unknown } } =
    pulumiRequire("google-protobuf/google/protobuf/struct_pb");
const emptyPb: { Empty: new () => unknown } = pulumiRequire("google-protobuf/google/protobuf/empty_pb");
const grpc: { Server: { prototype: Record<string, unknown> } } = serverRequire("@grpc/grpc-js");
const proxyModule: Record<string, string> = serverRequire("./proxy");

/** The engine's "not known during preview" sentinels, by the type the value will have. */
export const UNKNOWN = {
    string: proxyModule.unknownStringValue,
    number: proxyModule.unknownNumberValue,
    bool: proxyModule.unknownBooleanValue,
    array: proxyModule.unknownArrayValue,
    object: proxyModule.unknownObjectValue,
} as const;

/** A secret-wrapped value as the engine sends it (the pack sees the plain value). */
export function secretValue(value: unknown): Record<string, unknown> {
    return { "4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270", value };
}

export type EnforcementLevel = "advisory" | "mandatory" | "remediate" | "disabled";

/** Policy config in the CLI's --policy-pack-config format. */
export type PackConfig = Record<string, EnforcementLevel | ({ enforcementLevel?: EnforcementLevel } & Record<string, unknown>)>;

export interface Diagnostic {
    policyName: string;
    /** The whole message as the CLI prints it: description, newline, detail. */
    message: string;
    /** The message without the policy description and the property path: what this violation says. */
    detail: string;
    /** The property the violation is about, when the policy names one (`at <path>: ` leads the message). */
    propertyPath?: string;
    enforcementLevel: EnforcementLevel;
    urn: string;
    /** True for the server's "can't run policy ... during preview" advisory. */
    cantRun: boolean;
}

export interface TestResource {
    type: string;
    name: string;
    props: Record<string, unknown>;
    /** Defaults to the staging URN of type and name. */
    urn?: string;
    parent?: string;
    dependencies?: string[];
    propertyDependencies?: Record<string, string[]>;
    provider?: { type: string; name: string; props: Record<string, unknown> };
}

export function urnOf(type: string, name: string): string {
    return `urn:pulumi:staging::cloudrun-staging::${type}::${name}`;
}

type Rpc = (call: { request: unknown }, callback: (error: unknown, response?: unknown) => void) => unknown;

interface AnalyzerService {
    analyze: Rpc;
    analyzeStack: Rpc;
    configure: Rpc;
    configureStack: Rpc;
    getAnalyzerInfo: Rpc;
}

const SERVICE_KEY = Symbol.for("cloud-run-guardrails.test.analyzer-service");

/**
 * The pack's analyzer service. Loaded once per process: @pulumi/policy serves only one pack per process
 * (a second PolicyPack exits the process), so the captured service is kept on globalThis.
 */
function packService(): AnalyzerService {
    const holder = globalThis as { [SERVICE_KEY]?: AnalyzerService };
    const cached = holder[SERVICE_KEY];
    if (cached) {
        return cached;
    }
    const prototype = grpc.Server.prototype;
    const { addService, bindAsync } = prototype;
    let captured: AnalyzerService | undefined;
    const capture = (_definition: unknown, implementation: AnalyzerService) => {
        captured = implementation;
    };
    prototype.addService = capture;
    prototype.bindAsync = () => undefined;
    let left: unknown;
    try {
        require(path.join(POLICIES_DIR, "index"));
    } finally {
        left = prototype.addService;
        prototype.addService = addService;
        prototype.bindAsync = bindAsync;
    }
    if (left !== capture) {
        throw new Error("policies/index left gRPC's Server.prototype.addService patched (policies/lib/one-stack-pass.ts restores it)");
    }
    if (!captured) {
        throw new Error("policies/index did not serve a PolicyPack");
    }
    holder[SERVICE_KEY] = captured;
    return captured;
}

function invoke(rpc: Rpc, request: unknown): Promise<unknown> {
    return new Promise((resolve, reject) => {
        void rpc({ request }, (error, response) => (error ? reject(error) : resolve(response)));
    });
}

const LEVEL_TO_PROTO: Record<EnforcementLevel, number> = {
    advisory: analyzerPb.EnforcementLevel.ADVISORY,
    mandatory: analyzerPb.EnforcementLevel.MANDATORY,
    remediate: analyzerPb.EnforcementLevel.REMEDIATE,
    disabled: analyzerPb.EnforcementLevel.DISABLED,
};

function levelFromProto(level: number): EnforcementLevel {
    const found = (Object.keys(LEVEL_TO_PROTO) as EnforcementLevel[]).find((k) => LEVEL_TO_PROTO[k] === level);
    if (!found) {
        throw new Error(`unknown enforcement level ${level}`);
    }
    return found;
}

/** What the CLI knows about each policy (name, level, config schema), from getAnalyzerInfo. */
export interface PolicyInfo {
    name: string;
    description: string;
    enforcementLevel: EnforcementLevel;
    severity: number;
    remediationSteps: string;
    url: string;
    configSchema?: { properties: Record<string, PolicyConfigJSONSchema>; required: string[] };
    policyType: "resource" | "stack" | "unknown";
}

export async function analyzerInfo(): Promise<{ name: string; version: string; policies: PolicyInfo[] }> {
    const info = (await invoke(packService().getAnalyzerInfo, new emptyPb.Empty())) as AnalyzerPb.AnalyzerInfo;
    return {
        name: info.getName(),
        version: info.getVersion(),
        policies: info.getPoliciesList().map((p) => {
            const schema = p.getConfigschema();
            return {
                name: p.getName(),
                description: p.getDescription(),
                enforcementLevel: levelFromProto(p.getEnforcementlevel()),
                severity: p.getSeverity(),
                remediationSteps: p.getRemediationSteps(),
                url: p.getUrl(),
                configSchema: schema && {
                    properties: (schema.getProperties()?.toJavaScript() ?? {}) as Record<string, PolicyConfigJSONSchema>,
                    required: schema.getRequiredList(),
                },
                policyType: p.getPolicyType() === analyzerPb.PolicyType.POLICY_TYPE_RESOURCE ? "resource"
                    : p.getPolicyType() === analyzerPb.PolicyType.POLICY_TYPE_STACK ? "stack" : "unknown",
            };
        }),
    };
}

let policyLevels: Map<string, EnforcementLevel> | undefined;

/**
 * Sends policy config through the server's `configure` RPC, as the CLI does: every configured policy gets
 * its effective enforcement level (its own default unless the config sets one) and the given properties.
 * Schema defaults are deliberately not filled in, so the policies' own defaults are what is tested.
 */
export async function configurePack(config: PackConfig = {}): Promise<void> {
    await sendConfigure(await configureRequest(config));
}

/** Sends a Configure request as it is. */
export async function sendConfigure(request: AnalyzerPb.ConfigureAnalyzerRequest): Promise<void> {
    await invoke(packService().configure, request);
}

/** Sends the stack's tags through ConfigureStack, as the engine does before anything else. */
export async function configureStackTags(tags: Readonly<Record<string, string>>): Promise<void> {
    const request = new analyzerPb.AnalyzerStackConfigureRequest();
    for (const [key, value] of Object.entries(tags)) {
        request.getTagsMap().set(key, value);
    }
    await invoke(packService().configureStack, request);
}

/** The Configure request configurePack sends for `config`. */
export async function configureRequest(config: PackConfig): Promise<AnalyzerPb.ConfigureAnalyzerRequest> {
    policyLevels ??= new Map((await analyzerInfo()).policies.map((p) => [p.name, p.enforcementLevel]));
    const request = new analyzerPb.ConfigureAnalyzerRequest();
    const map = request.getPolicyconfigMap();
    for (const [name, entry] of Object.entries(config)) {
        const { enforcementLevel, ...properties } = typeof entry === "string" ? { enforcementLevel: entry } : entry;
        const level = enforcementLevel ?? policyLevels.get(name) ?? "advisory";
        const policyConfig = new analyzerPb.PolicyConfig();
        policyConfig.setEnforcementlevel(LEVEL_TO_PROTO[level] as AnalyzerPb.EnforcementLevel);
        policyConfig.setProperties(structPb.Struct.fromJavaScript(properties) as never);
        map.set(name, policyConfig);
    }
    return request;
}

function resourceOptions(parent?: string): AnalyzerPb.AnalyzerResourceOptions {
    const options = new analyzerPb.AnalyzerResourceOptions();
    options.setProtect(false);
    if (parent) {
        options.setParent(parent);
    }
    return options;
}

function toStruct(props: Record<string, unknown>): never {
    return structPb.Struct.fromJavaScript(props) as never;
}

function providerOf(resource: TestResource): AnalyzerPb.AnalyzerProviderResource | undefined {
    if (!resource.provider) {
        return undefined;
    }
    const provider = new analyzerPb.AnalyzerProviderResource();
    provider.setType(resource.provider.type);
    provider.setName(resource.provider.name);
    provider.setUrn(urnOf(resource.provider.type, resource.provider.name));
    provider.setProperties(toStruct(resource.provider.props));
    return provider;
}

/** The fields an AnalyzeRequest and a stack's AnalyzerResource share. */
function withResourceFields<M extends AnalyzerPb.AnalyzeRequest | AnalyzerPb.AnalyzerResource>(message: M, resource: TestResource): M {
    const m = message as AnalyzerPb.AnalyzeRequest; // same setters on both messages
    m.setType(resource.type);
    m.setName(resource.name);
    m.setUrn(resource.urn ?? urnOf(resource.type, resource.name));
    m.setProperties(toStruct(resource.props));
    m.setOptions(resourceOptions(resource.parent));
    const provider = providerOf(resource);
    if (provider) {
        m.setProvider(provider);
    }
    return message;
}

function toDiagnostics(response: unknown): Diagnostic[] {
    return (response as AnalyzeResponseLike).getDiagnosticsList().map((d) => {
        const message = d.getMessage();
        const prefix = `${d.getDescription()}\n`;
        const { propertyPath, text } = splitPropertyPath(message.startsWith(prefix) ? message.slice(prefix.length) : message);
        return {
            policyName: d.getPolicyname(),
            message,
            detail: text,
            ...(propertyPath === undefined ? {} : { propertyPath }),
            enforcementLevel: levelFromProto(d.getEnforcementlevel()),
            urn: d.getUrn(),
            cantRun: message.startsWith("can't run "),
        };
    });
}

type AnalyzeResponseLike = { getDiagnosticsList(): AnalyzerPb.AnalyzeDiagnostic[] };

/** "keep": reuse the config sent last (saves a configure call in long property-based runs). */
export type ConfigChoice = PackConfig | "keep";

/**
 * Analyzes one resource's inputs (the per-resource `analyze` call of a preview), configured with `config`. Every
 * call is made twice: with the props as given and in the engine's Check-output shape (the terraform bridge's
 * `__defaults` bookkeeping in nested objects); the verdicts must be the same, or the call throws.
 */
export async function analyzeResource(resource: TestResource, config: ConfigChoice = {}): Promise<Diagnostic[]> {
    if (config !== "keep") {
        await configurePack(config);
    }
    const given = await analyzeOnce(resource);
    sameVerdicts(given, await analyzeOnce({ ...resource, props: withBridgeDefaults(resource.props) as Tree }), `Analyze ${resource.type} ${resource.name}`);
    return given;
}

async function analyzeOnce(resource: TestResource): Promise<Diagnostic[]> {
    const request = withResourceFields(new analyzerPb.AnalyzeRequest(), resource);
    return toDiagnostics(await invoke(packService().analyze, request));
}

/**
 * Analyzes a whole stack (the `analyzeStack` call at the end of a preview), configured with `config`. Made twice
 * too: as given, and in the engine's shape (the root Stack and the default provider are resources of the stack,
 * every resource without a parent is the Stack's child); same verdicts.
 */
export async function analyzeStack(resources: readonly TestResource[], config: ConfigChoice = {}): Promise<Diagnostic[]> {
    if (config !== "keep") {
        await configurePack(config);
    }
    const given = await analyzeStackOnce(resources);
    sameVerdicts(given, await analyzeStackOnce(engineShapedStack(resources)), `AnalyzeStack of ${resources.length} resources`);
    return given;
}

async function analyzeStackOnce(resources: readonly TestResource[]): Promise<Diagnostic[]> {
    return toDiagnostics(await invoke(packService().analyzeStack, analyzeStackRequest(resources)));
}

/** The AnalyzeStack request analyzeStack sends for `resources`. */
export function analyzeStackRequest(resources: readonly TestResource[]): AnalyzerPb.AnalyzeStackRequest {
    const request = new analyzerPb.AnalyzeStackRequest();
    request.setResourcesList(resources.map((resource) => {
        const r = withResourceFields(new analyzerPb.AnalyzerResource(), resource);
        if (resource.parent) {
            r.setParent(resource.parent);
        }
        r.setDependenciesList(resource.dependencies ?? []);
        const deps = r.getPropertydependenciesMap();
        for (const [property, urns] of Object.entries(resource.propertyDependencies ?? {})) {
            const entry = new analyzerPb.AnalyzerPropertyDependencies();
            entry.setUrnsList(urns);
            deps.set(property, entry);
        }
        return r;
    }));
    return request;
}

export type AnalyzeStackHandler = Rpc;

/** The pack's AnalyzeStack handler, as served (policies/lib/one-stack-pass.ts). */
export function packAnalyzeStackHandler(): AnalyzeStackHandler {
    return packService().analyzeStack;
}

/**
 * The SDK's own AnalyzeStack handler over `policies`, for the pack as the harness serves it: how @pulumi/policy
 * serves a pack that does not run its stack policies in one pass. It reads the config the pack's Configure stored.
 */
export async function sdkAnalyzeStackHandler(policies: readonly unknown[], packLevel = "mandatory"): Promise<AnalyzeStackHandler> {
    const { name, version } = await analyzerInfo();
    const server: { makeAnalyzeStackRpcFun(name: string, version: string, level: string, policies: readonly unknown[]): AnalyzeStackHandler } =
        serverRequire("./server");
    return server.makeAnalyzeStackRpcFun(name, version, packLevel, policies);
}

/** What a handler answers to `request`: the response's bytes, or the error. */
export async function answerOf(handler: AnalyzeStackHandler, request: unknown): Promise<Buffer | Error> {
    try {
        const response = (await invoke(handler, request)) as { serializeBinary(): Uint8Array };
        return Buffer.from(response.serializeBinary());
    } catch (error) {
        return error instanceof Error ? error : new Error(String(error));
    }
}

/** The diagnostics of an AnalyzeStack response's bytes. */
export function diagnosticsOf(bytes: Buffer): Diagnostic[] {
    return toDiagnostics(analyzerPb.AnalyzeResponse.deserializeBinary(bytes));
}

/** Map-typed fields: the bridge adds no `__defaults` inside them (they are not blocks). */
const MAP_FIELDS = new Set(["annotations", "labels", "limits", "requests", "environmentVariables", "tags", "effectiveLabels", "effectiveAnnotations"]);

/** The props with `__defaults: []` in every nested block, as the terraform bridge's Check output may carry it. */
export function withBridgeDefaults(value: unknown, depth = 0, key = ""): unknown {
    if (Array.isArray(value)) {
        return value.map((item) => withBridgeDefaults(item, depth + 1, key));
    }
    if (typeof value !== "object" || value === null || "4dabf18193072939515e22adb298388d" in value) {
        return value;
    }
    const entries = Object.entries(value).map(([k, v]) => [k, MAP_FIELDS.has(k) ? v : withBridgeDefaults(v, depth + 1, k)]);
    return Object.fromEntries(depth > 0 && !MAP_FIELDS.has(key) ? [...entries, ["__defaults", []]] : entries);
}

const STACK_URN = urnOf("pulumi:pulumi:Stack", "cloudrun-staging-staging");

/**
 * The stack as AnalyzeStack receives it from the engine: the Stack and the default provider (which has no parent,
 * source_eval.go) included, every other resource's parent set. Outputs carry no `__defaults` (only Check does).
 */
export function engineShapedStack(resources: readonly TestResource[]): TestResource[] {
    return [
        { type: "pulumi:pulumi:Stack", name: "cloudrun-staging-staging", props: {}, urn: STACK_URN },
        { type: "pulumi:providers:gcp", name: "default_9_37_0", props: { version: "9.37.0" } },
        ...resources.map((r) => ({ ...r, parent: r.parent ?? STACK_URN })),
    ];
}

function sameVerdicts(given: readonly Diagnostic[], engineShaped: readonly Diagnostic[], what: string): void {
    const key = (ds: readonly Diagnostic[]) => ds.map((d) => `${d.enforcementLevel} ${d.policyName} ${d.cantRun ? "(can't run)" : d.detail}`).join("\n");
    if (key(given) !== key(engineShaped)) {
        throw new Error(`${what}: the engine-shaped request got other verdicts than the fixture as written\n--- as written\n${key(given)}\n--- engine shape\n${key(engineShaped)}`);
    }
}

/**
 * Runs `calls` counting how often the server turns each property bag (a protobuf Struct of a request) into
 * JavaScript: `mostPerBag` 1 means every bag was deserialized once, whatever the number of policies reading it.
 */
export async function countDeserializations(calls: () => Promise<unknown>): Promise<{ bags: number; mostPerBag: number }> {
    // Not structPb.Struct.prototype: google-protobuf's generated classes live on a global, so when another copy of
    // google-protobuf loads later (the root node_modules', e.g. through tools/analyzer) fromJavaScript builds its Structs.
    const prototype = Object.getPrototypeOf(structPb.Struct.fromJavaScript({})) as { toJavaScript(): unknown };
    const original = prototype.toJavaScript;
    const counts = new Map<unknown, number>();
    prototype.toJavaScript = function (this: unknown) {
        counts.set(this, (counts.get(this) ?? 0) + 1);
        return original.call(this);
    };
    try {
        await calls();
    } finally {
        prototype.toJavaScript = original;
    }
    return { bags: counts.size, mostPerBag: Math.max(0, ...counts.values()) };
}

/**
 * Runs `calls` counting the proxies the server wraps around each property object: `mostPerObject` 1 means every
 * policy of a call read a resource's properties through the same proxy.
 */
export async function countProxies(calls: () => Promise<unknown>): Promise<{ objects: number; mostPerObject: number }> {
    packService();
    const proxy: { unknownCheckingProxy(props: unknown): unknown } = serverRequire("./proxy");
    const shared = proxy.unknownCheckingProxy;
    const proxies = new Map<unknown, Set<unknown>>();
    proxy.unknownCheckingProxy = (props) => {
        const wrapped = shared(props);
        proxies.set(props, (proxies.get(props) ?? new Set()).add(wrapped));
        return wrapped;
    };
    try {
        await calls();
    } finally {
        proxy.unknownCheckingProxy = shared;
    }
    return { objects: proxies.size, mostPerObject: Math.max(0, ...[...proxies.values()].map((set) => set.size)) };
}

/**
 * Runs `calls` and returns, for every property bag the policies shared, its JSON as deserialized (before any policy
 * saw it) and after the calls: the pack shares one copy per call (shared-deserialization.ts), so no policy may
 * change what it reads.
 */
export async function sharedPropertiesBeforeAndAfter(calls: () => Promise<unknown>): Promise<{ before: string; after: string }[]> {
    packService();
    const deserialize: { deserializeProperties(struct: unknown, proxySecrets: boolean): unknown } = serverRequire("./deserialize");
    const shared = deserialize.deserializeProperties;
    const seen = new Map<unknown, { props: unknown; before: string }>();
    deserialize.deserializeProperties = (struct, proxySecrets) => {
        const props = shared(struct, proxySecrets);
        if (!proxySecrets && !seen.has(struct)) {
            seen.set(struct, { props, before: JSON.stringify(props) });
        }
        return props;
    };
    try {
        await calls();
    } finally {
        deserialize.deserializeProperties = shared;
    }
    return [...seen.values()].map(({ props, before }) => ({ before, after: JSON.stringify(props) }));
}

/** A whole preview: `analyze` for each resource, then `analyzeStack`, all under one config. */
export async function previewStack(resources: readonly TestResource[], config: PackConfig = {}): Promise<Diagnostic[]> {
    await configurePack(config);
    const perResource: Diagnostic[] = [];
    for (const resource of resources) {
        perResource.push(...await analyzeResource(resource, "keep"));
    }
    return [...perResource, ...await analyzeStack(resources, "keep")];
}

/** Diagnostics of one policy. */
export function ofPolicy(diagnostics: readonly Diagnostic[], policyName: string): Diagnostic[] {
    return diagnostics.filter((d) => d.policyName === policyName);
}

/** Violations (not "can't run" advisories) of one policy. */
export function violationsOf(diagnostics: readonly Diagnostic[], policyName: string): Diagnostic[] {
    return ofPolicy(diagnostics, policyName).filter((d) => !d.cantRun);
}

// ---------------------------------------------------------------------------------------------------
// A JSON Schema check for the subset policy config schemas use (the CLI validates with a full validator).
// ---------------------------------------------------------------------------------------------------

export function schemaErrors(value: unknown, schema: PolicyConfigJSONSchema | boolean, at = "value"): string[] {
    if (typeof schema === "boolean") {
        return schema ? [] : [`${at} is not allowed`];
    }
    const types = schema.type === undefined ? [] : Array.isArray(schema.type) ? schema.type : [schema.type];
    if (types.length > 0 && !types.some((t) => hasJsonType(value, t))) {
        return [`${at} should be ${types.join(" or ")}`];
    }
    const errors: string[] = [];
    if (schema.enum && !schema.enum.some((e) => JSON.stringify(e) === JSON.stringify(value))) {
        errors.push(`${at} should be one of ${JSON.stringify(schema.enum)}`);
    }
    if (typeof value === "number") {
        if (schema.minimum !== undefined && value < schema.minimum) errors.push(`${at} should be >= ${schema.minimum}`);
        if (schema.maximum !== undefined && value > schema.maximum) errors.push(`${at} should be <= ${schema.maximum}`);
        if (schema.exclusiveMinimum !== undefined && value <= schema.exclusiveMinimum) errors.push(`${at} should be > ${schema.exclusiveMinimum}`);
        if (schema.exclusiveMaximum !== undefined && value >= schema.exclusiveMaximum) errors.push(`${at} should be < ${schema.exclusiveMaximum}`);
    }
    if (typeof value === "string") {
        if (schema.minLength !== undefined && value.length < schema.minLength) errors.push(`${at} is shorter than ${schema.minLength}`);
        if (schema.pattern !== undefined && !new RegExp(schema.pattern, "u").test(value)) errors.push(`${at} does not match ${schema.pattern}`);
    }
    if (Array.isArray(value)) {
        if (schema.uniqueItems && new Set(value.map((v) => JSON.stringify(v))).size !== value.length) errors.push(`${at} has duplicate items`);
        if (schema.items !== undefined && !Array.isArray(schema.items)) {
            const itemSchema = schema.items;
            value.forEach((item, i) => errors.push(...schemaErrors(item, itemSchema, `${at}[${i}]`)));
        }
    }
    if (typeof value === "object" && value !== null && !Array.isArray(value)) {
        const object = value as Record<string, unknown>;
        for (const key of schema.required ?? []) {
            if (!(key in object)) errors.push(`${at}.${key} is required`);
        }
        for (const [key, item] of Object.entries(object)) {
            const property = schema.properties?.[key] ?? schema.additionalProperties;
            if (property !== undefined) {
                errors.push(...schemaErrors(item, property, `${at}.${key}`));
            }
        }
    }
    return errors;
}

function hasJsonType(value: unknown, type: string): boolean {
    switch (type) {
        case "integer":
            return Number.isInteger(value);
        case "number":
            return typeof value === "number" && Number.isFinite(value);
        case "array":
            return Array.isArray(value);
        case "object":
            return typeof value === "object" && value !== null && !Array.isArray(value);
        case "null":
            return value === null;
        default:
            return typeof value === type;
    }
}

// ---------------------------------------------------------------------------------------------------
// Fixtures: the staging backend as the program declares it. Builders return fresh trees, so a test changes
// one thing and keeps the rest of a good service or stack.
// ---------------------------------------------------------------------------------------------------

export type Tree = Record<string, any>;

export const T = {
    v2Service: "gcp:cloudrunv2/service:Service",
    v1Service: "gcp:cloudrun/service:Service",
    v2Job: "gcp:cloudrunv2/job:Job",
    v2WorkerPool: "gcp:cloudrunv2/workerPool:WorkerPool",
    secretIamPolicy: "gcp:secretmanager/secretIamPolicy:SecretIamPolicy",
    regionalSecret: "gcp:secretmanager/regionalSecret:RegionalSecret",
    projectIamMember: "gcp:projects/iAMMember:IAMMember",
    projectIamBinding: "gcp:projects/iAMBinding:IAMBinding",
    projectIamPolicy: "gcp:projects/iAMPolicy:IAMPolicy",
    secretVersion: "gcp:secretmanager/secretVersion:SecretVersion",
    connector: "gcp:vpcaccess/connector:Connector",
    secret: "gcp:secretmanager/secret:Secret",
    secretIamMember: "gcp:secretmanager/secretIamMember:SecretIamMember",
    secretIamBinding: "gcp:secretmanager/secretIamBinding:SecretIamBinding",
    account: "gcp:serviceaccount/account:Account",
    v2IamMember: "gcp:cloudrunv2/serviceIamMember:ServiceIamMember",
    v2IamBinding: "gcp:cloudrunv2/serviceIamBinding:ServiceIamBinding",
    v2IamPolicy: "gcp:cloudrunv2/serviceIamPolicy:ServiceIamPolicy",
    v1IamMember: "gcp:cloudrun/iamMember:IamMember",
    v1IamBinding: "gcp:cloudrun/iamBinding:IamBinding",
    v1IamPolicy: "gcp:cloudrun/iamPolicy:IamPolicy",
    dockerImage: "docker:index/image:Image",
    dockerBuildImage: "docker-build:index:Image",
} as const;

export const GCP_PROJECT = "acme-backend-staging";
export const REGION = "europe-west1";
export const RUNTIME_SA = `backend-runtime@${GCP_PROJECT}.iam.gserviceaccount.com`;
export const DIGEST_IMAGE = `${REGION}-docker.pkg.dev/${GCP_PROJECT}/backend/api@sha256:${"0123456789abcdef".repeat(4)}`;
/** The tag the staging image is pushed under (docker Image `imageName`); DIGEST_IMAGE is its repoDigest. */
export const IMAGE_TAG = `${REGION}-docker.pkg.dev/${GCP_PROJECT}/backend/api:staging`;
export const CONNECTOR_NAME = "backend-staging";
export const CONNECTOR_ID = `projects/${GCP_PROJECT}/locations/${REGION}/connectors/${CONNECTOR_NAME}`;
export const ACCESSOR_ROLE = "roles/secretmanager.secretAccessor";

/** Env var → secret id of the staging backend. */
export const SECRET_ENV: Readonly<Record<string, string>> = {
    DATABASE_URL: "backend-database-url",
    REDIS_URL: "backend-redis-url",
    CLICKHOUSE_URL: "backend-clickhouse-url",
};

export function secretEnv(name: string, secret: unknown, version: unknown = "3"): Tree {
    return { name, valueSource: { secretKeyRef: { secret, version } } };
}

/** The serving container of the staging backend: passes every policy. */
export function goodContainer(): Tree {
    return {
        name: "api",
        image: DIGEST_IMAGE,
        ports: { containerPort: 8000, name: "http1" },
        resources: { limits: { cpu: "2", memory: "4Gi" }, cpuIdle: false, startupCpuBoost: true },
        startupProbe: { httpGet: { path: "/healthz" }, initialDelaySeconds: 0, periodSeconds: 10, timeoutSeconds: 5, failureThreshold: 24 },
        livenessProbe: { httpGet: { path: "/healthz" }, periodSeconds: 30 },
        envs: [
            ...Object.entries(SECRET_ENV).map(([name, secret]) => secretEnv(name, secret)),
            { name: "LOG_LEVEL", value: "info" },
        ],
    };
}

/** A Cloud Run v2 service that passes every resource policy. */
export function goodV2Service(): Tree {
    return {
        name: "backend",
        location: REGION,
        project: GCP_PROJECT,
        ingress: "INGRESS_TRAFFIC_INTERNAL_LOAD_BALANCER",
        deletionProtection: false,
        template: {
            serviceAccount: RUNTIME_SA,
            timeout: "900s",
            maxInstanceRequestConcurrency: 40,
            executionEnvironment: "EXECUTION_ENVIRONMENT_GEN2",
            scaling: { minInstanceCount: 1, maxInstanceCount: 10 },
            vpcAccess: { connector: CONNECTOR_ID, egress: "PRIVATE_RANGES_ONLY" },
            containers: [goodContainer()],
        },
    };
}

/** The same service on the v1 API (gcp:cloudrun/service:Service); max instances as the v2 one. */
export function goodV1Service(): Tree {
    return {
        name: "backend-v1",
        location: REGION,
        project: GCP_PROJECT,
        metadata: { annotations: { "run.googleapis.com/ingress": "internal-and-cloud-load-balancing" } },
        template: {
            metadata: {
                annotations: {
                    "run.googleapis.com/vpc-access-connector": CONNECTOR_NAME,
                    "run.googleapis.com/execution-environment": "gen2",
                    "autoscaling.knative.dev/maxScale": "10",
                },
            },
            spec: {
                serviceAccountName: RUNTIME_SA,
                timeoutSeconds: 900,
                containerConcurrency: 40,
                containers: [{
                    image: DIGEST_IMAGE,
                    ports: [{ containerPort: 8000, name: "http1" }],
                    resources: { limits: { cpu: "2", memory: "4Gi" } },
                    startupProbe: { httpGet: { path: "/healthz" }, periodSeconds: 10, timeoutSeconds: 5, failureThreshold: 24 },
                    livenessProbe: { httpGet: { path: "/healthz" } },
                    envs: Object.entries(SECRET_ENV).map(([name, secret]) => ({ name, valueFrom: { secretKeyRef: { name: secret, key: "3" } } })),
                }],
            },
        },
    };
}

export function v2Service(props: Tree, name = "backend"): TestResource {
    return { type: T.v2Service, name, props };
}

export function goodConnector(): Tree {
    return {
        name: CONNECTOR_NAME,
        region: REGION,
        project: GCP_PROJECT,
        network: "default",
        ipCidrRange: "10.8.0.0/28",
        minInstances: 2,
        maxInstances: 6,
        machineType: "e2-standard-4",
    };
}

export interface StackOptions {
    /** A fresh-stack preview: ids, emails and members computed by the provider are unknown. */
    freshPreview?: boolean;
    /** Env vars whose SecretIamMember is left out. */
    withoutGrantFor?: string[];
    /** Env vars whose Secret is left out. */
    withoutSecretFor?: string[];
    withoutConnector?: boolean;
    service?: (props: Tree) => void;
}

/** The staging image as a docker Image resource: pushed (repoDigest known), or in a fresh preview still to be pushed. */
export function stagingImage(fresh: boolean): TestResource {
    return {
        type: T.dockerImage,
        name: "backend",
        props: {
            imageName: IMAGE_TAG,
            build: { context: "app", dockerfile: "app/Dockerfile", platform: "linux/amd64" },
            buildOnPreview: false,
            skipPush: false,
            repoDigest: fresh ? UNKNOWN.string : DIGEST_IMAGE,
        },
    };
}

/**
 * The staging stack: runtime service account, three secrets with accessor grants, a connector, the image built
 * and pushed by a docker Image and the service, wired with dependencies and propertyDependencies as the engine
 * reports them. The service is last and the account first.
 */
export function stagingStack(options: StackOptions = {}): TestResource[] {
    const fresh = options.freshPreview === true;
    const accountUrn = urnOf(T.account, "backend-runtime");
    const connectorUrn = urnOf(T.connector, CONNECTOR_NAME);
    const account: TestResource = {
        type: T.account,
        name: "backend-runtime",
        props: fresh
            ? { accountId: "backend-runtime", project: UNKNOWN.string, email: UNKNOWN.string, member: UNKNOWN.string }
            : { accountId: "backend-runtime", project: GCP_PROJECT, email: RUNTIME_SA, member: `serviceAccount:${RUNTIME_SA}` },
    };
    const secrets: TestResource[] = [];
    const grants: TestResource[] = [];
    for (const [envName, secretId] of Object.entries(SECRET_ENV)) {
        const secretUrn = urnOf(T.secret, secretId);
        if (!options.withoutSecretFor?.includes(envName)) {
            secrets.push({
                type: T.secret,
                name: secretId,
                props: { secretId, project: fresh ? UNKNOWN.string : GCP_PROJECT, replication: { auto: {} }, name: fresh ? UNKNOWN.string : `projects/123456789/secrets/${secretId}` },
            });
        }
        if (!options.withoutGrantFor?.includes(envName)) {
            grants.push({
                type: T.secretIamMember,
                name: `${secretId}-accessor`,
                props: {
                    secretId: fresh ? UNKNOWN.string : `projects/${GCP_PROJECT}/secrets/${secretId}`,
                    role: ACCESSOR_ROLE,
                    member: fresh ? UNKNOWN.string : `serviceAccount:${RUNTIME_SA}`,
                },
                dependencies: [secretUrn, accountUrn],
                propertyDependencies: { secretId: [secretUrn], member: [accountUrn] },
            });
        }
    }
    const connector: TestResource[] = options.withoutConnector ? [] : [{ type: T.connector, name: CONNECTOR_NAME, props: goodConnector() }];
    const image = stagingImage(fresh);
    const serviceProps = goodV2Service();
    if (fresh) {
        serviceProps.template.serviceAccount = UNKNOWN.string;
        serviceProps.template.vpcAccess.connector = UNKNOWN.string;
        serviceProps.template.containers[0].image = UNKNOWN.string;
        for (const env of serviceProps.template.containers[0].envs) {
            if (env.valueSource) {
                env.valueSource.secretKeyRef.secret = UNKNOWN.string;
            }
        }
    }
    options.service?.(serviceProps);
    const templateDeps = [
        accountUrn, ...secrets.map((s) => urnOf(s.type, s.name)), ...(options.withoutConnector ? [] : [connectorUrn]), urnOf(image.type, image.name),
    ];
    const service: TestResource = {
        ...v2Service(serviceProps),
        dependencies: templateDeps,
        propertyDependencies: { template: templateDeps },
    };
    return [account, ...secrets, ...grants, ...connector, image, service];
}

/** Diagnostics of `policy` for the staging v2 service after `change` (a test's one difference). */
export async function checkV2Service(policy: string, change: (props: Tree) => void, config: PackConfig = {}): Promise<Diagnostic[]> {
    const props = goodV2Service();
    change(props);
    return ofPolicy(await analyzeResource(v2Service(props), config), policy);
}

export const STACK_POLICIES = [
    "vpcaccess-connector-capacity", "cloudrun-secret-refs-resolve", "cloudrun-secret-accessor-grants", "cloudrun-connector-in-stack",
    "cloudrun-identity-and-image-from-stack",
] as const;

/** The cost policy: a stack policy that, with no budget set, reports every workload's estimate as an advisory. */
export const COST_POLICY = "cloudrun-service-monthly-cost";

/** The diagnostics other than the cost policy's estimates (a report on every stack, not a problem). */
export function withoutCostEstimates<D extends { policyName: string }>(diagnostics: readonly D[]): D[] {
    return diagnostics.filter((d) => d.policyName !== COST_POLICY);
}
