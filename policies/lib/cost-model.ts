/**
 * A monthly cost estimate for each Cloud Run service (v2 and v1) and job in a stack, from what AnalyzeStack
 * sees (CPU, memory, billing mode, min/max instances, concurrency, the VPC connector) and the traffic the user
 * states. Pure functions over the stack; prices from cloud-run-pricing.ts, tiers from cloud-run-limits.ts.
 *
 * The model (docs/costs.md):
 * - always-on: min instances the whole month. Instance-based billing: the full CPU and memory rate; request-based:
 *   the idle min-instance rate for the part of the month they serve no request (they serve traffic first).
 * - traffic: instance time = requests × mean duration ÷ concurrency (every instance full), at the active rate;
 *   with instance-based billing only the instance time beyond the min instances costs more. Jobs: executions ×
 *   tasks × task duration (at least 1 minute each) at the jobs rate.
 * - requests: request-based billing only, per million.
 * - connector: the connector's min instances the whole month at its machine type's hourly price, split evenly
 *   among the stack's services and jobs that use it.
 * - free tier: off unless asked for (one billing account shares it across every project); when on, each
 *   workload gets the whole free tier (no sharing across services modeled).
 * - not modeled: egress and networking, GPUs, committed-use discounts, connector scale-out, idle instances
 *   kept after traffic, the 100 ms rounding, worker pools.
 *
 * A value not known yet (preview) leaves the parts that need it undecided (usd undefined) and names the field;
 * every other part is still priced. Text shows numbers, enums and well-formed names only, never other values.
 */
import {
    CLOUD_RUN_REGION_TIERS, CONCURRENCY_LIMITS, CONNECTOR_LIMITS, CONNECTOR_THROUGHPUT_UNIT_MBPS, CPU_IDLE_DEFAULTS, DEFAULT_JOB_TASK_COUNT,
    DEFAULT_RESOURCES, DEFAULT_SERVICE_MAX_INSTANCES, FRACTIONAL_CPU_RULES, LOCATION_RE, parseCpu, parseMemoryMiB,
} from "./cloud-run-limits";
import {
    CLOUD_RUN_PRICES, CONNECTOR_INSTANCE_HOURLY, DEFAULT_TRAFFIC, FREE_TIER, HOURS_PER_MONTH, PRICE_SOURCES,
    PriceTier, SECONDS_PER_MONTH,
} from "./cloud-run-pricing";
import { isConnectorSet, parseConnectorRef, stackConnectorsMatching, workloadConnectorRef } from "./connector-refs";
import { PropNode, asBoolean, asNumber, asString, at, isAbsent, isUnknown, pathText, rootOf, zeroAsAbsent } from "./props";
import { RESOURCE_TYPES } from "./resource-types";
import { nameText } from "./safe-text";
import { StackResource, cloudRunWorkloadsIn, ownOrProviderString, transitiveDependenciesOf } from "./stack-graph";
import { ContainerView, WorkloadView, countOf, mainContainers, scalesManually } from "./workload";

/** Expected use of a workload. Services: requests; jobs: executions. Any field may be left to the next source. */
export interface Traffic {
    requestsPerMonth?: number;
    /** Mean time a request takes, in milliseconds. */
    meanRequestMs?: number;
    executionsPerMonth?: number;
    /** Mean time one task of an execution runs, in seconds. */
    meanTaskSeconds?: number;
}

export { DEFAULT_TRAFFIC };

/** Which free tier to subtract: none (the default: one billing account shares it), the 2M requests only, or all. */
export type FreeTierMode = "none" | "requests" | "all";
export const FREE_TIER_MODES: readonly FreeTierMode[] = ["none", "requests", "all"];

/** Traffic stated in a stack's config (this repository's program: `<project>:service.traffic`) for the service it names. */
export interface StackConfigTraffic {
    serviceName: string;
    traffic: Traffic;
    /** The config key, for the assumptions list. */
    key: string;
}

export interface CostOptions {
    /** Policy config `traffic`: by Cloud Run workload name (or Pulumi resource name). Wins over everything else. */
    trafficByName?: Readonly<Record<string, Traffic>>;
    /** Stack config traffic, for the one service it names. */
    stackTraffic?: StackConfigTraffic;
    /** Policy config `defaultTraffic`: for every workload without its own. */
    defaultTraffic?: Traffic;
    freeTier?: FreeTierMode;
}

/** One line of the breakdown. */
export interface CostPart {
    /** USD a month; undefined when it depends on a value not known yet. A discount is negative. */
    usd: number | undefined;
    /** The decided share of `usd` (equal to it when decided). */
    knownUsd: number;
    /** How it was computed, numbers only. */
    basis: string;
}

export const COST_PARTS = ["alwaysOn", "traffic", "requests", "connector", "freeTier"] as const;
export type CostPartName = (typeof COST_PARTS)[number];
export const COST_PART_LABELS: Readonly<Record<CostPartName, string>> = {
    alwaysOn: "always-on",
    traffic: "traffic",
    requests: "requests",
    connector: "connector",
    freeTier: "free tier",
};

export type BillingMode = "request-based" | "instance-based" | "job";

export interface ServiceCostEstimate {
    /** The Cloud Run name when well-formed, else the Pulumi resource name. */
    name: string;
    urn: string;
    type: string;
    kind: "service" | "job";
    region?: string;
    tier: PriceTier;
    /** undefined when the billing mode is not known yet. */
    billing: BillingMode | undefined;
    /** Per instance (every container's limits added up); undefined when not known yet. */
    vcpu: number | undefined;
    memoryGiB: number | undefined;
    breakdown: Record<CostPartName, CostPart>;
    /** USD a month; undefined when some part is undecided. */
    monthlyUsd: number | undefined;
    /** The sum of the decided parts: the whole estimate when nothing is undecided, a lower bound otherwise. */
    knownMonthlyUsd: number;
    /** Property paths of the values not known yet that some part needs. */
    undecided: string[];
    /** Every assumption behind the numbers, in words. */
    assumptions: string[];
}

/** Assumptions true of every estimate (the model's limits), for a report's footer. */
export const MODEL_ASSUMPTIONS: readonly string[] = [
    `list prices in USD (the "Default" column: no committed-use discount); Tier 1 from ${PRICE_SOURCES.runPricing.url} ` +
    `(a verbatim copy harvested ${PRICE_SOURCES.runPricing.harvested}, read ${PRICE_SOURCES.runPricing.read}); Tier 2 and connector machine types from ` +
    "secondary sources that transcribe Google's SKUs",
    `a month is ${HOURS_PER_MONTH} hours`,
    "not modeled: egress and networking, GPUs, committed-use discounts, connector scale-out above its min instances, " +
    "instances kept idle after traffic, the 100 ms rounding and the 1-minute minimum of instance-based instances, worker pools",
    "free tier: one per billing account, never shared out across services here (when applied, each workload gets all of it)",
];

type Usd = number | undefined;

/** The parts of an amount: CPU, memory and anything else (requests, connector), each decided or not. */
interface Amount {
    cpu: Usd;
    memory: Usd;
    other: Usd;
}

const ZERO: Amount = { cpu: 0, memory: 0, other: 0 };

/**
 * `floor`: the least each undecided value can be, so that `knownUsd` stays a lower bound; 0 fits a cost, a discount
 * passes its largest possible amount (negative).
 */
function part(amount: Amount, basis: string, floor: Amount = ZERO): CostPart {
    const values = [amount.cpu, amount.memory, amount.other];
    const floors = [floor.cpu, floor.memory, floor.other];
    const known = values.reduce<number>((sum, v, i) => sum + (v ?? floors[i] ?? 0), 0);
    return { usd: values.every((v) => v !== undefined) ? known : undefined, knownUsd: known, basis };
}

/** A product of non-negative quantities: zero when any is zero, even if another is not known yet. */
function times(...factors: Usd[]): Usd {
    if (factors.some((f) => f === 0)) {
        return 0;
    }
    return factors.some((f) => f === undefined) ? undefined : factors.reduce<number>((product, f) => product * (f as number), 1);
}

function plus(...terms: Usd[]): Usd {
    return terms.some((t) => t === undefined) ? undefined : terms.reduce<number>((sum, t) => sum + (t as number), 0);
}

/** Rounds to the cent, exactly for amounts such as 12.465 (no binary fraction error). */
export function roundCents(usd: number): number {
    return Math.round(Number((usd * 100).toFixed(6))) / 100;
}

// One formatter per format, made on first use (the first one loads ICU data, which the pack's start-up need not wait
// for): Number.prototype.toLocaleString builds a new Intl.NumberFormat on every call, which was half the cost
// policy's time on a stack with a thousand services.
const formatters = new Map<string, Intl.NumberFormat>();
function formatter(name: "cents" | "unitPrice" | "whole" | "upTo3Digits"): Intl.NumberFormat {
    let format = formatters.get(name);
    if (!format) {
        const options: Record<typeof name, Intl.NumberFormatOptions> = {
            cents: { minimumFractionDigits: 2, maximumFractionDigits: 2 },
            unitPrice: { minimumFractionDigits: 2, maximumFractionDigits: 10 },
            whole: { maximumFractionDigits: 0 },
            upTo3Digits: { maximumFractionDigits: 3 },
        };
        format = new Intl.NumberFormat("en-US", options[name]);
        formatters.set(name, format);
    }
    return format;
}

/** "$1,234.56"; a negative amount "-$0.80". */
export function formatUsd(usd: number): string {
    const cents = roundCents(usd);
    const text = `$${formatter("cents").format(Math.abs(cents))}`;
    return cents < 0 ? `-${text}` : text;
}

function count(n: number): string {
    return formatter("upTo3Digits").format(n);
}

/** A unit price as the pricing page writes it: "$0.000024", "$0.40". */
export function rate(usd: number): string {
    return `$${formatter("unitPrice").format(usd)}`;
}

// ---------------------------------------------------------------------------------------------------
// What the stack says about one workload
// ---------------------------------------------------------------------------------------------------

/** A number read from the stack, or why it is not known. */
type Reading = { known: true; value: number } | { known: false; node: PropNode };

interface Sizing {
    vcpu: Reading;
    memoryGiB: Reading;
}

/** CPU and memory of one instance: every container's limits added up (Cloud Run bills the instance). */
function instanceSizing(view: WorkloadView, assumptions: string[], undecided: PropNode[]): Sizing {
    if (isUnknown(view.containerList)) {
        undecided.push(view.containerList);
        return { vcpu: { known: false, node: view.containerList }, memoryGiB: { known: false, node: view.containerList } };
    }
    const containers = view.containers;
    let vcpu: Reading = { known: true, value: 0 };
    let memory: Reading = { known: true, value: 0 };
    for (const container of containers) {
        vcpu = addReading(vcpu, limitOf(container, container.cpu, "cpu", parseCpu, Number(DEFAULT_RESOURCES.cpu), assumptions, undecided));
        memory = addReading(memory, limitOf(container, container.memory, "memory", (v) => {
            const mib = parseMemoryMiB(v);
            return mib === undefined ? undefined : mib / 1024;
        }, (parseMemoryMiB(DEFAULT_RESOURCES.memory) as number) / 1024, assumptions, undecided));
    }
    if (containers.length === 0) {
        assumptions.push("no containers declared: nothing to price per instance");
    }
    return { vcpu, memoryGiB: memory };
}

function addReading(a: Reading, b: Reading): Reading {
    if (!a.known) {
        return a;
    }
    return b.known ? { known: true, value: a.value + b.value } : b;
}

function limitOf(
    container: ContainerView, node: PropNode, field: "cpu" | "memory", parse: (value: unknown) => number | undefined,
    cloudRunDefault: number, assumptions: string[], undecided: PropNode[],
): Reading {
    const set = zeroAsAbsent(node);
    if (isUnknown(set)) {
        undecided.push(set);
        return { known: false, node: set };
    }
    if (isAbsent(set)) {
        assumptions.push(`${container.label}: no ${field} limit, so Cloud Run's default ${field === "cpu" ? `${DEFAULT_RESOURCES.cpu} vCPU` : DEFAULT_RESOURCES.memory} is priced`);
        return { known: true, value: cloudRunDefault };
    }
    const value = parse(set.value);
    if (value === undefined) {
        // Not a quantity: cloudrun-service-valid-resources reports it; the estimate cannot price it.
        undecided.push(set);
        return { known: false, node: set };
    }
    return { known: true, value };
}

/** Request-based (cpuIdle true) or instance-based billing, from the main container's cpuIdle (v1: cpu-throttling). */
function billingOf(view: WorkloadView, assumptions: string[], undecided: PropNode[]): BillingMode | undefined {
    const main = mainContainers(view, false);
    const container = main.containers[0] ?? view.containers[0];
    if (!container) {
        if (main.unknown) {
            undecided.push(main.unknown);
            return undefined;
        }
        return "request-based";
    }
    const node = container.cpuIdle;
    if (isUnknown(node)) {
        undecided.push(node);
        return undefined;
    }
    const cpuIdle = asBoolean(node);
    if (cpuIdle !== undefined) {
        return cpuIdle ? "request-based" : "instance-based";
    }
    if (view.generation === "v1") {
        assumptions.push("the run.googleapis.com/cpu-throttling annotation is unset: CPU throttled (request-based billing), Cloud Run's default");
        return "request-based";
    }
    const resourcesSet = !isAbsent(zeroAsAbsent(container.limits));
    const defaultIdle = resourcesSet ? CPU_IDLE_DEFAULTS.resourcesSet : CPU_IDLE_DEFAULTS.resourcesUnset;
    assumptions.push(`cpuIdle is unset: ${defaultIdle ? "request-based" : "instance-based"} billing, Cloud Run's default when resources ${resourcesSet ? "are" : "are not"} set`);
    return defaultIdle ? "request-based" : "instance-based";
}

/**
 * The larger of the revision's and the service's min instances (the service-level floor holds across revisions);
 * with manual scaling, manualInstanceCount, which runs all month whatever the traffic.
 */
function minInstancesOf(view: WorkloadView, manual: Reading | undefined, undecided: PropNode[]): Reading {
    if (manual) {
        return manual;
    }
    const nodes = [view.templateScaling.min, view.scaling.min];
    const unknown = nodes.find(isUnknown);
    if (unknown) {
        undecided.push(unknown);
        return { known: false, node: unknown };
    }
    return { known: true, value: Math.max(0, ...nodes.map((n) => countOf(n) ?? 0)) };
}

/**
 * The smaller of the set maximums; Cloud Run's default when none is set; with manual scaling, manualInstanceCount.
 * Unknown: no cap (it only caps traffic).
 */
function maxInstancesOf(view: WorkloadView, manual: Reading | undefined, assumptions: string[]): number | undefined {
    if (manual) {
        if (!manual.known) {
            assumptions.push("the instance count is not known yet: the stated traffic is not capped by it");
        }
        return manual.known ? manual.value : undefined;
    }
    const nodes = [view.templateScaling.max, view.scaling.max];
    if (nodes.some(isUnknown)) {
        assumptions.push("max instances not known yet: the stated traffic is not capped by it");
        return undefined;
    }
    const set = nodes.map((n) => countOf(n) ?? 0).filter((n) => n > 0);
    return set.length > 0 ? Math.min(...set) : DEFAULT_SERVICE_MAX_INSTANCES;
}

/**
 * With manual scaling, the instances that run; undefined when the workload autoscales. A scaling mode not known yet
 * leaves the count undecided only when a manual instance count is set (without one, only autoscaling can run).
 */
function manualInstancesOf(view: WorkloadView, undecided: PropNode[]): Reading | undefined {
    const manual = zeroAsAbsent(view.scaling.manual);
    const undecidedBy = (node: PropNode): Reading => {
        undecided.push(node);
        return { known: false, node };
    };
    if (isUnknown(view.scaling.mode)) {
        return isAbsent(manual) ? undefined : undecidedBy(view.scaling.mode);
    }
    if (!scalesManually(view)) {
        return undefined;
    }
    return isUnknown(manual) ? undecidedBy(manual) : { known: true, value: countOf(manual) ?? 0 };
}

/** Requests one instance serves at once; unset: 80, or 1 below 1 vCPU (FRACTIONAL_CPU_RULES). */
function concurrencyOf(view: WorkloadView, vcpu: Reading, assumptions: string[], undecided: PropNode[]): Reading {
    const node = view.concurrency;
    if (isUnknown(node)) {
        undecided.push(node);
        return { known: false, node };
    }
    const set = countOf(node);
    if (set !== undefined && set > 0) {
        return { known: true, value: set };
    }
    const fractional = vcpu.known && vcpu.value < 1;
    const value = fractional ? FRACTIONAL_CPU_RULES.requiredConcurrency : CONCURRENCY_LIMITS.default;
    assumptions.push(`concurrency is unset: Cloud Run's default ${value}${fractional ? " (below 1 vCPU)" : ""}`);
    return { known: true, value };
}

function regionOf(workload: StackResource, view: WorkloadView): string | undefined {
    const region = asString(view.location) ?? ownOrProviderString(workload, "region");
    return region !== undefined && LOCATION_RE.test(region) ? region : undefined;
}

function tierOf(region: string | undefined, assumptions: string[]): PriceTier {
    const tier = region === undefined ? undefined : CLOUD_RUN_REGION_TIERS[region];
    if (tier !== undefined) {
        assumptions.push(`region ${region}: Tier ${tier} prices`);
        return tier;
    }
    assumptions.push(region === undefined
        ? "region not known: Tier 1 prices (the lower tier)"
        : `region ${region} is in neither price tier of the pricing page: Tier 1 prices (the lower tier)`);
    return 1;
}

// ---------------------------------------------------------------------------------------------------
// Traffic: the first source that states each field
// ---------------------------------------------------------------------------------------------------

const TRAFFIC_WORDS: Readonly<Record<keyof Traffic, (n: number) => string>> = {
    requestsPerMonth: (n) => `${count(n)} requests a month`,
    meanRequestMs: (n) => `a mean request of ${count(n)} ms`,
    executionsPerMonth: (n) => `${count(n)} executions a month`,
    meanTaskSeconds: (n) => `a mean task of ${count(n)} s`,
};

function isUsable(value: unknown): value is number {
    return typeof value === "number" && Number.isFinite(value) && value >= 0;
}

const ASSUMED_TRAFFIC = "ASSUMED: nothing states it (set traffic in stack config <project>:service.traffic, or traffic / defaultTraffic in the policy config)";

/** Each traffic field from the first source stating it, and an assumption saying where it came from. */
function resolveTraffic(names: readonly string[], fields: readonly (keyof Traffic)[], options: CostOptions, assumptions: string[]): Required<Traffic> {
    const sources: { label: string; traffic: Traffic | undefined }[] = [
        ...names.map((name) => ({ label: `policy config traffic.${name}`, traffic: options.trafficByName?.[name] })),
        {
            label: `stack config ${options.stackTraffic?.key ?? ""}`.trim(),
            traffic: options.stackTraffic && names.includes(options.stackTraffic.serviceName) ? options.stackTraffic.traffic : undefined,
        },
        { label: "policy config defaultTraffic", traffic: options.defaultTraffic },
    ];
    const resolved: Required<Traffic> = { ...DEFAULT_TRAFFIC };
    const bySource = new Map<string, string[]>();
    for (const field of fields) {
        const source = sources.find((s) => isUsable(s.traffic?.[field]));
        const label = source ? `from ${source.label}` : ASSUMED_TRAFFIC;
        if (source) {
            resolved[field] = source.traffic?.[field] as number;
        }
        bySource.set(label, [...(bySource.get(label) ?? []), TRAFFIC_WORDS[field](resolved[field])]);
    }
    for (const [label, words] of bySource) {
        assumptions.push(`traffic: ${words.join(", ")}, ${label}`);
    }
    return resolved;
}

// ---------------------------------------------------------------------------------------------------
// Connectors
// ---------------------------------------------------------------------------------------------------

type ConnectorUse =
    | { kind: "none" }
    | { kind: "in-stack"; connector: StackResource }
    | { kind: "not-priced"; why: string }
    | { kind: "unknown"; node: PropNode };

function connectorUseOf(workload: StackResource, view: WorkloadView, all: readonly StackResource[]): ConnectorUse {
    const node = view.vpcConnector;
    if (!isConnectorSet(node)) {
        return { kind: "none" };
    }
    if (isUnknown(node)) {
        // Not known yet: it comes from a Connector the template depends on, if one is in the stack.
        const candidates = transitiveDependenciesOf(workload, "template", RESOURCE_TYPES.vpcAccessConnector, all);
        if (candidates.length === 1) {
            return { kind: "in-stack", connector: candidates[0] };
        }
        return candidates.length === 0
            ? { kind: "not-priced", why: "the connector it uses is not in this stack (managed elsewhere): not priced" }
            : { kind: "unknown", node };
    }
    const ref = parseConnectorRef(node.value);
    if (!ref) {
        return { kind: "not-priced", why: "the VPC connector reference is not a connector name or id: not priced" };
    }
    const [found] = stackConnectorsMatching(workloadConnectorRef(ref, workload, regionOf(workload, view)), all);
    return found
        ? { kind: "in-stack", connector: found }
        : { kind: "not-priced", why: `connector ${ref.name} is not in this stack (managed elsewhere): not priced` };
}

/** A connector's monthly cost: its min instances all month at its machine type's hourly price. */
function connectorMonthly(connector: StackResource, undecided: PropNode[]): { usd: Usd; basis: string; notes: string[] } {
    const root = connector.root;
    const notes: string[] = [];
    const given = asString(at(root, "name"));
    const name = given !== undefined && CONNECTOR_LIMITS.nameRe.test(given) ? given : nameText(connector.resource.name, "resource") ?? "(unnamed)";
    const machineNode = zeroAsAbsent(at(root, "machineType"));
    const minNode = zeroAsAbsent(at(root, "minInstances"));
    const throughputNode = zeroAsAbsent(at(root, "minThroughput"));
    let machineType: string | undefined;
    if (isUnknown(machineNode)) {
        undecided.push(machineNode);
    } else if (isAbsent(machineNode)) {
        machineType = CONNECTOR_LIMITS.defaultMachineType;
        notes.push(`connector ${name}: machine type unset, the default ${machineType}`);
    } else {
        machineType = CONNECTOR_LIMITS.machineTypes.find((t) => t === machineNode.value);
        if (machineType === undefined) {
            undecided.push(machineNode); // Not a machine type a connector takes: vpcaccess-connector-valid reports it.
        }
    }
    let instances: number | undefined;
    if (isUnknown(minNode)) {
        undecided.push(minNode);
    } else if (!isAbsent(minNode)) {
        instances = asNumber(minNode);
    } else if (isUnknown(throughputNode)) {
        undecided.push(throughputNode);
    } else if (asNumber(throughputNode) !== undefined) {
        instances = Math.ceil((asNumber(throughputNode) as number) / CONNECTOR_THROUGHPUT_UNIT_MBPS);
        notes.push(`connector ${name}: minThroughput ${count(asNumber(throughputNode) as number)} Mbps read as ${instances} instances (one per ${CONNECTOR_THROUGHPUT_UNIT_MBPS} Mbps)`);
    } else {
        instances = CONNECTOR_LIMITS.minInstances.min;
        notes.push(`connector ${name}: min instances unset, Cloud Run's minimum ${instances}`);
    }
    const hourly = machineType === undefined ? undefined : CONNECTOR_INSTANCE_HOURLY[machineType]?.usd;
    notes.push(`connector ${name}: priced at its min instances all month (scale-out to max instances is not priced), at us-central1 Compute Engine rates (${PRICE_SOURCES.connectorInstances.authority} source)`);
    return {
        usd: times(instances, HOURS_PER_MONTH, hourly),
        basis: `${name}: ${instances ?? "?"} × ${machineType ?? "?"} × ${HOURS_PER_MONTH} h × ${hourly === undefined ? "?" : rate(hourly)}/h`,
        notes,
    };
}

// ---------------------------------------------------------------------------------------------------
// The estimate
// ---------------------------------------------------------------------------------------------------

/** The estimates and, by workload URN, the value nodes they could not see (for a policy's "can't decide during preview"). */
export interface CostEstimates {
    estimates: ServiceCostEstimate[];
    undecidedNodes: ReadonlyMap<string, readonly PropNode[]>;
}

/** Estimates every Cloud Run service and job of the stack. */
export function estimateCosts(all: readonly StackResource[], options: CostOptions = {}): CostEstimates {
    const workloads = cloudRunWorkloadsIn(all).filter(({ view }) => view.kind === "service" || view.kind === "job");
    const uses = workloads.map(({ workload, view }) => connectorUseOf(workload, view, all));
    const users = new Map<StackResource, number>();
    for (const use of uses) {
        if (use.kind === "in-stack") {
            users.set(use.connector, (users.get(use.connector) ?? 0) + 1);
        }
    }
    const undecidedNodes = new Map<string, PropNode[]>();
    const estimates = workloads.map(({ workload, view }, i) => {
        const undecided: PropNode[] = [];
        const estimate = estimateOne(workload, view, uses[i], users, options, undecided);
        undecidedNodes.set(workload.resource.urn, undecided);
        return estimate;
    });
    return { estimates, undecidedNodes };
}

function estimateOne(
    workload: StackResource, view: WorkloadView, use: ConnectorUse, users: ReadonlyMap<StackResource, number>,
    options: CostOptions, undecided: PropNode[],
): ServiceCostEstimate {
    const assumptions: string[] = [];
    const cloudRunName = nameText(asString(view.name), "workload");
    const resourceName = workload.resource.name;
    const name = cloudRunName ?? nameText(resourceName, "resource") ?? "(unnamed)";
    const region = regionOf(workload, view);
    const tier = tierOf(region, assumptions);
    const sizing = instanceSizing(view, assumptions, undecided);
    const vcpu = sizing.vcpu.known ? sizing.vcpu.value : undefined;
    const memoryGiB = sizing.memoryGiB.known ? sizing.memoryGiB.value : undefined;
    const names = [cloudRunName, resourceName].filter((n): n is string => n !== undefined);
    const freeTier = options.freeTier ?? "none";

    const computed = view.kind === "job"
        ? jobParts(workload, tier, vcpu, memoryGiB, names, options, assumptions, undecided)
        : serviceParts(view, tier, sizing, vcpu, memoryGiB, names, options, assumptions, undecided);

    const connector = connectorPart(use, users, undecided, assumptions);
    const breakdown: Record<CostPartName, CostPart> = {
        alwaysOn: computed.alwaysOn,
        traffic: computed.traffic,
        requests: computed.requests,
        connector,
        freeTier: freeTierPart(freeTier, computed.spend, computed.requestCount, computed.billing, assumptions),
    };
    const parts = COST_PARTS.map((p) => breakdown[p]);
    return {
        name,
        urn: workload.resource.urn,
        type: workload.resource.type,
        kind: view.kind === "job" ? "job" : "service",
        ...(region !== undefined ? { region } : {}),
        tier,
        billing: computed.billing,
        vcpu,
        memoryGiB,
        breakdown,
        monthlyUsd: parts.every((p) => p.usd !== undefined) ? parts.reduce((sum, p) => sum + (p.usd as number), 0) : undefined,
        knownMonthlyUsd: parts.reduce((sum, p) => sum + p.knownUsd, 0),
        undecided: [...new Set(undecided.map(pathText))],
        assumptions,
    };
}

/** CPU and memory spend, and the least each can be (its decided terms; an undecided cost is at least 0). */
interface Spend {
    cpu: Usd;
    memory: Usd;
    least: { cpu: number; memory: number };
}

function spendOf(...amounts: Amount[]): Spend {
    const least = (key: "cpu" | "memory") => amounts.reduce((sum, a) => sum + (a[key] ?? 0), 0);
    return {
        cpu: plus(...amounts.map((a) => a.cpu)),
        memory: plus(...amounts.map((a) => a.memory)),
        least: { cpu: least("cpu"), memory: least("memory") },
    };
}

interface ComputeParts {
    billing: BillingMode | undefined;
    alwaysOn: CostPart;
    traffic: CostPart;
    requests: CostPart;
    /** CPU and memory spend before any free tier (what the free tier discounts). */
    spend: Spend;
    requestCount: number;
}

function serviceParts(
    view: WorkloadView, tier: PriceTier, sizing: Sizing, vcpu: Usd, memoryGiB: Usd, names: readonly string[],
    options: CostOptions, assumptions: string[], undecided: PropNode[],
): ComputeParts {
    const billing = billingOf(view, assumptions, undecided);
    const manual = manualInstancesOf(view, undecided);
    const min = minInstancesOf(view, manual, undecided);
    const max = maxInstancesOf(view, manual, assumptions);
    const concurrency = concurrencyOf(view, sizing.vcpu, assumptions, undecided);
    const traffic = resolveTraffic(names, ["requestsPerMonth", "meanRequestMs"], options, assumptions);
    const minInstances = min.known ? min.value : undefined;

    // Instance time the traffic needs: every instance serving `concurrency` requests at once.
    let activeSeconds: Usd = concurrency.known ? (traffic.requestsPerMonth * traffic.meanRequestMs) / 1000 / concurrency.value : undefined;
    if (concurrency.known) {
        assumptions.push(`traffic instance time = requests × mean duration ÷ concurrency ${concurrency.value} (every instance full; sparse traffic costs more)`);
    }
    if (activeSeconds !== undefined && max !== undefined && activeSeconds > max * SECONDS_PER_MONTH) {
        assumptions.push(`the stated traffic needs more than max instances ${max} can serve in a month: capped at ${max} instances all month`);
        activeSeconds = max * SECONDS_PER_MONTH;
    }
    const minSeconds = times(minInstances, SECONDS_PER_MONTH);
    const prices = CLOUD_RUN_PRICES[tier];
    const requestCount = billing === "request-based" ? traffic.requestsPerMonth : 0;

    if (billing === "instance-based") {
        const p = prices.instanceBased;
        const alwaysOn = { cpu: times(minSeconds, vcpu, p.cpu.usd), memory: times(minSeconds, memoryGiB, p.memory.usd), other: 0 };
        const extraSeconds = activeSeconds === undefined || minSeconds === undefined ? undefined : Math.max(0, activeSeconds - minSeconds);
        const trafficAmount = { cpu: times(extraSeconds, vcpu, p.cpu.usd), memory: times(extraSeconds, memoryGiB, p.memory.usd), other: 0 };
        assumptions.push("instance-based billing: min instances billed all month at the full rate; traffic costs more only beyond what they serve; no request fee");
        return {
            billing,
            alwaysOn: part(alwaysOn, `${show(minInstances)} min instance(s) × ${count(SECONDS_PER_MONTH)} s × (${show(vcpu)} vCPU × ${rate(p.cpu.usd)} + ${show(memoryGiB)} GiB × ${rate(p.memory.usd)})`),
            traffic: part(trafficAmount, `${show(activeSeconds, 0)} instance-s of traffic, ${show(extraSeconds, 0)} beyond the min instances, at the same rate`),
            requests: part(ZERO, "instance-based billing has no request fee"),
            spend: spendOf(alwaysOn, trafficAmount),
            requestCount,
        };
    }
    if (billing === "request-based") {
        const p = prices.requestBased;
        const idleSeconds = activeSeconds === undefined || minSeconds === undefined ? undefined : Math.max(0, minSeconds - activeSeconds);
        const alwaysOn = { cpu: times(idleSeconds, vcpu, p.cpuIdleMinInstance.usd), memory: times(idleSeconds, memoryGiB, p.memoryIdleMinInstance.usd), other: 0 };
        const trafficAmount = { cpu: times(activeSeconds, vcpu, p.cpuActive.usd), memory: times(activeSeconds, memoryGiB, p.memoryActive.usd), other: 0 };
        const requestsUsd = (traffic.requestsPerMonth / 1e6) * p.requestsPerMillion.usd;
        assumptions.push("request-based billing: min instances billed at the idle rate while they serve nothing (they serve traffic first); traffic at the active rate");
        return {
            billing,
            alwaysOn: part(alwaysOn, `${show(minInstances)} min instance(s): ${show(idleSeconds, 0)} idle instance-s × (${show(vcpu)} vCPU × ${rate(p.cpuIdleMinInstance.usd)} + ${show(memoryGiB)} GiB × ${rate(p.memoryIdleMinInstance.usd)})`),
            traffic: part(trafficAmount, `${show(activeSeconds, 0)} instance-s × (${show(vcpu)} vCPU × ${rate(p.cpuActive.usd)} + ${show(memoryGiB)} GiB × ${rate(p.memoryActive.usd)})`),
            requests: part({ cpu: 0, memory: 0, other: requestsUsd }, `${count(traffic.requestsPerMonth)} requests × ${rate(p.requestsPerMillion.usd)} per million`),
            spend: spendOf(alwaysOn, trafficAmount),
            requestCount,
        };
    }
    const unknown: Amount = { cpu: undefined, memory: undefined, other: undefined };
    return {
        billing,
        alwaysOn: part(unknown, "billing mode not known yet"),
        traffic: part(unknown, "billing mode not known yet"),
        requests: part(unknown, "billing mode not known yet"),
        spend: spendOf(unknown),
        requestCount: traffic.requestsPerMonth,
    };
}

function jobParts(
    workload: StackResource, tier: PriceTier, vcpu: Usd, memoryGiB: Usd, names: readonly string[],
    options: CostOptions, assumptions: string[], undecided: PropNode[],
): ComputeParts {
    const usage = resolveTraffic(names, ["executionsPerMonth", "meanTaskSeconds"], options, assumptions);
    const taskNode = zeroAsAbsent(at(workload.root, "template", "taskCount"));
    let tasks: Usd = DEFAULT_JOB_TASK_COUNT;
    if (isUnknown(taskNode)) {
        undecided.push(taskNode);
        tasks = undefined;
    } else if (!isAbsent(taskNode)) {
        tasks = countOf(taskNode);
    }
    const billedTaskSeconds = Math.max(60, usage.meanTaskSeconds);
    const seconds = times(usage.executionsPerMonth, tasks, billedTaskSeconds);
    const p = CLOUD_RUN_PRICES[tier].jobs;
    const amount = { cpu: times(seconds, vcpu, p.cpu.usd), memory: times(seconds, memoryGiB, p.memory.usd), other: 0 };
    assumptions.push("job: every task billed at the jobs (instance-based) rate for its run time, at least 1 minute; retries not priced");
    return {
        billing: "job",
        alwaysOn: part(ZERO, "a job keeps no instance running"),
        traffic: part(amount, `${count(usage.executionsPerMonth)} executions × ${show(tasks)} task(s) × ${count(billedTaskSeconds)} s × (${show(vcpu)} vCPU × ${rate(p.cpu.usd)} + ${show(memoryGiB)} GiB × ${rate(p.memory.usd)})`),
        requests: part(ZERO, "a job serves no requests"),
        spend: spendOf(amount),
        requestCount: 0,
    };
}

function connectorPart(use: ConnectorUse, users: ReadonlyMap<StackResource, number>, undecided: PropNode[], assumptions: string[]): CostPart {
    switch (use.kind) {
        case "none":
            return part(ZERO, "no VPC connector");
        case "not-priced":
            assumptions.push(use.why);
            return part(ZERO, "connector not in this stack: not priced");
        case "unknown":
            undecided.push(use.node);
            return part({ cpu: 0, memory: 0, other: undefined }, "which connector is not known yet");
        case "in-stack": {
            const monthly = connectorMonthly(use.connector, undecided);
            const sharedBy = users.get(use.connector) ?? 1;
            assumptions.push(...monthly.notes, `connector cost split evenly among the ${sharedBy} service(s) and job(s) in this stack that use it`);
            return part({ cpu: 0, memory: 0, other: times(monthly.usd, 1 / sharedBy) }, `${monthly.basis}${sharedBy > 1 ? `, ÷ ${sharedBy} workloads sharing it` : ""}`);
        }
    }
}

/** What the free tier covers for each billing mode, at Tier 1 prices. */
function freeTierOf(billing: BillingMode): { allowance: typeof FREE_TIER.instanceBased | typeof FREE_TIER.requestBased | typeof FREE_TIER.jobs; cpuRate: number; memoryRate: number } {
    const tier1 = CLOUD_RUN_PRICES[1];
    switch (billing) {
        case "request-based":
            return { allowance: FREE_TIER.requestBased, cpuRate: tier1.requestBased.cpuActive.usd, memoryRate: tier1.requestBased.memoryActive.usd };
        case "job":
            return { allowance: FREE_TIER.jobs, cpuRate: tier1.jobs.cpu.usd, memoryRate: tier1.jobs.memory.usd };
        case "instance-based":
            return { allowance: FREE_TIER.instanceBased, cpuRate: tier1.instanceBased.cpu.usd, memoryRate: tier1.instanceBased.memory.usd };
    }
}

/**
 * The free tier as a discount: spend-based, at Tier 1 prices, capped at what is spent. While the spend is not known,
 * "at least" counts the discount at most what is already counted as spent: with the spend it is never below 0, and
 * never takes off what other parts (a connector) cost. Unknown billing leaves the spend and the request fee at 0.
 */
function freeTierPart(mode: FreeTierMode, spend: Spend, requests: number, billing: BillingMode | undefined, assumptions: string[]): CostPart {
    if (mode === "none") {
        assumptions.push("free tier not applied (one per billing account, shared with everything else it pays for)");
        return part(ZERO, "not applied");
    }
    const requestRate = CLOUD_RUN_PRICES[1].requestBased.requestsPerMillion.usd;
    const requestDiscount = (b: BillingMode) => -(Math.min(requests, freeTierOf(b).allowance.requests) / 1e6) * requestRate;
    const cpuMemory = mode === "all";
    const { allowance, cpuRate, memoryRate } = freeTierOf(billing ?? "instance-based");
    const amount: Amount = {
        cpu: cpuMemory ? (spend.cpu === undefined ? undefined : -Math.min(spend.cpu, allowance.vcpuSeconds * cpuRate)) : 0,
        memory: cpuMemory ? (spend.memory === undefined ? undefined : -Math.min(spend.memory, allowance.gibSeconds * memoryRate)) : 0,
        other: billing === undefined ? undefined : requestDiscount(billing),
    };
    // Undecided only while the spend (or the billing mode, and with it the spend) is not known.
    const floor: Amount = {
        cpu: -Math.min(spend.least.cpu, allowance.vcpuSeconds * cpuRate),
        memory: -Math.min(spend.least.memory, allowance.gibSeconds * memoryRate),
        other: 0,
    };
    assumptions.push(cpuMemory
        ? "free tier applied in full to this workload (it is one per billing account: with other services it is shared, not repeated)"
        : "free tier: only the 2 million free requests applied, not the vCPU/memory free tier");
    const basis = [
        cpuMemory ? `${count(allowance.vcpuSeconds)} vCPU-s × ${rate(cpuRate)} and ${count(allowance.gibSeconds)} GiB-s × ${rate(memoryRate)} (Tier 1), at most what is spent` : undefined,
        allowance.requests > 0 ? `${count(Math.min(requests, allowance.requests))} free requests` : undefined,
    ].filter((t): t is string => t !== undefined);
    return part(amount, basis.join("; ") || "nothing to discount", floor);
}

function show(value: Usd, digits: 0 | 3 = 3): string {
    return value === undefined ? "?" : formatter(digits === 0 ? "whole" : "upTo3Digits").format(value);
}

// ---------------------------------------------------------------------------------------------------
// Inputs from outside the pack
// ---------------------------------------------------------------------------------------------------

/** A resource as AnalyzeStack reports it, with plain property values (secrets unwrapped, unknowns as sentinels). */
export interface CostInputResource {
    urn: string;
    type: string;
    name: string;
    properties: Record<string, unknown>;
    dependencies?: readonly string[];
    propertyDependencies?: Readonly<Record<string, readonly string[]>>;
    /** The resource's provider's properties (project and region defaults). */
    providerProperties?: Record<string, unknown>;
}

/**
 * The same estimate from the outputs the offline check sends to AnalyzeStack. The stack graph helpers read a
 * resource's urn, type, name, props, dependencies, propertyDependencies and provider props only, so those are
 * what the stand-in carries.
 */
export function estimateStackCosts(outputs: readonly CostInputResource[], options: CostOptions = {}): ServiceCostEstimate[] {
    const byUrn = new Map<string, { urn: string }>(outputs.map((r) => [r.urn, { urn: r.urn }]));
    const ref = (urn: string) => byUrn.get(urn) ?? { urn };
    const all: StackResource[] = outputs.map((r) => {
        const resource = {
            urn: r.urn,
            type: r.type,
            name: r.name,
            props: r.properties,
            dependencies: (r.dependencies ?? []).map(ref),
            propertyDependencies: Object.fromEntries(Object.entries(r.propertyDependencies ?? {}).map(([k, urns]) => [k, urns.map(ref)])),
            provider: r.providerProperties ? { props: r.providerProperties } : undefined,
        } as unknown as StackResource["resource"];
        return { resource, root: rootOf(r.properties) };
    });
    return estimateCosts(all, options).estimates;
}

/** Reads the traffic a stack config states for its service: `<project>:service` = {name, traffic: {...}}. */
export function stackConfigTraffic(values: Readonly<Record<string, unknown>>, project: string): StackConfigTraffic | undefined {
    const key = `${project}:service`;
    const raw: unknown = values[key];
    let service: unknown = raw;
    if (typeof raw === "string") {
        try {
            service = JSON.parse(raw);
        } catch {
            return undefined;
        }
    }
    if (typeof service !== "object" || service === null) {
        return undefined;
    }
    const { name, traffic } = service as { name?: unknown; traffic?: unknown };
    const serviceName = nameText(name, "workload");
    if (serviceName === undefined || typeof traffic !== "object" || traffic === null) {
        return undefined;
    }
    const stated = traffic as Record<string, unknown>;
    const picked: Traffic = {};
    for (const field of ["requestsPerMonth", "meanRequestMs"] as const) {
        if (isUsable(stated[field])) {
            picked[field] = stated[field];
        }
    }
    return { serviceName, traffic: picked, key: `${key}.traffic` };
}

/** The stack total of the decided estimates, and whether every one was decided. */
export function totalOf(estimates: readonly ServiceCostEstimate[]): { monthlyUsd: number | undefined; knownMonthlyUsd: number } {
    return {
        monthlyUsd: estimates.every((e) => e.monthlyUsd !== undefined) ? estimates.reduce((sum, e) => sum + (e.monthlyUsd as number), 0) : undefined,
        knownMonthlyUsd: estimates.reduce((sum, e) => sum + e.knownMonthlyUsd, 0),
    };
}
