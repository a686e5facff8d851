/**
 * Team requirement (seed: "VPC connector capacity scaled for database access": the connector was valid but too
 * small, and database calls from Cloud Run timed out under load). A Serverless VPC Access connector must be at
 * least the team's size and machine type, and big enough for the Cloud Run services, jobs and worker pools that use
 * it: the sum of their max instances at most what the connector's largest size carries at the team's ratio of Cloud
 * Run instances per connector instance. Google publishes no such ratio; lib/connector-sizing.ts derives the default
 * from Google's throughput table. A connector from outside the stack is checked from the sizes listed in
 * externalConnectorSizes; one listed nowhere is not judged.
 */
import {
    CONNECTOR_LIMITS, CONNECTOR_REF_PATTERN, CONNECTOR_REF_WORDS, CONNECTOR_THROUGHPUT_MBPS, CLOUD_RUN_DOCS, DEFAULT_JOB_TASK_COUNT, DEFAULT_SERVICE_MAX_INSTANCES,
} from "../lib/cloud-run-limits";
import { definePolicyConfig, patternedString } from "../lib/config";
import {
    ConnectorRef, connectorRefText, connectorRefsMatch, connectorResourceRef, isConnectorSet, parseConnectorRef, stackConnectorsMatching, workloadConnectorRef,
} from "../lib/connector-refs";
import {
    ConnectorRequirements, ConnectorSizing, STAGING_CONNECTOR_REQUIREMENTS, TEAM_MBPS_PER_CLOUD_RUN_INSTANCE, connectorCapacity, connectorFloorProblems, countText,
} from "../lib/connector-sizing";
import { adviseUndecided } from "../lib/findings";
import { PackStackPolicy } from "../lib/pack-policy";
import { PropNode, asNumber, asObject, asString, at, isAbsent, isUnknown, rootOf, zeroAsAbsent } from "../lib/props";
import { RESOURCE_TYPES } from "../lib/resource-types";
import { nameText } from "../lib/safe-text";
import { StackResource, appendTo, cloudRunWorkloadsIn, ofType, stackResources, transitiveDependenciesOf } from "../lib/stack-graph";
import { WorkloadView, countOf, scalesManually } from "../lib/workload";

const L = CONNECTOR_LIMITS;
const DEFAULTS = STAGING_CONNECTOR_REQUIREMENTS;
const MACHINE_TYPES = [...L.machineTypes];

const bounded = (bounds: { min: number; max: number }) => ({ type: "integer" as const, minimum: bounds.min, maximum: bounds.max });

const config = definePolicyConfig("vpcaccess-connector-capacity", {
    minMinInstances: {
        ...bounded(L.minInstances), default: DEFAULTS.minMinInstances,
        description: "Smallest minInstances (the size kept warm) a connector may have.",
    },
    minMaxInstances: {
        ...bounded(L.maxInstances), default: DEFAULTS.minMaxInstances,
        description: "Smallest maxInstances a connector may have.",
    },
    minMinThroughput: {
        ...bounded(L.minThroughput), default: DEFAULTS.minMinThroughput,
        description: "Smallest minThroughput (Mbps, 100 per instance) of a connector sized by throughput only.",
    },
    minMaxThroughput: {
        ...bounded(L.maxThroughput), default: DEFAULTS.minMaxThroughput,
        description: "Smallest maxThroughput (Mbps, 100 per instance) of a connector sized by throughput only.",
    },
    allowedMachineTypes: {
        type: "array", items: { type: "string", enum: MACHINE_TYPES }, uniqueItems: true, default: [...DEFAULTS.allowedMachineTypes],
        description: "Machine types a connector may use. Google's table, 2 to 10 instances: " +
            MACHINE_TYPES.map((t) => `${t} ${CONNECTOR_THROUGHPUT_MBPS[t].min}-${CONNECTOR_THROUGHPUT_MBPS[t].max} Mbps`).join(", ") + ".",
    },
    cloudRunInstancesPerConnectorInstance: {
        type: "object",
        properties: Object.fromEntries(MACHINE_TYPES.map((t) => [t, { type: "number", exclusiveMinimum: 0 }])),
        required: MACHINE_TYPES,
        additionalProperties: false,
        default: { ...DEFAULTS.cloudRunInstancesPerConnectorInstance },
        description: "Team ratio, per machine type: Cloud Run instances (max instances summed over the workloads using a connector) one connector " +
            `instance carries. Google publishes no such ratio; the default is the type's Mbps per instance over a ${TEAM_MBPS_PER_CLOUD_RUN_INSTANCE} Mbps ` +
            "budget per Cloud Run instance.",
    },
    externalConnectorSizes: {
        type: "array",
        items: {
            type: "object",
            properties: {
                connector: patternedString(CONNECTOR_REF_PATTERN, CONNECTOR_REF_WORDS),
                machineType: { type: "string", enum: MACHINE_TYPES },
                minInstances: bounded(L.minInstances),
                maxInstances: bounded(L.maxInstances),
                minThroughput: bounded(L.minThroughput),
                maxThroughput: bounded(L.maxThroughput),
            },
            required: ["connector", "machineType"],
            additionalProperties: false,
        },
        default: [] as unknown[],
        description: "Sizes of connectors created outside this stack (list them in cloudrun-connector-in-stack's externalConnectors too): " +
            "{connector: a name or projects/<p>/locations/<r>/connectors/<name>, machineType, maxInstances or maxThroughput, optionally minInstances or minThroughput}.",
    },
}, (cfg) => [
    ...(cfg.allowedMachineTypes.length === 0 ? ["allowedMachineTypes must list at least one machine type"] : []),
    ...cfg.externalConnectorSizes.flatMap((entry, i) => {
        const e = entry as Record<string, unknown>;
        return e.maxInstances === undefined && e.maxThroughput === undefined ? [`externalConnectorSizes[${i}] needs maxInstances or maxThroughput`] : [];
    }),
]);

type CapacityConfig = ReturnType<typeof config.read>;

function requirementsOf(cfg: CapacityConfig): ConnectorRequirements {
    return {
        minMinInstances: cfg.minMinInstances,
        minMaxInstances: cfg.minMaxInstances,
        minMinThroughput: cfg.minMinThroughput,
        minMaxThroughput: cfg.minMaxThroughput,
        allowedMachineTypes: cfg.allowedMachineTypes as string[],
        cloudRunInstancesPerConnectorInstance: cfg.cloudRunInstancesPerConnectorInstance as Record<string, number>,
    };
}

/** A connector whose size the policy knows: one in the stack, or one listed in externalConnectorSizes. */
interface SizedConnector {
    /** For messages: a well-formed name or id only. */
    readonly label: string;
    readonly sizing: ConnectorSizing;
    /** Size fields not known yet (preview), by what they decide. */
    readonly unknown: { machineType?: PropNode; min?: PropNode; max?: PropNode };
    /** Where violations about the connector itself go (undefined: the first workload using it). */
    readonly urn?: string;
    /** The property paths of a resource (stack connectors), or none (config entries). */
    readonly inStack: boolean;
}

/** A whole number, or undefined. */
const wholeNumber = (node: PropNode) => {
    const n = asNumber(node);
    return n !== undefined && Number.isInteger(n) ? n : undefined;
};

/**
 * The sizing of a Connector resource. Min/max instances and throughput conflict as inputs (one of each pair), and
 * the other one is computed: unknown in a fresh preview. So an unknown field beside a known one of its pair is the
 * computed one, and the known one decides.
 */
function stackConnectorSizing(connector: StackResource): SizedConnector {
    const root = connector.root;
    const field = (name: string) => zeroAsAbsent(at(root, name));
    const sizing: ConnectorSizing = {};
    const unknown: SizedConnector["unknown"] = {};
    const type = field("machineType");
    if (isUnknown(type)) {
        unknown.machineType = type;
    } else {
        // Unset: the provider's and the API's default.
        sizing.machineType = isAbsent(type) ? L.defaultMachineType : asString(type);
    }
    for (const bound of ["min", "max"] as const) {
        const instances = field(`${bound}Instances`);
        const throughput = field(`${bound}Throughput`);
        sizing[`${bound}Instances`] = wholeNumber(instances);
        sizing[`${bound}Throughput`] = wholeNumber(throughput);
        if (sizing[`${bound}Instances`] === undefined && sizing[`${bound}Throughput`] === undefined && (isUnknown(instances) || isUnknown(throughput))) {
            unknown[bound] = isUnknown(instances) ? instances : throughput;
        }
    }
    const ref = connectorResourceRef(connector);
    const label = ref && L.nameRe.test(ref.name) ? connectorRefText(ref) : "(name not known yet or not a connector name)";
    return { label, sizing, unknown, urn: connector.resource.urn, inStack: true };
}

function externalSizing(entry: unknown): { ref: ConnectorRef; connector: SizedConnector } | undefined {
    const e = rootOf(entry);
    const ref = parseConnectorRef(asString(at(e, "connector")));
    if (!ref || asObject(e) === undefined) {
        return undefined;
    }
    const sizing: ConnectorSizing = {
        machineType: asString(at(e, "machineType")),
        minInstances: wholeNumber(at(e, "minInstances")),
        maxInstances: wholeNumber(at(e, "maxInstances")),
        minThroughput: wholeNumber(at(e, "minThroughput")),
        maxThroughput: wholeNumber(at(e, "maxThroughput")),
    };
    return { ref, connector: { label: `${connectorRefText(ref)} (externalConnectorSizes)`, sizing, unknown: {}, inStack: false } };
}

/** How many instances a workload may run at its peak, and how that was found. */
interface WorkloadPeak {
    readonly urn: string;
    readonly label: string;
    readonly count: number;
    readonly text: string;
    /** The value the count needs, not known yet: the count is then only a lower bound (1). */
    readonly unknown?: PropNode;
}

function workloadPeak(workload: StackResource, view: WorkloadView): WorkloadPeak {
    const name = isUnknown(view.name) ? undefined : nameText(view.name.value, "workload");
    const base = { urn: workload.resource.urn, label: `${view.noun} ${name ?? "(name not known yet)"}` };
    const pending = (node: PropNode): WorkloadPeak => ({ ...base, count: 1, text: "not known yet", unknown: node });
    const mode = view.scaling.mode;
    if (isUnknown(mode)) {
        return pending(mode);
    }
    if (view.kind === "job") {
        // A job runs up to parallelism tasks at once (0 or unset: all of its tasks).
        const template = at(workload.root, "template");
        const parallelism = zeroAsAbsent(at(template, "parallelism"));
        const taskCount = zeroAsAbsent(at(template, "taskCount"));
        const unknownNode = [parallelism, taskCount].find(isUnknown);
        if (unknownNode) {
            return pending(unknownNode);
        }
        const tasks = countOf(taskCount) ?? DEFAULT_JOB_TASK_COUNT;
        const atOnce = countOf(parallelism);
        const count = atOnce !== undefined && atOnce > 0 ? Math.min(atOnce, tasks) : tasks;
        return { ...base, count, text: `${count} tasks at once` };
    }
    if (scalesManually(view)) {
        // Manual scaling runs exactly this many; revision-level min and max are ignored (configuring/services/manual-scaling).
        const manual = zeroAsAbsent(view.scaling.manual);
        if (isUnknown(manual)) {
            return pending(manual);
        }
        const count = countOf(manual);
        return count === undefined
            ? { ...base, count: 0, text: "not counted: manualInstanceCount unset" }
            : { ...base, count, text: `${count} (manualInstanceCount)` };
    }
    const maxima = [view.templateScaling.max, view.scaling.max].map(zeroAsAbsent);
    const unknownMax = maxima.find(isUnknown);
    if (unknownMax) {
        return pending(unknownMax);
    }
    const set = maxima.map(countOf).filter((n): n is number => n !== undefined && n > 0);
    if (set.length > 0) {
        const count = Math.min(...set);
        return { ...base, count, text: String(count) };
    }
    return view.kind === "service"
        ? { ...base, count: DEFAULT_SERVICE_MAX_INSTANCES, text: `${DEFAULT_SERVICE_MAX_INSTANCES} (max instances unset: Cloud Run's default)` }
        : { ...base, count: 0, text: "not counted: max instances unset" };
}

/** The connector's violation about its capacity, or the unknown that keeps it from a verdict. */
function capacityVerdict(
    connector: SizedConnector, users: readonly WorkloadPeak[], requirements: ConnectorRequirements,
): { message?: string; undecided?: PropNode } {
    const unknownSize = connector.unknown.max ?? connector.unknown.machineType;
    const capacity = unknownSize ? undefined : connectorCapacity(connector.sizing, requirements);
    if (!capacity) {
        return { undecided: unknownSize };
    }
    const demand = users.reduce((sum, u) => sum + u.count, 0);
    const pending = users.find((u) => u.unknown)?.unknown;
    if (demand <= capacity.cloudRunInstances) {
        return { undecided: pending };
    }
    const ratio = countText(capacity.perInstance);
    const breakdown = users.map((u) => `${u.label}: ${u.text}`).join("; ");
    return {
        message:
            `VPC connector ${connector.label} carries ${countText(capacity.cloudRunInstances)} Cloud Run instances at its largest size ` +
            `(${capacity.maxText} × ${ratio} per ${capacity.machineType} instance, the team's ratio), but the workloads using it can run ` +
            `${pending ? "at least " : ""}${demand} together (${breakdown}). ` +
            `Raise the connector's max size (maxInstances up to ${L.maxInstances.max}), use a larger machineType, or lower their max instances`,
    };
}

function floorMessages(connector: SizedConnector, requirements: ConnectorRequirements): string[] {
    return connectorFloorProblems(connector.sizing, requirements).map((p) =>
        `${connector.inStack ? `at ${p.field}: ` : ""}VPC connector ${connector.label}: ${p.message}; ${p.fix}`);
}

export const vpcaccessConnectorCapacity: PackStackPolicy = {
    name: "vpcaccess-connector-capacity",
    description:
        "Team requirement: a Serverless VPC Access connector at least the team's size and machine type, and big enough for the Cloud Run services, " +
        "jobs and worker pools that use it: their max instances summed must not exceed the connector's max instances times the team's ratio for " +
        "its machine type (Google publishes no such ratio; it is configurable). Raise the connector's maxInstances or machineType, or lower the " +
        "workloads' max instances.",
    enforcementLevel: "mandatory",
    severity: "high",
    remediationSteps:
        `Set the connector's machineType to one of allowedMachineTypes (default ${DEFAULTS.allowedMachineTypes.join(", ")}), minInstances and ` +
        `maxInstances at or above the floors (default ${DEFAULTS.minMinInstances} and ${DEFAULTS.minMaxInstances}), and maxInstances high enough that ` +
        "maxInstances × cloudRunInstancesPerConnectorInstance[machineType] covers the summed max instances of the services, jobs and worker pools " +
        "using it (raising min or max instances is an in-place update; lowering them replaces the connector); or lower maxInstanceCount. " +
        "For a connector owned elsewhere, list its sizes in externalConnectorSizes.",
    url: CLOUD_RUN_DOCS.connectorThroughput,
    configSchema: config.schema,
    validateStack: (args, reportViolation) => {
        const cfg = config.read(args);
        const requirements = requirementsOf(cfg);
        const all = stackResources(args.resources);
        const undecided: PropNode[] = [];
        const inStack = new Map(ofType(all, RESOURCE_TYPES.vpcAccessConnector).map((c) => [c, stackConnectorSizing(c)]));
        const external = cfg.externalConnectorSizes.flatMap((entry) => externalSizing(entry) ?? []);
        const users = new Map<SizedConnector, WorkloadPeak[]>();
        const use = (connector: SizedConnector, peak: WorkloadPeak) => appendTo(users, connector, peak);

        for (const { workload, view } of cloudRunWorkloadsIn(all)) {
            const node = view.vpcConnector;
            if (!isConnectorSet(node)) {
                continue;
            }
            if (isUnknown(node)) {
                // An id not known yet: the connector the template was computed from, when there is exactly one.
                const candidates = transitiveDependenciesOf(workload, "template", RESOURCE_TYPES.vpcAccessConnector, all);
                if (candidates.length === 1) {
                    use(inStack.get(candidates[0])!, workloadPeak(workload, view));
                } else {
                    undecided.push(node);
                }
                continue;
            }
            const ref = parseConnectorRef(node.value);
            if (!ref) {
                continue; // Not a connector reference: cloudrun-connector-in-stack reports it.
            }
            const expected = workloadConnectorRef(ref, workload, asString(view.location));
            const target = stackConnectorsMatching(expected, all).map((c) => inStack.get(c)!)[0]
                ?? external.find((e) => connectorRefsMatch(e.ref, expected))?.connector;
            if (target) {
                use(target, workloadPeak(workload, view));
            }
        }

        for (const connector of inStack.values()) {
            for (const message of floorMessages(connector, requirements)) {
                reportViolation(message, connector.urn);
            }
            if (connector.unknown.machineType || connector.unknown.min || connector.unknown.max) {
                undecided.push((connector.unknown.machineType ?? connector.unknown.min ?? connector.unknown.max)!);
            }
        }
        for (const [connector, peaks] of users) {
            const urn = connector.urn ?? peaks[0].urn;
            if (!connector.inStack) {
                for (const message of floorMessages(connector, requirements)) {
                    reportViolation(message, urn);
                }
            }
            const verdict = capacityVerdict(connector, peaks, requirements);
            if (verdict.message) {
                reportViolation(verdict.message, urn);
            } else if (verdict.undecided) {
                undecided.push(verdict.undecided);
            }
        }
        adviseUndecided(undecided);
    },
};
