/**
 * How big a Serverless VPC Access connector must be for this team: floors for its size and machine type, and
 * how many Cloud Run instances one connector instance is sized to carry. The pack (vpcaccess-connector-capacity)
 * and the stack config (infra/config.ts) read the same requirements and the same arithmetic from here.
 *
 * These are team requirements, not Cloud Run rules: Google publishes no ratio of Cloud Run instances to connector
 * instances, only what each machine type carries (CONNECTOR_THROUGHPUT_MBPS) and the advice to use e2-standard-4
 * for production with high concurrency or frequent small requests. Pure data and functions, like cloud-run-limits.
 */
import { CONNECTOR_LIMITS, CONNECTOR_THROUGHPUT_MBPS, CONNECTOR_THROUGHPUT_UNIT_MBPS, connectorInstanceMbps } from "./cloud-run-limits";

export interface ConnectorRequirements {
    /** Smallest minInstances (warm size) a connector may have. */
    readonly minMinInstances: number;
    /** Smallest maxInstances a connector may have. */
    readonly minMaxInstances: number;
    /** The same floors when a connector is sized by throughput only (Mbps, 100 per instance). */
    readonly minMinThroughput: number;
    readonly minMaxThroughput: number;
    readonly allowedMachineTypes: readonly string[];
    /** Cloud Run instances (max instances summed over the workloads using it) one connector instance carries. */
    readonly cloudRunInstancesPerConnectorInstance: Readonly<Record<string, number>>;
}

/**
 * The peak throughput the team budgets per Cloud Run instance through a connector. The ratio for a machine type
 * is what one of its instances carries over this budget: f1-micro 50/100 = 0.5, e2-micro 100/100 = 1,
 * e2-standard-4 1600/100 = 16. The budget is this team's estimate for the backend (up to 40 concurrent requests
 * per instance calling Postgres, Redis and ClickHouse), not a figure from Google.
 */
export const TEAM_MBPS_PER_CLOUD_RUN_INSTANCE = 100;

function ratioFor(machineType: string): number {
    return (connectorInstanceMbps(machineType) ?? 0) / TEAM_MBPS_PER_CLOUD_RUN_INSTANCE;
}

/**
 * This backend's staging requirements (the pack's defaults). Floors: the warm size at Google's own minimum (2), and
 * room to at least double it under load (4), because new connector instances add latency while a surge is under
 * way. Machine type: e2-standard-4 only, the type Google recommends for production; shared-core f1-micro and
 * e2-micro instances can time out under high packet rates before their bandwidth is used up.
 */
export const STAGING_CONNECTOR_REQUIREMENTS: ConnectorRequirements = {
    minMinInstances: 2,
    minMaxInstances: 4,
    minMinThroughput: 2 * CONNECTOR_THROUGHPUT_UNIT_MBPS,
    minMaxThroughput: 4 * CONNECTOR_THROUGHPUT_UNIT_MBPS,
    allowedMachineTypes: ["e2-standard-4"],
    cloudRunInstancesPerConnectorInstance: Object.fromEntries(CONNECTOR_LIMITS.machineTypes.map((type) => [type, ratioFor(type)])),
};

/** A connector's size fields; undefined: not set, or not known yet. */
export interface ConnectorSizing {
    machineType?: string;
    minInstances?: number;
    maxInstances?: number;
    minThroughput?: number;
    maxThroughput?: number;
}

export type SizingField = "machineType" | "minInstances" | "maxInstances" | "minThroughput" | "maxThroughput";

/** One way a connector is smaller than the team requires: the field, what is wrong, and the fix. */
export interface SizingProblem {
    readonly field: SizingField;
    readonly message: string;
    readonly fix: string;
}

/** "an e2-micro connector carries 200-1000 Mbps from 2 to 10 instances (100 per instance)", from Google's table. */
export function carriesText(machineType: string): string {
    const range = CONNECTOR_THROUGHPUT_MBPS[machineType];
    return range
        ? `an ${machineType} connector carries about ${range.min}-${range.max} Mbps from ${CONNECTOR_LIMITS.minInstances.min} to ` +
            `${CONNECTOR_LIMITS.maxInstances.max} instances (${connectorInstanceMbps(machineType)} Mbps per instance)`
        : `${machineType} has no published throughput`;
}

/**
 * A connector's size bound (min or max) in instances, with how it was given: instances take precedence over
 * throughput (the API's rule), and throughput counts 100 Mbps per instance.
 */
interface SizeBound {
    readonly instances: number;
    readonly field: "minInstances" | "maxInstances" | "minThroughput" | "maxThroughput";
    readonly text: string;
}

function sizeBound(sizing: ConnectorSizing, bound: "min" | "max"): SizeBound | undefined {
    const instances = bound === "min" ? sizing.minInstances : sizing.maxInstances;
    const throughput = bound === "min" ? sizing.minThroughput : sizing.maxThroughput;
    if (instances !== undefined) {
        const field = bound === "min" ? "minInstances" : "maxInstances";
        return { instances, field, text: `${field} ${instances}${throughput !== undefined ? ` (${bound}Throughput ${throughput})` : ""}` };
    }
    if (throughput !== undefined) {
        const field = bound === "min" ? "minThroughput" : "maxThroughput";
        const count = throughput / CONNECTOR_THROUGHPUT_UNIT_MBPS;
        return { instances: count, field, text: `${field} ${throughput} (${count} instances)` };
    }
    return undefined;
}

/** Every way the connector falls short of the requirements; fields not known are not judged. */
export function connectorFloorProblems(sizing: ConnectorSizing, requirements: ConnectorRequirements): SizingProblem[] {
    const problems: SizingProblem[] = [];
    const type = sizing.machineType;
    // A type the API does not know is vpcaccess-connector-valid's finding, not a size problem.
    if (type !== undefined && CONNECTOR_LIMITS.machineTypes.includes(type) && !requirements.allowedMachineTypes.includes(type)) {
        const allowed = requirements.allowedMachineTypes;
        problems.push({
            field: "machineType",
            message: `machineType ${type} is not one the team allows (${allowed.join(", ") || "none"}): ${carriesText(type)}` +
                (allowed.length > 0 ? `, against ${allowed.map((a) => `${CONNECTOR_THROUGHPUT_MBPS[a]?.min}-${CONNECTOR_THROUGHPUT_MBPS[a]?.max} Mbps for ${a}`).join(", ")}` : ""),
            fix: `set machineType to ${allowed.join(" or ")}`,
        });
    }
    for (const bound of ["min", "max"] as const) {
        const size = sizeBound(sizing, bound);
        if (!size) {
            continue;
        }
        const byThroughput = size.field.endsWith("Throughput");
        const floorInstances = bound === "min" ? requirements.minMinInstances : requirements.minMaxInstances;
        const floor = byThroughput ? (bound === "min" ? requirements.minMinThroughput : requirements.minMaxThroughput) : floorInstances;
        const given = byThroughput ? size.instances * CONNECTOR_THROUGHPUT_UNIT_MBPS : size.instances;
        if (given < floor) {
            problems.push({
                field: size.field,
                message: `${size.text} is below the team's minimum ${size.field} of ${floor}`,
                fix: `set ${size.field} to at least ${floor}`,
            });
        }
    }
    return problems;
}

/** What a connector's largest size carries at the team's ratio. */
export interface ConnectorCapacity {
    readonly machineType: string;
    /** The largest size in instances, and how it was given ("maxInstances 6" / "maxThroughput 300 (3 instances)"). */
    readonly maxInstances: number;
    readonly maxText: string;
    readonly perInstance: number;
    /** Cloud Run instances the connector carries at its largest size. */
    readonly cloudRunInstances: number;
}

/** Undefined when the machine type or the largest size is not known, or the type has no ratio. */
export function connectorCapacity(sizing: ConnectorSizing, requirements: ConnectorRequirements): ConnectorCapacity | undefined {
    const max = sizeBound(sizing, "max");
    const type = sizing.machineType;
    const ratios = requirements.cloudRunInstancesPerConnectorInstance;
    if (!max || type === undefined || !Object.prototype.hasOwnProperty.call(ratios, type)) {
        return undefined;
    }
    const perInstance = ratios[type];
    return { machineType: type, maxInstances: max.instances, maxText: max.text, perInstance, cloudRunInstances: max.instances * perInstance };
}

/** Numbers as people write them: whole numbers plain, fractions to two places. */
export function countText(n: number): string {
    return Number.isInteger(n) ? String(n) : n.toFixed(2).replace(/0+$/, "");
}
