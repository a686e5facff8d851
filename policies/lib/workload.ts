/**
 * One view of a Cloud Run workload over every Pulumi shape that declares one: v2 services
 * (gcp:cloudrunv2/service), v1 services (gcp:cloudrun/service), v2 jobs (gcp:cloudrunv2/job, containers under
 * template.template) and worker pools (gcp:cloudrunv2/workerPool). Each policy reads a field one way, and
 * every field is a PropNode: absent, unknown and wrong-typed values stay visible to the policy instead of
 * being guessed. Fields a kind does not have are absent nodes.
 */
import { CONTAINER_PORT_LIMITS, EXECUTION_ENVIRONMENTS, GPU_LIMIT_KEY, INGRESS_BY_V1_ANNOTATION } from "./cloud-run-limits";
import { PropNode, asList, asNumber, asString, at, childNode, isAbsent, isPresent, isUnknown, isUnknownLeaf, withValue, zeroAsAbsent } from "./props";
import { RESOURCE_TYPES } from "./resource-types";
import { nameText } from "./safe-text";

export type ServiceGeneration = "v1" | "v2";
export type WorkloadKind = "service" | "job" | "workerPool";

/** v1 annotations that carry what v2 has as fields. */
export const V1_ANNOTATIONS = {
    ingress: "run.googleapis.com/ingress",
    invokerIamDisabled: "run.googleapis.com/invoker-iam-disabled",
    vpcConnector: "run.googleapis.com/vpc-access-connector",
    vpcEgress: "run.googleapis.com/vpc-access-egress",
    networkInterfaces: "run.googleapis.com/network-interfaces",
    executionEnvironment: "run.googleapis.com/execution-environment",
    cpuThrottling: "run.googleapis.com/cpu-throttling",
    secrets: "run.googleapis.com/secrets",
    minScale: "autoscaling.knative.dev/minScale",
    maxScale: "autoscaling.knative.dev/maxScale",
    containerDependencies: "run.googleapis.com/container-dependencies",
    cloudSqlInstances: "run.googleapis.com/cloudsql-instances",
} as const;

/** One env variable; `secret`/`version` come from valueSource.secretKeyRef (v1: valueFrom.secretKeyRef). */
export interface EnvVarView {
    readonly node: PropNode;
    readonly name: PropNode;
    /** The literal value; "" and null count as absent (engine outputs carry them for unset). */
    readonly value: PropNode;
    /** valueSource (v1 valueFrom): set but unknown means "some reference, not a literal". */
    readonly source: PropNode;
    readonly secretKeyRef: PropNode;
    readonly secret: PropNode;
    readonly version: PropNode;
}

export interface ContainerView {
    /** "containers[0] (api)" style label for messages (the name only when it is a well-formed container name). */
    readonly label: string;
    readonly index: number;
    readonly node: PropNode;
    readonly name: PropNode;
    readonly image: PropNode;
    readonly resources: PropNode;
    readonly limits: PropNode;
    readonly cpu: PropNode;
    readonly memory: PropNode;
    readonly gpu: PropNode;
    readonly cpuIdle: PropNode;
    /** v2: the single `ports` object; v1: the `ports` list. A zero-valued ports object counts as absent. */
    readonly ports: PropNode;
    /** The declared port; 0 (proto3 unset) counts as absent. */
    readonly containerPort: PropNode;
    readonly startupProbe: PropNode;
    readonly livenessProbe: PropNode;
    /** Names of the containers this one starts after. */
    readonly dependsOn: PropNode;
    readonly envList: PropNode;
    readonly env: readonly EnvVarView[];
}

/** A secret a revision reads: from an env var or a volume. */
export interface SecretUse {
    readonly where: string;
    readonly secret: PropNode;
    readonly version: PropNode;
}

/** Field paths as the workload's own API spells them, for messages. */
export interface FieldNames {
    readonly template: string;
    readonly serviceAccount: string;
    readonly timeout: string;
    readonly concurrency: string;
    readonly ingress: string;
    readonly invokerIamDisabled: string;
    readonly vpc: string;
}

export interface WorkloadView {
    readonly kind: WorkloadKind;
    readonly generation: ServiceGeneration;
    /** "service", "job" or "worker pool", for messages. */
    readonly noun: string;
    readonly fields: FieldNames;
    /** The workload's own name (the `name` input). */
    readonly name: PropNode;
    readonly containerList: PropNode;
    readonly containers: readonly ContainerView[];
    /** Services: the request timeout (v2 "600s" string; v1 number of seconds). Absent for jobs and worker pools. */
    readonly timeout: PropNode;
    readonly serviceAccount: PropNode;
    /** Services: requests per instance. */
    readonly concurrency: PropNode;
    /** Normalised to "gen1" / "gen2" when known and recognised. */
    readonly executionEnvironment: PropNode;
    /** Services: normalised to the v2 INGRESS_* values when known and recognised. */
    readonly ingress: PropNode;
    /** Services: boolean (v1: the annotation's "true"/"false" as a boolean). */
    readonly invokerIamDisabled: PropNode;
    readonly vpcConnector: PropNode;
    readonly vpcNetworkInterfaces: PropNode;
    readonly vpcEgress: PropNode;
    /** v2 template.vpcAccess; v1 the template annotations that carry VPC settings. */
    readonly vpcAccess: PropNode;
    readonly templateAnnotations: PropNode;
    readonly volumes: PropNode;
    readonly location: PropNode;
    readonly project: PropNode;
    /** template.nodeSelector.accelerator (GPU type). */
    readonly accelerator: PropNode;
    /** Instance bounds of the revision template (v2 template.scaling; v1 autoscaling annotations, as strings). */
    readonly templateScaling: { readonly min: PropNode; readonly max: PropNode };
    /** Service-level (and worker pool) scaling: min, max and the manual instance count. */
    readonly scaling: { readonly min: PropNode; readonly max: PropNode; readonly manual: PropNode; readonly mode: PropNode };
}

const WORKLOAD_TYPES: Readonly<Record<string, { kind: WorkloadKind; generation: ServiceGeneration }>> = {
    [RESOURCE_TYPES.cloudRunV2Service]: { kind: "service", generation: "v2" },
    [RESOURCE_TYPES.cloudRunV1Service]: { kind: "service", generation: "v1" },
    [RESOURCE_TYPES.cloudRunV2Job]: { kind: "job", generation: "v2" },
    [RESOURCE_TYPES.cloudRunV2WorkerPool]: { kind: "workerPool", generation: "v2" },
};

/**
 * Views by property object. The policies of one call read the same property objects (shared-deserialization.ts):
 * the resource policies of an Analyze call, the stack policies of an AnalyzeStack call. So each view is built once
 * per call instead of once per policy, and goes with the properties.
 */
const viewsByProps = new WeakMap<object, { readonly type: string; readonly view: WorkloadView }>();

/** True for the resource types workloadView reads (Cloud Run services v1 and v2, jobs, worker pools). */
export function isWorkloadType(type: string): boolean {
    return Object.prototype.hasOwnProperty.call(WORKLOAD_TYPES, type);
}

/** The view of a Cloud Run workload resource (`root`: its whole property bag), or undefined for any other type. */
export function workloadView(type: string, root: PropNode): WorkloadView | undefined {
    const found = isWorkloadType(type) ? WORKLOAD_TYPES[type] : undefined;
    if (!found) {
        return undefined;
    }
    const props = root.value;
    const shareable = typeof props === "object" && props !== null && root.path.length === 0;
    const earlier = shareable ? viewsByProps.get(props) : undefined;
    if (earlier?.type === type) {
        return earlier.view;
    }
    const view = found.generation === "v1" ? v1View(root) : v2View(root, found.kind);
    if (shareable) {
        viewsByProps.set(props, { type, view });
    }
    return view;
}

const ABSENT_AT = (node: PropNode, key: string): PropNode => childNode(node, key, undefined);

const V2_FIELDS: Record<WorkloadKind, FieldNames> = {
    service: {
        template: "template", serviceAccount: "template.serviceAccount", timeout: "template.timeout",
        concurrency: "template.maxInstanceRequestConcurrency", ingress: "ingress", invokerIamDisabled: "invokerIamDisabled", vpc: "template.vpcAccess",
    },
    job: {
        template: "template.template", serviceAccount: "template.template.serviceAccount", timeout: "template.template.timeout",
        concurrency: "", ingress: "", invokerIamDisabled: "", vpc: "template.template.vpcAccess",
    },
    workerPool: {
        template: "template", serviceAccount: "template.serviceAccount", timeout: "",
        concurrency: "", ingress: "", invokerIamDisabled: "", vpc: "template.vpcAccess",
    },
};

const NOUNS: Record<WorkloadKind, string> = { service: "service", job: "job", workerPool: "worker pool" };

function v2View(root: PropNode, kind: WorkloadKind): WorkloadView {
    const template = kind === "job" ? at(root, "template", "template") : at(root, "template");
    const containerList = at(template, "containers");
    const vpcAccess = at(template, "vpcAccess");
    const service = kind === "service";
    const templateScaling = at(template, "scaling");
    const scaling = at(root, "scaling");
    return {
        kind,
        generation: "v2",
        noun: NOUNS[kind],
        fields: V2_FIELDS[kind],
        name: at(root, "name"),
        containerList,
        containers: (asList(containerList) ?? []).map((node, i) => containerView(node, i, V2_CONTAINER)),
        timeout: service ? at(template, "timeout") : ABSENT_AT(template, "timeout"),
        serviceAccount: at(template, "serviceAccount"),
        concurrency: service ? at(template, "maxInstanceRequestConcurrency") : ABSENT_AT(template, "maxInstanceRequestConcurrency"),
        executionEnvironment: mapped(at(template, "executionEnvironment"), EXECUTION_ENVIRONMENTS),
        ingress: service ? at(root, "ingress") : ABSENT_AT(root, "ingress"),
        invokerIamDisabled: service ? at(root, "invokerIamDisabled") : ABSENT_AT(root, "invokerIamDisabled"),
        vpcConnector: at(vpcAccess, "connector"),
        vpcNetworkInterfaces: at(vpcAccess, "networkInterfaces"),
        vpcEgress: at(vpcAccess, "egress"),
        vpcAccess,
        templateAnnotations: at(template, "annotations"),
        volumes: at(template, "volumes"),
        location: at(root, "location"),
        project: at(root, "project"),
        accelerator: at(template, "nodeSelector", "accelerator"),
        templateScaling: { min: at(templateScaling, "minInstanceCount"), max: at(templateScaling, "maxInstanceCount") },
        scaling: {
            min: at(scaling, "minInstanceCount"),
            max: at(scaling, "maxInstanceCount"),
            manual: at(scaling, "manualInstanceCount"),
            mode: at(scaling, "scalingMode"),
        },
    };
}

const V1_FIELDS: FieldNames = {
    template: "template.spec",
    serviceAccount: "template.spec.serviceAccountName",
    timeout: "template.spec.timeoutSeconds",
    concurrency: "template.spec.containerConcurrency",
    ingress: `the ${V1_ANNOTATIONS.ingress} annotation`,
    invokerIamDisabled: `the ${V1_ANNOTATIONS.invokerIamDisabled} annotation`,
    vpc: "template.metadata.annotations",
};

function v1View(root: PropNode): WorkloadView {
    const template = at(root, "template");
    const spec = at(template, "spec");
    const annotations = at(template, "metadata", "annotations");
    const serviceAnnotations = at(root, "metadata", "annotations");
    const containerList = at(spec, "containers");
    const shape = v1ContainerShape(at(annotations, V1_ANNOTATIONS.cpuThrottling));
    return {
        kind: "service",
        generation: "v1",
        noun: "service",
        fields: V1_FIELDS,
        name: at(root, "name"),
        containerList,
        containers: (asList(containerList) ?? []).map((node, i) => containerView(node, i, shape)),
        timeout: at(spec, "timeoutSeconds"),
        serviceAccount: at(spec, "serviceAccountName"),
        concurrency: at(spec, "containerConcurrency"),
        executionEnvironment: mapped(at(annotations, V1_ANNOTATIONS.executionEnvironment), EXECUTION_ENVIRONMENTS),
        ingress: mapped(at(serviceAnnotations, V1_ANNOTATIONS.ingress), INGRESS_BY_V1_ANNOTATION),
        invokerIamDisabled: mapped(at(serviceAnnotations, V1_ANNOTATIONS.invokerIamDisabled), { true: true, false: false }),
        vpcConnector: at(annotations, V1_ANNOTATIONS.vpcConnector),
        vpcNetworkInterfaces: at(annotations, V1_ANNOTATIONS.networkInterfaces),
        vpcEgress: at(annotations, V1_ANNOTATIONS.vpcEgress),
        vpcAccess: annotations,
        templateAnnotations: annotations,
        volumes: at(spec, "volumes"),
        location: at(root, "location"),
        project: at(root, "project"),
        accelerator: ABSENT_AT(spec, "nodeSelector"),
        templateScaling: { min: at(annotations, V1_ANNOTATIONS.minScale), max: at(annotations, V1_ANNOTATIONS.maxScale) },
        scaling: {
            min: ABSENT_AT(root, "scaling"), max: ABSENT_AT(root, "scaling"), manual: ABSENT_AT(root, "scaling"), mode: ABSENT_AT(root, "scaling"),
        },
    };
}

/** Where a container's fields live in each API shape. */
interface ContainerShape {
    /** v2: the single `ports` object; v1: the first entry of the `ports` list. */
    containerPortPath: (string | number)[];
    /** v2 valueSource {secret, version}; v1 valueFrom {name, key}. */
    envSource: string;
    secretField: string;
    versionField: string;
    cpuIdle: (resources: PropNode) => PropNode;
}

const V2_CONTAINER: ContainerShape = {
    containerPortPath: ["containerPort"],
    envSource: "valueSource",
    secretField: "secret",
    versionField: "version",
    cpuIdle: (resources) => at(resources, "cpuIdle"),
};

function v1ContainerShape(cpuThrottling: PropNode): ContainerShape {
    return {
        containerPortPath: [0, "containerPort"],
        envSource: "valueFrom",
        secretField: "name",
        versionField: "key",
        // v1 says "CPU throttling": throttled CPU is the v2 cpuIdle.
        cpuIdle: () => mapped(cpuThrottling, { true: true, false: false }),
    };
}

function containerView(node: PropNode, index: number, shape: ContainerShape): ContainerView {
    const resources = at(node, "resources");
    const limits = at(resources, "limits");
    const ports = zeroAsAbsent(at(node, "ports"));
    const envList = at(node, "envs");
    const name = at(node, "name");
    const safeName = nameText(name.value, "container");
    return {
        label: safeName ? `containers[${index}] (${safeName})` : `containers[${index}]`,
        index,
        node,
        name,
        image: at(node, "image"),
        resources,
        limits,
        cpu: at(limits, "cpu"),
        memory: at(limits, "memory"),
        gpu: at(limits, GPU_LIMIT_KEY),
        cpuIdle: shape.cpuIdle(resources),
        ports,
        containerPort: zeroAsAbsent(at(ports, ...shape.containerPortPath)),
        startupProbe: at(node, "startupProbe"),
        livenessProbe: at(node, "livenessProbe"),
        dependsOn: at(node, "dependsOns"),
        envList,
        env: (asList(envList) ?? []).map((item) => new EnvView(item, shape)),
    };
}

/**
 * An env variable's fields, each read on first use: a stack holds thousands of variables and most readers look
 * at one or two fields of each (the stack policies only at the secret reference).
 */
class EnvView implements EnvVarView {
    private nameNode?: PropNode;
    private valueNode?: PropNode;
    private sourceNode?: PropNode;
    private secretKeyRefNode?: PropNode;
    private secretNode?: PropNode;
    private versionNode?: PropNode;

    constructor(readonly node: PropNode, private readonly shape: ContainerShape) {}

    get name(): PropNode {
        return (this.nameNode ??= at(this.node, "name"));
    }

    get value(): PropNode {
        return (this.valueNode ??= zeroAsAbsent(at(this.node, "value")));
    }

    get source(): PropNode {
        return (this.sourceNode ??= at(this.node, this.shape.envSource));
    }

    get secretKeyRef(): PropNode {
        return (this.secretKeyRefNode ??= at(this.source, "secretKeyRef"));
    }

    get secret(): PropNode {
        return (this.secretNode ??= at(this.secretKeyRef, this.shape.secretField));
    }

    get version(): PropNode {
        return (this.versionNode ??= at(this.secretKeyRef, this.shape.versionField));
    }
}

/** Translates a known string through a table; unknown and absent values pass through untouched. */
function mapped(node: PropNode, table: Readonly<Record<string, unknown>>): PropNode {
    const text = asString(node);
    return text !== undefined && Object.prototype.hasOwnProperty.call(table, text) ? withValue(node, table[text]) : node;
}

/**
 * True when the workload scales manually: scalingMode MANUAL, or a worker pool that does not say otherwise. It then
 * runs exactly manualInstanceCount instances, and the revision's min and max are ignored
 * (configuring/services/manual-scaling). Callers check an unknown scalingMode first.
 */
export function scalesManually(view: WorkloadView): boolean {
    const mode = asString(view.scaling.mode);
    return mode === "MANUAL" || (view.kind === "workerPool" && isAbsent(zeroAsAbsent(view.scaling.mode)));
}

/**
 * The service account when it is itself not known yet (an output of a resource created in the same run), not when
 * the whole template is unknown. Analyze cannot tell where such a value comes from; the stack can.
 */
export function pendingServiceAccount(view: WorkloadView): PropNode | undefined {
    const key = view.fields.serviceAccount.slice(view.fields.serviceAccount.lastIndexOf(".") + 1);
    return isUnknownLeaf(view.serviceAccount, key) ? view.serviceAccount : undefined;
}

/** The container's image when it is itself not known yet (e.g. the digest of an image built in the same run). */
export function pendingImage(container: ContainerView): PropNode | undefined {
    return isUnknownLeaf(container.image, "image") ? container.image : undefined;
}

/** The port the container listens on: its declared containerPort, else Cloud Run's default. */
export function containerPortOf(container: ContainerView): PropNode {
    return isAbsent(container.containerPort)
        ? withValue(container.containerPort, CONTAINER_PORT_LIMITS.default)
        : container.containerPort;
}

/**
 * Which container of a service receives requests: the only one, or the one that declares ports. Jobs and
 * worker pools serve no requests: "none".
 */
export type IngressContainer =
    | { readonly kind: "found"; readonly container: ContainerView }
    | { readonly kind: "unknown"; readonly node: PropNode }
    | { readonly kind: "none"; readonly reason: string };

export function ingressContainer(view: WorkloadView): IngressContainer {
    if (view.kind !== "service") {
        return { kind: "none", reason: `a ${view.noun} serves no requests` };
    }
    if (isUnknown(view.containerList)) {
        return { kind: "unknown", node: view.containerList };
    }
    const containers = view.containers;
    if (containers.length === 0) {
        return { kind: "none", reason: "the service declares no containers" };
    }
    if (containers.length === 1) {
        return { kind: "found", container: containers[0] };
    }
    const withPorts = containers.filter((c) => !isUnknown(c.node) && isPresent(c.ports) && !isUnknown(c.ports));
    const pending = containers.find((c) => isUnknown(c.ports) || isUnknown(c.node));
    // Ports not known yet may turn out set or unset: decide only what they cannot change.
    if (pending && withPorts.length < 2) {
        return { kind: "unknown", node: isUnknown(pending.node) ? pending.node : pending.ports };
    }
    if (withPorts.length === 1) {
        return { kind: "found", container: withPorts[0] };
    }
    return {
        kind: "none",
        reason: `${containers.length} containers and ${withPorts.length} declare ports: exactly one (the ingress container) must`,
    };
}

/**
 * The containers team requirements (floor, startup budget) look at: a service's ingress container, a job's or
 * worker pool's first container; every container when `everyContainer`.
 */
export function mainContainers(view: WorkloadView, everyContainer: boolean): { containers: ContainerView[]; unknown?: PropNode } {
    if (isUnknown(view.containerList)) {
        return { containers: [], unknown: view.containerList };
    }
    if (everyContainer) {
        return { containers: [...view.containers] };
    }
    if (view.kind !== "service") {
        return { containers: view.containers.slice(0, 1) };
    }
    const ingress = ingressContainer(view);
    return ingress.kind === "found" ? { containers: [ingress.container] } : ingress.kind === "unknown" ? { containers: [], unknown: ingress.node } : { containers: [] };
}

/** A secret read through an env var. Its `where` is text for a message, built only when a message asks. */
class EnvSecretUse implements SecretUse {
    constructor(private readonly container: ContainerView, private readonly env: EnvVarView) {}

    get where(): string {
        return `${this.container.label} env ${nameText(this.env.name.value, "env") ?? "(unnamed)"}`;
    }

    get secret(): PropNode {
        return this.env.secret;
    }

    get version(): PropNode {
        return this.env.version;
    }
}

/** Every secret the revision reads, from env vars of all containers and from secret volumes. */
export function secretUses(view: WorkloadView): SecretUse[] {
    const fromEnv = view.containers.flatMap((container) =>
        container.env
            .filter((env) => isPresent(zeroAsAbsent(env.secretKeyRef)))
            .map((env): SecretUse => new EnvSecretUse(container, env)));
    const fromVolumes = (asList(view.volumes) ?? []).flatMap((volume, i) => {
        const secret = view.generation === "v2" ? at(volume, "secret", "secret") : at(volume, "secret", "secretName");
        return isAbsent(zeroAsAbsent(secret)) ? [] : [{ where: `volumes[${i}]`, secret, version: withValue(secret, undefined) }];
    });
    return [...fromEnv, ...fromVolumes];
}

/** A known integer count that may be written as a string (v1 annotations), 0 meaning unset. */
export function countOf(node: PropNode): number | undefined {
    const text = asString(node);
    const n = text !== undefined && /^\d+$/.test(text) ? Number(text) : asNumber(node);
    return n !== undefined && Number.isInteger(n) ? n : undefined;
}
