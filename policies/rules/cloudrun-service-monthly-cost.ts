/**
 * The monthly cost of each Cloud Run service and job, where the change is reviewed: the incident began as a
 * cost cut (2 CPU / 4Gi to 1 CPU / 512Mi) that nobody could weigh against the startup it broke. Advisory: it
 * reports every estimate; with a budget it reports only the workloads above it, and a team may make that
 * mandatory. Traffic comes from this policy's config, or from the stack config the engine hands every pack.
 */
import { CLOUD_RUN_DOCS, REQUEST_TIMEOUT_LIMITS } from "../lib/cloud-run-limits";
import { PolicyConfigJSONSchema } from "@pulumi/policy/schema";
import { definePolicyConfig } from "../lib/config";
import { CostOptions, DEFAULT_TRAFFIC, FREE_TIER_MODES, FreeTierMode, StackConfigTraffic, Traffic, estimateCosts, formatUsd, roundCents, stackConfigTraffic } from "../lib/cost-model";
import { amountText, estimateLine } from "../lib/cost-report";
import { adviseUndecided } from "../lib/findings";
import { PackStackPolicy } from "../lib/pack-policy";
import { PropNode } from "../lib/props";
import { stackResources } from "../lib/stack-graph";

const TRAFFIC_SCHEMA: PolicyConfigJSONSchema = {
    type: "object",
    additionalProperties: false,
    properties: {
        requestsPerMonth: { type: "number", minimum: 0, description: "Requests a month (services)." },
        meanRequestMs: {
            type: "number", exclusiveMinimum: 0, maximum: REQUEST_TIMEOUT_LIMITS.maxSeconds * 1000, description: "Mean request duration in milliseconds (services).",
        },
        executionsPerMonth: { type: "number", minimum: 0, description: "Executions a month (jobs)." },
        meanTaskSeconds: { type: "number", exclusiveMinimum: 0, description: "Mean run time of one task in seconds (jobs)." },
    },
};

const config = definePolicyConfig("cloudrun-service-monthly-cost", {
    monthlyBudgetUsd: {
        type: "number",
        minimum: 0,
        default: 0,
        description: "Budget for each service or job (its share of a VPC connector included), USD a month. 0: no budget; every estimate is reported.",
    },
    freeTier: {
        type: "string",
        enum: [...FREE_TIER_MODES],
        default: "none",
        description: 'Free tier to subtract: "none" (one per billing account, shared with everything it pays for), "requests" (the 2M free requests only) or "all" (each workload gets all of it).',
    },
    defaultTraffic: {
        ...TRAFFIC_SCHEMA,
        default: {},
        description: `Traffic of every workload without its own: {requestsPerMonth, meanRequestMs, executionsPerMonth, meanTaskSeconds}. ` +
            `A field stated nowhere is assumed (${DEFAULT_TRAFFIC.requestsPerMonth} requests of ${DEFAULT_TRAFFIC.meanRequestMs} ms; ${DEFAULT_TRAFFIC.executionsPerMonth} executions) and the estimate says so.`,
    },
    traffic: {
        type: "object",
        additionalProperties: TRAFFIC_SCHEMA,
        default: {},
        description: "Traffic by Cloud Run service or job name (or Pulumi resource name), the same fields as defaultTraffic; wins over stack config and defaultTraffic.",
    },
});

/**
 * The stack config as the engine hands it to a policy pack (PULUMI_CONFIG, PULUMI_NODEJS_PROJECT): this
 * repository's program states its service's traffic at `<project>:service.traffic`.
 */
function trafficFromStackConfig(): StackConfigTraffic | undefined {
    const project = process.env.PULUMI_NODEJS_PROJECT;
    const text = process.env.PULUMI_CONFIG;
    if (!project || !text) {
        return undefined;
    }
    try {
        const values: unknown = JSON.parse(text);
        return typeof values === "object" && values !== null ? stackConfigTraffic(values as Record<string, unknown>, project) : undefined;
    } catch {
        return undefined;
    }
}

export const cloudrunServiceMonthlyCost: PackStackPolicy = {
    name: "cloudrun-service-monthly-cost",
    description:
        "Estimates each Cloud Run service's and job's monthly cost (always-on instances, traffic, requests, VPC connector share) from its CPU, memory, " +
        "billing mode, scaling and the stated traffic, so a resource change is weighed in review; with monthlyBudgetUsd set, reports the workloads above it. " +
        "To fix a budget violation, lower min instances, CPU or memory, or raise the budget.",
    enforcementLevel: "advisory",
    severity: "low",
    remediationSteps:
        "Read the breakdown: always-on is the min instances (template.scaling.minInstanceCount) all month; traffic and requests follow the stated traffic " +
        "(set it in this policy's traffic / defaultTraffic, or in stack config <project>:service.traffic {requestsPerMonth, meanRequestMs}); " +
        "the connector share is its min instances at its machine type's price. Over budget: lower min instances, CPU or memory, use request-based billing " +
        "(cpuIdle true) for a service with no background work, or raise monthlyBudgetUsd. See docs/costs.md for the model and its limits.",
    url: CLOUD_RUN_DOCS.pricing,
    configSchema: config.schema,
    validateStack: (args, reportViolation) => {
        const cfg = config.read(args);
        const options: CostOptions = {
            trafficByName: cfg.traffic as Record<string, Traffic>,
            defaultTraffic: cfg.defaultTraffic as Traffic,
            freeTier: cfg.freeTier as FreeTierMode,
            stackTraffic: trafficFromStackConfig(),
        };
        const { estimates, undecidedNodes } = estimateCosts(stackResources(args.resources), options);
        const budget = cfg.monthlyBudgetUsd;
        if (budget === 0) {
            for (const estimate of estimates) {
                reportViolation(estimateLine(estimate), estimate.urn);
            }
            return;
        }
        const undecided: PropNode[] = [];
        for (const estimate of estimates) {
            // The decided parts are a lower bound: above the budget already is a verdict; below it, only if nothing is undecided.
            if (roundCents(estimate.knownMonthlyUsd) > budget) {
                reportViolation(`${amountText(estimate)} is above the monthly budget of ${formatUsd(budget)}. ${estimateLine(estimate)}`, estimate.urn);
            } else if (estimate.monthlyUsd === undefined) {
                undecided.push(...(undecidedNodes.get(estimate.urn) ?? []));
            }
        }
        adviseUndecided(undecided);
    },
};
