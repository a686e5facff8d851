/**
 * An engine-shaped view of a planned stack: what the Pulumi engine would send a policy pack for the resources a
 * program registered, instead of the raw registrations.
 *
 * - Analyze (per resource) gets the provider's Check output: the registered inputs, schema defaults filled in,
 *   autonamed `name`s, and the terraform bridge's `__defaults` bookkeeping on every nested object (the engine strips
 *   internal keys at the top level only).
 * - AnalyzeStack gets every resource's outputs, the root `pulumi:pulumi:Stack` and the default providers included,
 *   each linked to its provider, parent, dependencies and propertyDependencies. "applied": after create, computed
 *   values known and unset fields as zero values or null; "preview": a fresh stack, computed values unknown.
 *
 * Every assumption names its source. Short names used below:
 * - [fixture] pulumi/pulumi-gcp provider/provider_test.go, TestRepro1794: a recorded Diff for a
 *   gcp:cloudrun/service:Service whose `news` are the provider's Check output and whose `olds` are its outputs after
 *   create. It shows: no `project` added by Check although the provider had one, top-level `__defaults` naming the
 *   defaulted keys (`autogenerateRevisionName`, the autonamed `name` "b-476c751"), `__defaults: []` in every nested
 *   object (objects in lists too) but not inside maps (`annotations`), outputs with `project` and `id` filled, unset
 *   fields as zero values ("" / 0 / [] / {}), unset blocks as null, and what Cloud Run fills itself.
 * - [resources.go] pulumi/pulumi-gcp provider/resources.go: `prov.SetAutonaming(255, "-")`, no default for
 *   a resource's project or region (only the provider's own config reads env vars), `EnableAccurateBridgePreview`.
 * - [mmv1 Service.yaml] / [mmv1 Job.yaml] GoogleCloudPlatform/magic-modules mmv1/products/cloudrunv2/*.yaml:
 *   `default_value` becomes a schema default (filled by Check), `default_from_api` an optional+computed attribute
 *   (unknown in a create's plan, set by the API after create).
 * - [mmv1 iam] magic-modules mmv1/templates/terraform/iam_policy.go.tmpl: IAM resources store project/location
 *   from the provider when unset and the parent attribute as the parent's long id (`u.GetResourceId()`).
 * - [d.ts] node_modules/@pulumi/gcp/<module>/<resource>.d.ts and types/input.d.ts doc comments (v9.37.0).
 * - [source_eval.go] pulumi/pulumi pkg/resource/deploy/source_eval.go newRegisterDefaultProviderEvent: a default
 *   provider is registered on demand, inputs = the package's stack config + `version`, name `req.DefaultName()`,
 *   no parent; docs/architecture/providers/default.md says the same.
 * - [engine-facts] ../shared/engine-facts.md (pulumi/pulumi analyzer_plugin.go, step_generator.go).
 * Values that no source shows (made-up ids, hashes, Cloud Run's own defaults beyond [fixture]) are deterministic and
 * marked "assumption".
 */
import { createHash } from "crypto";
import type { CapturedResource } from "../program-runner";
import type { AnalyzerResource, ProviderResource } from "./client";
import { PropertyMap, PropertyValue, SIG_KEY, SIGNATURES, UNKNOWN, UNKNOWN_SENTINELS, secret, toStruct } from "./properties";

export type EnginePhase = "preview" | "applied";

export interface EngineShapeOptions {
    /** gcp:project, the default provider's project. */
    project: string;
    /** gcp:region, the default provider's region. */
    region: string;
    /**
     * The project's number, which the API puts in some names (a Secret's `name`). Without it, a stable made-up
     * 12-digit number derived from the project id is used (assumption), so names still differ from ids.
     */
    projectNumber?: string;
    stack: string;
    /** The Pulumi project name (Pulumi.yaml `name`). */
    projectName: string;
    phase: EnginePhase;
}

/**
 * What the engine sends to Analyze for one resource. The options are not needed: Check does not fill a
 * resource's project or region from the provider's config ([fixture], [resources.go]); outputs do.
 */
export function checkOutput(resource: CapturedResource, _options: EngineShapeOptions): PropertyMap {
    const inputs = registeredInputs(resource);
    const model = MODELS[resource.type];
    if (!resource.custom || !model?.bridged) {
        // Components are not checked; unknown types and non-bridged providers (docker Image) pass through.
        return inputs;
    }
    const topDefaults: Obj = { ...(model.topDefaults ?? {}) };
    if (model.autoName && isUnset(inputs.name)) {
        // [resources.go] SetAutonaming(255, "-"): `<resource name>-<7 random hex>`, e.g. "b-476c751" in [fixture].
        // The random part comes from the engine's seed; here it is derived from the URN (assumption).
        topDefaults.name = `${resource.name}-${digest(resource.urn, HEX, 7)}`;
    }
    // The top-level `__defaults` list the bridge writes is an internal key: the engine drops it [engine-facts].
    return withDefaults(inputs, "", model, topDefaults, false);
}

/** What the engine sends to AnalyzeStack: Stack, default providers, every resource with its outputs and links. */
export function engineStack(resources: readonly CapturedResource[], options: EngineShapeOptions): AnalyzerResource[] {
    return engineView(resources, options, (resource) => outputsOf(resource, options), {});
}

/** Per-resource Analyze requests (Check outputs, with provider and parent set). */
export function engineAnalyzeRequests(resources: readonly CapturedResource[], options: EngineShapeOptions): AnalyzerResource[] {
    // Every registration goes through the step generator, which calls Remediate then Analyze [engine-facts]:
    // the Stack, default providers and components included; components with their registered inputs.
    return engineView(resources, options, (resource) => checkOutput(resource, options), undefined);
}

// ---------------------------------------------------------------------------------------------------------------
// Stack, providers, links
// ---------------------------------------------------------------------------------------------------------------

const STACK_TYPE = "pulumi:pulumi:Stack";
const PROVIDER_TYPE_PREFIX = "pulumi:providers:";

/**
 * The resources in the order the engine registers them: the Stack first, each default provider just before the
 * first resource that needs it ([source_eval.go]: created on demand), then the program's resources in order.
 * `componentProperties`: what a component carries (AnalyzeStack: `{}`, as the engine records components;
 * Analyze: undefined, meaning its registered inputs).
 */
function engineView(
    resources: readonly CapturedResource[],
    options: EngineShapeOptions,
    propertiesOf: (resource: CapturedResource) => PropertyMap,
    componentProperties: PropertyMap | undefined,
): AnalyzerResource[] {
    const registeredStack = resources.find((r) => r.type === STACK_TYPE);
    const stackUrn = registeredStack?.urn ?? urnOf(options, STACK_TYPE, `${options.projectName}-${options.stack}`);
    // The Node.js SDK names the root stack `<project>-<stack>` (@pulumi/pulumi runtime/stack.js); it has no inputs.
    const view: AnalyzerResource[] = [{ urn: stackUrn, type: STACK_TYPE, name: nameOf(stackUrn), properties: {}, dependencies: [], propertyDependencies: {} }];
    const providers = new Map<string, ProviderResource>();
    for (const resource of resources) {
        if (resource.type === STACK_TYPE) {
            continue;
        }
        const links = {
            // The SDK parents every resource without an explicit parent to the root stack.
            parent: resource.parent ?? stackUrn,
            dependencies: [...resource.dependencies],
            propertyDependencies: { ...resource.propertyDependencies },
        };
        if (resource.type.startsWith(PROVIDER_TYPE_PREFIX)) {
            // An explicit provider: its outputs are its inputs.
            view.push({ urn: resource.urn, type: resource.type, name: resource.name, properties: registeredInputs(resource), ...links });
            continue;
        }
        if (!resource.custom) {
            const properties = componentProperties ?? registeredInputs(resource);
            view.push({ urn: resource.urn, type: resource.type, name: resource.name, properties: { ...properties }, ...links });
            continue;
        }
        const pkg = resource.type.slice(0, resource.type.indexOf(":"));
        let provider = providers.get(pkg);
        if (!provider) {
            provider = defaultProvider(pkg, options);
            providers.set(pkg, provider);
            // [source_eval.go]: the default provider's goal has no parent and no dependencies.
            view.push({ ...provider, properties: { ...(provider.properties as PropertyMap) }, dependencies: [], propertyDependencies: {} });
        }
        // Limitation: CapturedResource does not record an explicit `provider` option, so every custom resource is
        // linked to its package's default provider.
        view.push({ urn: resource.urn, type: resource.type, name: resource.name, properties: propertiesOf(resource), provider, ...links });
    }
    return view;
}

/**
 * The default provider for a package: inputs from the stack config of that package plus `version`
 * ([source_eval.go], docs/architecture/providers/default.md); name `default_<version with _>`, as in
 * "pulumi:providers:gcp resource 'default_7_6_0'" (pulumi/pulumi-gcp#1554), or "default" without a version.
 */
function defaultProvider(pkg: string, options: EngineShapeOptions): ProviderResource {
    const version = packageVersion(pkg);
    const name = version ? `default_${version.replace(/[.-]/g, "_")}` : "default";
    const properties: PropertyMap = pkg === "gcp" ? { project: options.project, region: options.region } : {};
    if (version) {
        properties.version = version;
    }
    return { urn: urnOf(options, `${PROVIDER_TYPE_PREFIX}${pkg}`, name), type: `${PROVIDER_TYPE_PREFIX}${pkg}`, name, properties };
}

/** The SDK version the program would register with: the installed @pulumi/<pkg>. */
function packageVersion(pkg: string): string | undefined {
    try {
        return (require(`@pulumi/${pkg}/package.json`) as { version?: string }).version;
    } catch {
        return undefined;
    }
}

function urnOf(options: EngineShapeOptions, type: string, name: string): string {
    return `urn:pulumi:${options.stack}::${options.projectName}::${type}::${name}`;
}

function nameOf(urn: string): string {
    return urn.slice(urn.lastIndexOf("::") + 2);
}

// ---------------------------------------------------------------------------------------------------------------
// Property helpers
// ---------------------------------------------------------------------------------------------------------------

type Obj = { [key: string]: PropertyValue | undefined };

const UNKNOWN_VALUES: ReadonlySet<string> = new Set(Object.values(UNKNOWN_SENTINELS));

/**
 * The registered inputs as the engine holds them: unknowns as sentinels, secrets as secret objects, resource
 * references and output values flattened as the engine's marshaller does (properties.ts).
 */
function registeredInputs(resource: CapturedResource): PropertyMap {
    const raw = toStruct(resource.properties).toJavaScript() as PropertyMap;
    return toStruct(raw).toJavaScript() as PropertyMap;
}

function isPlainObject(value: unknown): value is Obj {
    return typeof value === "object" && value !== null && !Array.isArray(value) && !(SIG_KEY in value);
}

function isSecret(value: unknown): value is Obj {
    return typeof value === "object" && value !== null && !Array.isArray(value) && (value as Obj)[SIG_KEY] === SIGNATURES.secret;
}

function isUnset(value: PropertyValue | undefined): boolean {
    return value === undefined || value === null;
}

/** The plain objects a value holds: itself, a list's elements, inside secrets; none for an unknown. */
function objectsIn(value: PropertyValue | undefined): Obj[] {
    if (isSecret(value)) {
        return objectsIn(value.value);
    }
    if (Array.isArray(value)) {
        return value.flatMap(objectsIn);
    }
    return isPlainObject(value) ? [value] : [];
}

/** A known string (secret or not), else undefined. */
function knownString(value: PropertyValue | undefined): string | undefined {
    const plain = isSecret(value) ? value.value : value;
    return typeof plain === "string" && !UNKNOWN_VALUES.has(plain) ? plain : undefined;
}

function knownNumber(value: PropertyValue | undefined): number | undefined {
    const plain = isSecret(value) ? value.value : value;
    return typeof plain === "number" ? plain : undefined;
}

function deepCopy<T extends PropertyValue | PropertyMap>(value: T): T {
    return JSON.parse(JSON.stringify(value)) as T;
}

const HEX = "0123456789abcdef";
const LOWER_ALNUM = "abcdefghijklmnopqrstuvwxyz0123456789";
const DIGITS = "0123456789";

/** A stable pseudo-random string for values the cloud makes up (ids, hashes): deterministic per input. */
function digest(seed: string, alphabet: string, length: number): string {
    const bytes = createHash("sha256").update(seed).digest();
    let text = "";
    for (let i = 0; i < length; i++) {
        text += alphabet[bytes[i % bytes.length] % alphabet.length];
    }
    return text;
}

// ---------------------------------------------------------------------------------------------------------------
// Check: schema defaults and `__defaults`
// ---------------------------------------------------------------------------------------------------------------

/**
 * Copies `value` with the bridge's bookkeeping: every nested object (objects in lists too, inside secrets too)
 * gets the schema defaults for its path and `__defaults` naming them (`[]` when none) [fixture]; maps (string to
 * string) are values, not objects, and get nothing.
 */
function withDefaults(object: Obj, path: string, model: TypeModel, defaults: Obj, nested: boolean): Obj {
    const result: Obj = {};
    for (const [key, member] of Object.entries(object)) {
        if (member !== undefined) {
            result[key] = nestedWithDefaults(member, path ? `${path}.${key}` : key, model);
        }
    }
    const defaulted: string[] = [];
    for (const [key, value] of Object.entries(defaults)) {
        // The bridge treats null like an absent value.
        if (isUnset(result[key])) {
            result[key] = deepCopy(value as PropertyValue);
            defaulted.push(key);
        }
    }
    if (nested) {
        result.__defaults = defaulted.sort();
    }
    return result;
}

function nestedWithDefaults(value: PropertyValue, path: string, model: TypeModel): PropertyValue {
    if (isSecret(value)) {
        return secret(nestedWithDefaults(value.value ?? null, path, model));
    }
    if (Array.isArray(value)) {
        return value.map((element) => nestedWithDefaults(element, path, model));
    }
    if (!isPlainObject(value) || model.maps.has(path.slice(path.lastIndexOf(".") + 1))) {
        return value;
    }
    return withDefaults(value, path, model, model.nestedDefaults?.[path] ?? {}, true);
}

/** Removes the bridge's `__defaults` bookkeeping: outputs never carry it ([fixture] `olds`). */
function withoutBookkeeping(value: PropertyValue): PropertyValue {
    if (Array.isArray(value)) {
        return value.map(withoutBookkeeping);
    }
    if (typeof value !== "object" || value === null) {
        return value;
    }
    const result: Obj = {};
    for (const [key, member] of Object.entries(value)) {
        if (member !== undefined && key !== "__defaults") {
            result[key] = withoutBookkeeping(member);
        }
    }
    return result;
}

// ---------------------------------------------------------------------------------------------------------------
// Outputs
// ---------------------------------------------------------------------------------------------------------------

interface OutputContext {
    phase: EnginePhase;
    /** The provider's project and region. */
    project: string;
    region: string;
    projectNumber: string;
    urn: string;
}

function outputsOf(resource: CapturedResource, options: EngineShapeOptions): PropertyMap {
    const model = MODELS[resource.type];
    const checked = checkOutput(resource, options);
    if (!model) {
        // Unknown types: the inputs as outputs, nothing computed.
        return checked;
    }
    const outputs = withoutBookkeeping(checked) as Obj;
    model.outputs(outputs, {
        phase: options.phase,
        project: options.project,
        region: options.region,
        projectNumber: options.projectNumber ?? `${1 + (parseInt(digest(options.project, DIGITS, 1), 10) % 9)}${digest(options.project, DIGITS, 11)}`,
        urn: resource.urn,
    });
    return outputs;
}

/**
 * An optional+computed attribute (mmv1 `default_from_api`, or non-optional in the d.ts output type) left unset:
 * unknown in a create's plan (preview), the API's value after create (applied).
 */
function computedDefault(target: Obj, key: string, ctx: OutputContext, value: () => PropertyValue): void {
    if (isUnset(target[key])) {
        target[key] = ctx.phase === "applied" ? value() : UNKNOWN;
    }
}

/** A purely computed attribute: unknown in preview, `value()` after create. */
function computed(target: Obj, key: string, ctx: OutputContext, value: () => PropertyValue): void {
    target[key] = ctx.phase === "applied" ? value() : UNKNOWN;
}

/**
 * Optional, non-computed attributes left unset: the state after create holds their zero value ("" / 0 / false /
 * [] / {}) or null for a block [fixture]. In a preview they stay absent (the plan's null is not shown; not sourced).
 */
function zeroValues(target: Obj, ctx: OutputContext, zeros: Obj): void {
    if (ctx.phase !== "applied") {
        return;
    }
    for (const [key, zero] of Object.entries(zeros)) {
        if (target[key] === undefined) {
            target[key] = deepCopy(zero as PropertyValue);
        }
    }
}

/**
 * Fills `project` from the provider when unset. After create: TF state holds the project used ([fixture] `olds`
 * has it, `news` does not). In a preview: the plan's value, which mmv1 resources compute with the
 * `tpgresource.DefaultProviderProject` CustomizeDiff and the bridge shows since `EnableAccurateBridgePreview`
 * [resources.go] (assumption for the CustomizeDiff).
 */
function providerProject(target: Obj, ctx: OutputContext): string | undefined {
    if (isUnset(target.project)) {
        target.project = ctx.project;
    }
    return knownString(target.project);
}

/** `format` when every part is a known string, else unknown. */
function composed(parts: readonly (string | undefined)[], format: (...parts: string[]) => string): PropertyValue {
    return parts.every((p) => p !== undefined) ? format(...(parts as string[])) : UNKNOWN;
}

/** The part after the last "/" of a long name ("projects/p/secrets/s" → "s"). */
function shortName(value: string | undefined): string | undefined {
    return value === undefined ? undefined : value.slice(value.lastIndexOf("/") + 1);
}

/** `projects/<p>/.../<collection>/<id>` → its segments by collection name. */
function longNameParts(value: string | undefined): Record<string, string> {
    const parts: Record<string, string> = {};
    const segments = value?.split("/") ?? [];
    for (let i = 0; i + 1 < segments.length; i += 2) {
        parts[segments[i]] = segments[i + 1];
    }
    return parts;
}

/** The default compute service account, which Cloud Run runs as when none is set ([fixture] serviceAccountName). */
function defaultComputeAccount(ctx: OutputContext): string {
    return `${ctx.projectNumber}-compute@developer.gserviceaccount.com`;
}

/**
 * Cloud Run's default URL, `https://<service>-<hash>-<region code>.a.run.app` ([fixture]
 * "https://b-476c751-ctnulmzwoa-uc.a.run.app" for us-central1). The hash is made up and the region code is the
 * initials of the region's words ("us-central1" → "uc"; assumption beyond that example).
 */
function runAppUrl(name: string, location: string, ctx: OutputContext): string {
    const code = location.split("-").map((word) => word[0]).join("");
    return `https://${name}-${digest(`${ctx.projectNumber}/${name}`, LOWER_ALNUM, 10)}-${code}.a.run.app`;
}

/** The first revision's name, `<service>-00001-<3 letters>` ([fixture] "b-476c751-00001-rbp"). */
function firstRevision(name: string, ctx: OutputContext): string {
    return `${name}-00001-${digest(`${ctx.urn}/revision`, "abcdefghijklmnopqrstuvwxyz", 3)}`;
}

// ---------------------------------------------------------------------------------------------------------------
// Types
// ---------------------------------------------------------------------------------------------------------------

interface TypeModel {
    /** A terraform-bridged type (Check adds `__defaults`); false for natively implemented ones. */
    bridged: boolean;
    /** Keys holding maps of strings: no `__defaults` inside them ([d.ts] `{[key: string]: string}` types). */
    maps: ReadonlySet<string>;
    /** Top-level schema defaults Check fills. */
    topDefaults?: Obj;
    /** Nested schema defaults Check fills, by path of object keys (list levels skipped). */
    nestedDefaults?: Record<string, Obj>;
    /** `name` is autonamed when unset ([resources.go] SetAutonaming; the type's `name` input is optional). */
    autoName?: boolean;
    /** Completes the outputs (a copy of the Check output without bookkeeping) in place. */
    outputs(outputs: Obj, ctx: OutputContext): void;
}

/** [d.ts] types/input.d.ts: the cloudrunv2 maps; `tags` is a map at the top level of services and jobs. */
const V2_MAPS: ReadonlySet<string> = new Set(["labels", "annotations", "limits", "environmentVariables", "tags"]);
/** [d.ts] types/input.d.ts: the cloudrun (v1) maps (there `nodeSelector` is a map; in v2 it is an object). */
const V1_MAPS: ReadonlySet<string> = new Set([
    "labels", "annotations", "limits", "requests", "nodeSelector", "volumeAttributes", "effectiveAnnotations", "effectiveLabels", "pulumiLabels",
]);
/** [d.ts] Secret args: `annotations`, `labels`, `tags`, `versionAliases` are maps; Repository: `labels`. */
const OTHER_MAPS: ReadonlySet<string> = new Set(["labels", "annotations", "tags", "versionAliases"]);

/**
 * Probe defaults: [mmv1 Service.yaml] `default_value` on livenessProbe and startupProbe (initialDelaySeconds 0,
 * timeoutSeconds 1, periodSeconds 10, failureThreshold 3); [d.ts] documents the same for jobs and worker pools
 * (assumption that they are schema defaults there too).
 */
const PROBE_DEFAULTS: Obj = { initialDelaySeconds: 0, timeoutSeconds: 1, periodSeconds: 10, failureThreshold: 3 };
/** [mmv1 Service.yaml] httpGet.path `default_value: "/"`; httpHeaders[].value and env[].value `default_value: ""`. */
const HTTP_GET_DEFAULTS: Obj = { path: "/" };
const VALUE_DEFAULT: Obj = { value: "" };
/** [mmv1 Service.yaml] emptyDir.medium `default_value: "MEMORY"`; [d.ts] "Default value is `MEMORY`" for all three. */
const EMPTY_DIR_DEFAULTS: Obj = { medium: "MEMORY" };

function probeDefaults(prefix: string, probes: readonly string[], httpGetPath: boolean): Record<string, Obj> {
    const defaults: Record<string, Obj> = {};
    for (const probe of probes) {
        defaults[`${prefix}.${probe}`] = PROBE_DEFAULTS;
        defaults[`${prefix}.${probe}.httpGet.httpHeaders`] = VALUE_DEFAULT;
        if (httpGetPath) {
            defaults[`${prefix}.${probe}.httpGet`] = HTTP_GET_DEFAULTS;
        }
    }
    return defaults;
}

/** Cloud Run's default container resources ([fixture]: limits cpu "1000m", memory "512Mi"; v2 by analogy). */
const DEFAULT_LIMITS: Obj = { cpu: "1000m", memory: "512Mi" };
const DEFAULT_PORT = 8080;

/** Cloud Run v2 outputs: service, job, worker pool. */
function cloudRunV2Outputs(collection: "services" | "jobs" | "workerPools"): TypeModel["outputs"] {
    return (out, ctx) => {
        const project = providerProject(out, ctx);
        const name = knownString(out.name);
        const location = knownString(out.location);
        // [mmv1 Service.yaml] id_format projects/{{project}}/locations/{{location}}/services/{{name}}; [d.ts] import
        // formats for jobs and workerPools.
        computed(out, "id", ctx, () => composed([project, location, name], (p, l, n) => `projects/${p}/locations/${l}/${collection}/${n}`));
        zeroValues(out, ctx, { labels: {}, annotations: {}, client: "", clientVersion: "", binaryAuthorization: null });
        if (collection !== "jobs") {
            zeroValues(out, ctx, { description: "", customAudiences: [] });
        }
        if (collection === "services") {
            computed(out, "uri", ctx, () => composed([name, location], (n, l) => runAppUrl(n, l, ctx)));
            computed(out, "latestCreatedRevision", ctx, () => composed([name], (n) => firstRevision(n, ctx)));
            computed(out, "latestReadyRevision", ctx, () => composed([name], (n) => firstRevision(n, ctx)));
            // default_from_api [mmv1 Service.yaml]; Cloud Run's default ingress is "all" ([fixture] annotation
            // run.googleapis.com/ingress: all; the v2 enum spelling is an assumption).
            computedDefault(out, "ingress", ctx, () => "INGRESS_TRAFFIC_ALL");
            zeroValues(out, ctx, { invokerIamDisabled: false });
        }
        for (const template of objectsIn(out.template)) {
            zeroValues(template, ctx, { labels: {}, annotations: {} });
            const revisionTemplates = collection === "jobs" ? objectsIn(template.template) : [template];
            for (const revision of revisionTemplates) {
                cloudRunV2Template(revision, ctx, collection);
            }
        }
    };
}

function cloudRunV2Template(template: Obj, ctx: OutputContext, collection: "services" | "jobs" | "workerPools"): void {
    // default_from_api [mmv1 Service.yaml, Job.yaml]: "If not provided, the revision will use the project's default
    // service account" ([fixture]: <number>-compute@developer.gserviceaccount.com).
    computedDefault(template, "serviceAccount", ctx, () => defaultComputeAccount(ctx));
    zeroValues(template, ctx, { volumes: [], encryptionKey: "", executionEnvironment: "", vpcAccess: null });
    if (collection === "services") {
        // default_from_api [mmv1 Service.yaml]; values as [fixture] shows them for v1 (timeoutSeconds 300,
        // containerConcurrency 80; [d.ts] "defaults to 80 when requested CPU >= 1").
        computedDefault(template, "timeout", ctx, () => "300s");
        computedDefault(template, "maxInstanceRequestConcurrency", ctx, () => 80);
        zeroValues(template, ctx, { revision: "", sessionAffinity: false, nodeSelector: null });
    }
    for (const vpcAccess of objectsIn(template.vpcAccess)) {
        // egress is default_from_api [mmv1 Service.yaml]; Cloud Run's default is private ranges only (assumption:
        // Cloud Run documentation, not observed in a recorded state).
        computedDefault(vpcAccess, "egress", ctx, () => "PRIVATE_RANGES_ONLY");
    }
    for (const container of objectsIn(template.containers)) {
        cloudRunV2Container(container, ctx, collection);
    }
}

function cloudRunV2Container(container: Obj, ctx: OutputContext, collection: "services" | "jobs" | "workerPools"): void {
    // resources and resources.limits are default_from_api [mmv1 Service.yaml, Job.yaml].
    computedDefault(container, "resources", ctx, () => ({ limits: deepCopy(DEFAULT_LIMITS) }));
    for (const resources of objectsIn(container.resources)) {
        computedDefault(resources, "limits", ctx, () => deepCopy(DEFAULT_LIMITS));
    }
    zeroValues(container, ctx, { name: "", args: [], commands: [], envs: [], volumeMounts: [], workingDir: "", dependsOns: [] });
    if (collection === "jobs") {
        return;
    }
    zeroValues(container, ctx, { livenessProbe: null });
    let port = DEFAULT_PORT;
    if (collection === "services") {
        // ports (one object in v2: max_size 1) and ports.name are default_from_api [mmv1 Service.yaml]; [fixture]
        // shows 8080 / "http1" for a container without ports.
        computedDefault(container, "ports", ctx, () => ({ containerPort: DEFAULT_PORT, name: "http1" }));
        for (const ports of objectsIn(container.ports)) {
            computedDefault(ports, "name", ctx, () => "http1");
            port = knownNumber(ports.containerPort) ?? port;
        }
        // startupProbe is default_from_api [mmv1 Service.yaml]; [fixture] shows Cloud Run's default: a TCP probe on
        // the container port, timeout 240 s, period 240 s, failureThreshold 1.
        computedDefault(container, "startupProbe", ctx, () => ({
            initialDelaySeconds: 0, timeoutSeconds: 240, periodSeconds: 240, failureThreshold: 1, tcpSocket: { port },
        }));
    }
    for (const probe of [...objectsIn(container.startupProbe), ...objectsIn(container.livenessProbe)]) {
        // The probe's port is default_from_api: "defaults to the same value as container.ports[0].containerPort".
        for (const action of [...objectsIn(probe.httpGet), ...objectsIn(probe.tcpSocket), ...objectsIn(probe.grpc)]) {
            computedDefault(action, "port", ctx, () => port);
        }
    }
}

/** Cloud Run v1 outputs, as [fixture] `olds` shows them. */
function cloudRunV1Outputs(out: Obj, ctx: OutputContext): void {
    const project = providerProject(out, ctx);
    const name = knownString(out.name);
    const location = knownString(out.location);
    // [d.ts] import format locations/{{location}}/namespaces/{{project}}/services/{{name}}; [fixture] id.
    computed(out, "id", ctx, () => composed([location, project, name], (l, p, n) => `locations/${l}/namespaces/${p}/services/${n}`));
    const revision = () => composed([name], (n) => firstRevision(n, ctx));
    const url = () => composed([name, location], (n, l) => runAppUrl(n, l, ctx));
    computed(out, "statuses", ctx, () => [{
        conditions: ["Ready", "ConfigurationsReady", "RoutesReady"].map((type) => ({ message: "", reason: "", status: "True", type })),
        latestCreatedRevisionName: revision(),
        latestReadyRevisionName: revision(),
        observedGeneration: 1,
        traffics: [{ latestRevision: true, percent: 100, revisionName: revision(), tag: "", url: "" }],
        url: url(),
    }]);
    // metadata is optional+computed: unknown in a preview when unset.
    computedDefault(out, "metadata", ctx, () => ({}));
    for (const metadata of objectsIn(out.metadata)) {
        const annotations = isPlainObject(metadata.annotations) ? metadata.annotations : {};
        const labels = isPlainObject(metadata.labels) ? metadata.labels : {};
        zeroValues(metadata, ctx, { annotations: {}, labels: {} });
        computedDefault(metadata, "namespace", ctx, () => project ?? UNKNOWN);
        computed(metadata, "generation", ctx, () => 1);
        computed(metadata, "uid", ctx, () => digest(`${ctx.urn}/uid`, HEX, 32).replace(/^(.{8})(.{4})(.{4})(.{4})/, "$1-$2-$3-$4-"));
        computed(metadata, "resourceVersion", ctx, () => digest(`${ctx.urn}/rv`, LOWER_ALNUM, 11));
        computed(metadata, "selfLink", ctx, () => composed([name], (n) => `/apis/serving.knative.dev/v1/namespaces/${ctx.projectNumber}/services/${n}`));
        // [fixture]: the API adds the ingress annotations (default "all") to effectiveAnnotations, not to annotations.
        computed(metadata, "effectiveAnnotations", ctx, () => {
            const ingress = knownString(annotations["run.googleapis.com/ingress"]) ?? "all";
            return { ...annotations, "run.googleapis.com/ingress": ingress, "run.googleapis.com/ingress-status": ingress };
        });
        computed(metadata, "effectiveLabels", ctx, () => (location !== undefined ? { ...labels, "cloud.googleapis.com/location": location } : UNKNOWN));
        computed(metadata, "pulumiLabels", ctx, () => ({ ...labels }));
    }
    // traffics is optional+computed; [fixture]: 100% to the latest revision, unset strings "".
    computedDefault(out, "traffics", ctx, () => [{ latestRevision: true, percent: 100 }]);
    for (const traffic of objectsIn(out.traffics)) {
        zeroValues(traffic, ctx, { revisionName: "", tag: "", url: "" });
    }
    for (const template of objectsIn(out.template)) {
        computedDefault(template, "metadata", ctx, () => ({}));
        for (const metadata of objectsIn(template.metadata)) {
            zeroValues(metadata, ctx, { name: "", namespace: "", generation: 0, resourceVersion: "", selfLink: "", uid: "", labels: {}, annotations: {} });
            if (ctx.phase === "applied") {
                // [fixture]: the API adds the default maximum scale to the template's annotations.
                const annotations = metadata.annotations as Obj;
                annotations["autoscaling.knative.dev/maxScale"] ??= "100";
            }
        }
        computedDefault(template, "spec", ctx, () => ({}));
        for (const spec of objectsIn(template.spec)) {
            // [fixture]: containerConcurrency 80, timeoutSeconds 300, the default compute service account.
            computedDefault(spec, "containerConcurrency", ctx, () => 80);
            computedDefault(spec, "timeoutSeconds", ctx, () => 300);
            computedDefault(spec, "serviceAccountName", ctx, () => defaultComputeAccount(ctx));
            zeroValues(spec, ctx, { servingState: "", volumes: [] });
            for (const container of objectsIn(spec.containers)) {
                zeroValues(container, ctx, { args: [], commands: [], envFroms: [], envs: [], livenessProbe: null, name: "", volumeMounts: [], workingDir: "" });
                computedDefault(container, "ports", ctx, () => [{ containerPort: DEFAULT_PORT, name: "http1", protocol: "" }]);
                const port = objectsIn(container.ports).map((p) => knownNumber(p.containerPort)).find((p) => p !== undefined) ?? DEFAULT_PORT;
                computedDefault(container, "resources", ctx, () => ({ limits: deepCopy(DEFAULT_LIMITS), requests: {} }));
                computedDefault(container, "startupProbe", ctx, () => ({
                    failureThreshold: 1, grpc: null, httpGet: null, initialDelaySeconds: 0, periodSeconds: 240, tcpSocket: { port }, timeoutSeconds: 240,
                }));
            }
        }
    }
}

/** IAM member outputs [mmv1 iam]: project/location from the provider, the parent as its long id, etag, id. */
function iamMemberOutputs(parentKey: string, uri: (values: Record<string, string | undefined>) => (string | undefined)[], format: (...parts: string[]) => string, withLocation: boolean): TypeModel["outputs"] {
    return (out, ctx) => {
        const given = knownString(out[parentKey]);
        const fromLongName = longNameParts(given);
        if (ctx.phase === "applied") {
            // The updater reads project/location from the long name, else the resource, else the provider, stores
            // them, and stores the parent as u.GetResourceId() [mmv1 iam].
            out.project = fromLongName.projects ?? knownString(out.project) ?? ctx.project;
            if (withLocation) {
                out.location = fromLongName.locations ?? knownString(out.location) ?? ctx.region;
            }
            const values = { project: knownString(out.project), location: knownString(out.location), name: shortName(given) };
            out[parentKey] = composed(uri(values), format);
        } else {
            // Optional+computed without CustomizeDiff: unknown in the plan when unset; the parent keeps its config value.
            computedDefault(out, "project", ctx, () => ctx.project);
            if (withLocation) {
                computedDefault(out, "location", ctx, () => ctx.region);
            }
        }
        computed(out, "etag", ctx, () => `BwY${digest(`${ctx.urn}/etag`, LOWER_ALNUM, 9)}=`);
        // The member's id is "<parent id>/<role>/<member>" (assumption: tpgiamresource's member id, not read here).
        computed(out, "id", ctx, () => composed([knownString(out[parentKey]), knownString(out.role), knownString(out.member)], (p, r, m) => `${p}/${r}/${m}`));
        zeroValues(out, ctx, { condition: null });
    };
}

const MODELS: Readonly<Record<string, TypeModel>> = {
    "gcp:cloudrunv2/service:Service": {
        bridged: true,
        maps: V2_MAPS,
        autoName: true,
        // virtual_fields deletion_protection default_value: true [mmv1 Service.yaml].
        topDefaults: { deletionProtection: true },
        nestedDefaults: {
            "template.containers.envs": VALUE_DEFAULT,
            ...probeDefaults("template.containers", ["livenessProbe", "startupProbe"], true),
            "template.volumes.emptyDir": EMPTY_DIR_DEFAULTS,
        },
        outputs: cloudRunV2Outputs("services"),
    },
    "gcp:cloudrunv2/job:Job": {
        bridged: true,
        maps: V2_MAPS,
        autoName: true,
        // [d.ts] "Defaults to true", the same virtual field as services (assumption: same default_value).
        topDefaults: { deletionProtection: true },
        nestedDefaults: {
            // env[].value default_value "" [mmv1 Job.yaml].
            "template.template.containers.envs": VALUE_DEFAULT,
            // [d.ts] documents the probe defaults on the startup probe only, and no httpGet.path default for jobs.
            ...probeDefaults("template.template.containers", ["startupProbe"], false),
            "template.template.volumes.emptyDir": EMPTY_DIR_DEFAULTS,
        },
        outputs: cloudRunV2Outputs("jobs"),
    },
    "gcp:cloudrunv2/workerPool:WorkerPool": {
        bridged: true,
        maps: V2_MAPS,
        autoName: true,
        // [d.ts] "Defaults to true" (assumption: same default_value as services).
        topDefaults: { deletionProtection: true },
        nestedDefaults: {
            // [d.ts] WorkerPoolTemplateContainerEnv.value "Defaults to """; probes and httpGet.path "Defaults to '/'".
            "template.containers.envs": VALUE_DEFAULT,
            ...probeDefaults("template.containers", ["livenessProbe", "startupProbe"], true),
            "template.volumes.emptyDir": EMPTY_DIR_DEFAULTS,
        },
        outputs: cloudRunV2Outputs("workerPools"),
    },
    "gcp:cloudrun/service:Service": {
        bridged: true,
        maps: V1_MAPS,
        autoName: true,
        // [fixture] news: `autogenerateRevisionName: false` listed in `__defaults`.
        topDefaults: { autogenerateRevisionName: false },
        outputs: cloudRunV1Outputs,
    },
    "gcp:vpcaccess/connector:Connector": {
        bridged: true,
        maps: OTHER_MAPS,
        autoName: true,
        outputs: (out, ctx) => {
            const project = providerProject(out, ctx);
            // [d.ts] region: "If it is not provided, the provider region is used." In a preview the plan has it
            // through the DefaultProviderRegion CustomizeDiff (assumption, as for project).
            if (isUnset(out.region)) {
                out.region = ctx.region;
            }
            const id = () => composed([project, knownString(out.region), knownString(out.name)], (p, r, n) => `projects/${p}/locations/${r}/connectors/${n}`);
            // [d.ts] import format projects/{{project}}/locations/{{region}}/connectors/{{name}}; selfLink "The fully
            // qualified name of this VPC connector" (assumption: the same string); state READY (assumption).
            computed(out, "id", ctx, id);
            computed(out, "selfLink", ctx, id);
            computed(out, "state", ctx, () => "READY");
            // Instances and throughput are computed ([d.ts] non-optional outputs); after create the API reports both,
            // 100 Mbps per instance, defaults 200 and 300 ([d.ts] "Default and min is 200", "Default is 300"); the
            // arithmetic is an assumption.
            const minInstances = knownNumber(out.minInstances);
            const maxInstances = knownNumber(out.maxInstances);
            const minThroughput = knownNumber(out.minThroughput) ?? (minInstances !== undefined ? minInstances * 100 : 200);
            const maxThroughput = knownNumber(out.maxThroughput) ?? (maxInstances !== undefined ? maxInstances * 100 : 300);
            computedDefault(out, "minThroughput", ctx, () => minThroughput);
            computedDefault(out, "maxThroughput", ctx, () => maxThroughput);
            computedDefault(out, "minInstances", ctx, () => Math.round(minThroughput / 100));
            computedDefault(out, "maxInstances", ctx, () => Math.round(maxThroughput / 100));
        },
    },
    "gcp:secretmanager/secret:Secret": {
        bridged: true,
        maps: OTHER_MAPS,
        outputs: (out, ctx) => {
            const project = providerProject(out, ctx);
            const secretId = knownString(out.secretId);
            // [d.ts] import format projects/{{project}}/secrets/{{secret_id}}: the id uses the project id; the API's
            // `name` uses the project number [engine-facts].
            computed(out, "id", ctx, () => composed([project, secretId], (p, s) => `projects/${p}/secrets/${s}`));
            computed(out, "name", ctx, () => composed([secretId], (s) => `projects/${ctx.projectNumber}/secrets/${s}`));
            zeroValues(out, ctx, { labels: {}, annotations: {}, topics: [], rotation: null });
        },
    },
    "gcp:secretmanager/secretVersion:SecretVersion": {
        bridged: true,
        maps: OTHER_MAPS,
        outputs: (out, ctx) => {
            // `secret` is the Secret's id (projects/<id>/secrets/<s>) or its bare id.
            const secretRef = knownString(out.secret);
            const parts = longNameParts(secretRef);
            if (isUnset(out.project)) {
                out.project = parts.projects ?? ctx.project;
            }
            const secretId = parts.secrets ?? shortName(secretRef);
            // A new secret's first version is "1" (assumption: versions are numbered from 1 per secret; a reused
            // secret may already have versions). `name` uses the project number like the Secret's (assumption,
            // [d.ts] "Format: projects/{{project}}/secrets/{{secret_id}}/versions/{{version}}"); id = name (assumption).
            const name = () => composed([secretId], (s) => `projects/${ctx.projectNumber}/secrets/${s}/versions/1`);
            computed(out, "version", ctx, () => "1");
            computed(out, "name", ctx, name);
            computed(out, "id", ctx, name);
        },
    },
    "gcp:secretmanager/secretIamMember:SecretIamMember": {
        bridged: true,
        maps: OTHER_MAPS,
        // Secret IAM long name projects/{{project}}/secrets/{{secret_id}} ([d.ts] import format).
        outputs: iamMemberOutputs("secretId", (v) => [v.project, v.name], (p, s) => `projects/${p}/secrets/${s}`, false),
    },
    "gcp:cloudrunv2/serviceIamMember:ServiceIamMember": {
        bridged: true,
        maps: OTHER_MAPS,
        // Service IAM long name projects/{{project}}/locations/{{location}}/services/{{name}} ([mmv1 Service.yaml]
        // iam_policy base_url; [d.ts] import format).
        outputs: iamMemberOutputs("name", (v) => [v.project, v.location, v.name], (p, l, n) => `projects/${p}/locations/${l}/services/${n}`, true),
    },
    "gcp:serviceaccount/account:Account": {
        bridged: true,
        maps: OTHER_MAPS,
        outputs: (out, ctx) => {
            const project = providerProject(out, ctx);
            const email = () => composed([knownString(out.accountId), project], (a, p) => `${a}@${p}.iam.gserviceaccount.com`);
            // [d.ts]: member "serviceAccount:{email}"; name "The fully-qualified name of the service account"
            // (projects/<project>/serviceAccounts/<email>; id = name: assumption).
            computed(out, "email", ctx, email);
            computed(out, "member", ctx, () => composed([knownString(email())], (e) => `serviceAccount:${e}`));
            computed(out, "name", ctx, () => composed([project, knownString(email())], (p, e) => `projects/${p}/serviceAccounts/${e}`));
            computed(out, "id", ctx, () => out.name ?? UNKNOWN);
            computed(out, "uniqueId", ctx, () => `1${digest(`${ctx.urn}/uid`, DIGITS, 20)}`);
            // [d.ts] disabled "Defaults to `false`".
            zeroValues(out, ctx, { description: "", displayName: "", disabled: false });
        },
    },
    "gcp:artifactregistry/repository:Repository": {
        bridged: true,
        maps: OTHER_MAPS,
        // [d.ts] mode "Default value is `STANDARD_REPOSITORY`" (mmv1's wording for a default_value).
        topDefaults: { mode: "STANDARD_REPOSITORY" },
        outputs: (out, ctx) => {
            const project = providerProject(out, ctx);
            // Location from the provider's region when unset (assumption: tpgresource.GetLocation falls back to it).
            if (isUnset(out.location)) {
                out.location = ctx.region;
            }
            const location = knownString(out.location);
            const repositoryId = knownString(out.repositoryId);
            computed(out, "id", ctx, () => composed([project, location, repositoryId], (p, l, r) => `projects/${p}/locations/${l}/repositories/${r}`));
            // [d.ts] name "The name of the repository, for example: "repo1"".
            computed(out, "name", ctx, () => composed([repositoryId], (r) => r));
            // [d.ts] registryUri "for example: us-docker.pkg.dev/my-proj/my-repo" (Docker repositories).
            if (knownString(out.format)?.toUpperCase() === "DOCKER") {
                computed(out, "registryUri", ctx, () => composed([location, project, repositoryId], (l, p, r) => `${l}-docker.pkg.dev/${p}/${r}`));
            }
            zeroValues(out, ctx, { description: "", labels: {}, kmsKeyName: "", cleanupPolicies: [] });
        },
    },
    "docker:index/image:Image": {
        // Implemented natively by pulumi-docker (no terraform bridge): no `__defaults`, Check passes inputs through
        // (assumption: no Check-time defaults).
        bridged: false,
        maps: new Set(),
        outputs: (out, ctx) => {
            const imageName = knownString(out.imageName);
            const build = objectsIn(out.build)[0];
            // [docker d.ts] baseImageName "The fully qualified image name that was pushed to the registry";
            // registryServer "The name of the registry server hosting the image"; repoDigest
            // "repository@<algorithm>:<hash>".
            computed(out, "baseImageName", ctx, () => imageName ?? UNKNOWN);
            computed(out, "registryServer", ctx, () => composed([imageName], (n) => (n.includes("/") ? n.slice(0, n.indexOf("/")) : "")));
            computed(out, "repoDigest", ctx, () => composed([imageName], (n) => `${n.replace(/:[^:/]+$/, "")}@sha256:${digest(`${ctx.urn}/digest`, HEX, 64)}`));
            if (build?.context !== undefined) {
                out.context = build.context;
            }
            if (build?.dockerfile !== undefined) {
                out.dockerfile = build.dockerfile;
            }
        },
    },
};
