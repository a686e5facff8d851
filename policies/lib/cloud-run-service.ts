/**
 * One view of a Cloud Run service over the two Pulumi shapes (gcp:cloudrunv2 and gcp:cloudrun v1), so each
 * policy reads a field in one way. Every field is a PropNode: absent, unknown and wrong-typed values stay
 * visible to the policy instead of being guessed.
 */
import { EXECUTION_ENVIRONMENTS, INGRESS_BY_V1_ANNOTATION } from "./cloud-run-limits";
import { PropNode, asList, asString, at, isAbsent, isPresent, isUnknown } from "./props";
import { RESOURCE_TYPES } from "./resource-types";

export type ServiceGeneration = "v1" | "v2";

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
} as const;

/** One env variable; `secret`/`version` come from valueSource.secretKeyRef (v1: valueFrom.secretKeyRef). */
export interface EnvVarView {
    readonly node: PropNode;
    readonly name: PropNode;
    readonly value: PropNode;
    /** valueSource (v1 valueFrom): set but unknown means "some reference, not a literal". */
    readonly source: PropNode;
    readonly secretKeyRef: PropNode;
    readonly secret: PropNode;
    readonly version: PropNode;
}

export interface ContainerView {
    /** "containers[0] (api)" style label for messages. */
    readonly label: string;
    readonly node: PropNode;
    readonly image: PropNode;
    readonly resources: PropNode;
    readonly limits: PropNode;
    readonly cpu: PropNode;
    readonly memory: PropNode;
    readonly cpuIdle: PropNode;
    /** v2: the single `ports` object; v1: the `ports` list. */
    readonly ports: PropNode;
    readonly containerPort: PropNode;
    readonly startupProbe: PropNode;
    readonly livenessProbe: PropNode;
    readonly envList: PropNode;
    readonly env: readonly EnvVarView[];
}

/** A secret a revision reads: from an env var or a volume. */
export interface SecretUse {
    readonly where: string;
    readonly secret: PropNode;
    readonly version: PropNode;
}

export interface ServiceView {
    readonly generation: ServiceGeneration;
    readonly containerList: PropNode;
    readonly containers: readonly ContainerView[];
    /** v2 "600s" string; v1 number of seconds: read through `requestTimeoutSeconds`. */
    readonly timeout: PropNode;
    readonly serviceAccount: PropNode;
    readonly concurrency: PropNode;
    /** Normalised to "gen1" / "gen2" when known and recognised. */
    readonly executionEnvironment: PropNode;
    /** Normalised to the v2 INGRESS_* values when known and recognised. */
    readonly ingress: PropNode;
    /** Boolean (v1: the annotation's "true"/"false" as a boolean). */
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
}

export function isCloudRunService(type: string): boolean {
    return type === RESOURCE_TYPES.cloudRunV2Service || type === RESOURCE_TYPES.cloudRunV1Service;
}

/** The view of a Cloud Run service resource, or undefined for any other type. */
export function serviceView(type: string, root: PropNode): ServiceView | undefined {
    if (type === RESOURCE_TYPES.cloudRunV2Service) {
        return v2View(root);
    }
    if (type === RESOURCE_TYPES.cloudRunV1Service) {
        return v1View(root);
    }
    return undefined;
}

function v2View(root: PropNode): ServiceView {
    const template = at(root, "template");
    const containerList = at(template, "containers");
    const vpcAccess = at(template, "vpcAccess");
    return {
        generation: "v2",
        containerList,
        containers: (asList(containerList) ?? []).map((node, i) => containerView(node, i, V2_CONTAINER)),
        timeout: at(template, "timeout"),
        serviceAccount: at(template, "serviceAccount"),
        concurrency: at(template, "maxInstanceRequestConcurrency"),
        executionEnvironment: mapped(at(template, "executionEnvironment"), EXECUTION_ENVIRONMENTS),
        ingress: at(root, "ingress"),
        invokerIamDisabled: at(root, "invokerIamDisabled"),
        vpcConnector: at(vpcAccess, "connector"),
        vpcNetworkInterfaces: at(vpcAccess, "networkInterfaces"),
        vpcEgress: at(vpcAccess, "egress"),
        vpcAccess,
        templateAnnotations: at(template, "annotations"),
        volumes: at(template, "volumes"),
        location: at(root, "location"),
        project: at(root, "project"),
    };
}

function v1View(root: PropNode): ServiceView {
    const template = at(root, "template");
    const spec = at(template, "spec");
    const annotations = at(template, "metadata", "annotations");
    const serviceAnnotations = at(root, "metadata", "annotations");
    const containerList = at(spec, "containers");
    const shape = v1ContainerShape(at(annotations, V1_ANNOTATIONS.cpuThrottling));
    return {
        generation: "v1",
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
    const ports = at(node, "ports");
    const envList = at(node, "envs");
    return {
        label: containerLabel(node, index),
        node,
        image: at(node, "image"),
        resources,
        limits,
        cpu: at(limits, "cpu"),
        memory: at(limits, "memory"),
        cpuIdle: shape.cpuIdle(resources),
        ports,
        containerPort: at(ports, ...shape.containerPortPath),
        startupProbe: at(node, "startupProbe"),
        livenessProbe: at(node, "livenessProbe"),
        envList,
        env: (asList(envList) ?? []).map((item) => {
            const source = at(item, shape.envSource);
            const secretKeyRef = at(source, "secretKeyRef");
            return {
                node: item,
                name: at(item, "name"),
                value: at(item, "value"),
                source,
                secretKeyRef,
                secret: at(secretKeyRef, shape.secretField),
                version: at(secretKeyRef, shape.versionField),
            };
        }),
    };
}

function containerLabel(node: PropNode, index: number): string {
    const name = asString(at(node, "name"));
    return name ? `containers[${index}] (${name})` : `containers[${index}]`;
}

/** Translates a known string through a table; unknown and absent values pass through untouched. */
function mapped(node: PropNode, table: Readonly<Record<string, unknown>>): PropNode {
    const text = asString(node);
    return text !== undefined && Object.prototype.hasOwnProperty.call(table, text) ? { value: table[text], path: node.path } : node;
}

/** Which container serves requests: the only one, or the one that declares ports. */
export type ServingContainer =
    | { readonly kind: "found"; readonly container: ContainerView }
    | { readonly kind: "unknown"; readonly node: PropNode }
    | { readonly kind: "none"; readonly reason: string };

export function servingContainer(view: ServiceView): ServingContainer {
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
    const withPorts = containers.filter((c) => isPresent(c.ports));
    if (withPorts.length === 1) {
        return { kind: "found", container: withPorts[0] };
    }
    return {
        kind: "none",
        reason: `${containers.length} containers and ${withPorts.length} declare ports: exactly one (the serving container) must`,
    };
}

/** Every secret the revision reads, from env vars of all containers and from secret volumes. */
export function secretUses(view: ServiceView): SecretUse[] {
    const fromEnv = view.containers.flatMap((container) =>
        container.env
            .filter((env) => isPresent(env.secretKeyRef))
            .map((env) => ({
                where: `${container.label} env ${asString(env.name) ?? "(unnamed)"}`,
                secret: env.secret,
                version: env.version,
            })));
    const fromVolumes = (asList(view.volumes) ?? []).flatMap((volume, i) => {
        const secret = view.generation === "v2" ? at(volume, "secret", "secret") : at(volume, "secret", "secretName");
        return isAbsent(secret) ? [] : [{ where: `volumes[${i}]`, secret, version: { value: undefined, path: secret.path } }];
    });
    return [...fromEnv, ...fromVolumes];
}
