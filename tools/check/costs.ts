/**
 * The offline check's cost section: each Cloud Run service's and job's monthly estimate (policies/lib/cost-model.ts)
 * from the outputs the check sends to AnalyzeStack, the traffic stated in stack config and in the policy config of
 * cloudrun-service-monthly-cost, so the check and the pack show the same numbers.
 */
import type { AnalyzerResource, PolicyPackConfig } from "../analyzer";
import { SIG_KEY, SIGNATURES, toStruct } from "../analyzer/properties";
import {
    CostInputResource, CostOptions, FREE_TIER_MODES, FreeTierMode, ServiceCostEstimate, Traffic, estimateStackCosts, roundCents,
    stackConfigTraffic, totalOf,
} from "../../policies/lib/cost-model";

export const COST_POLICY = "cloudrun-service-monthly-cost";

/** What the cost estimate reads from a stack's config: its project name and namespaced values. */
export interface StackConfigValues {
    project: string;
    values: Readonly<Record<string, string>>;
}

/** The estimate's options: traffic and free tier from the cost policy's config, traffic from the stack config. */
export function costOptions(policyConfig: PolicyPackConfig, stackConfig?: StackConfigValues): CostOptions {
    const entry = policyConfig[COST_POLICY];
    const settings = typeof entry === "object" && entry !== null ? (entry as Record<string, unknown>) : {};
    const object = (value: unknown) => (typeof value === "object" && value !== null && !Array.isArray(value) ? value : undefined);
    const freeTier = FREE_TIER_MODES.find((mode) => mode === settings.freeTier);
    return {
        trafficByName: object(settings.traffic) as Record<string, Traffic> | undefined,
        defaultTraffic: object(settings.defaultTraffic) as Traffic | undefined,
        freeTier: freeTier ?? ("none" satisfies FreeTierMode),
        stackTraffic: stackConfig ? stackConfigTraffic(stackConfig.values, stackConfig.project) : undefined,
    };
}

/** Plain values as a policy sees them: secrets unwrapped (the estimate reads numbers and names only). */
function unwrapSecrets(value: unknown): unknown {
    if (Array.isArray(value)) {
        return value.map(unwrapSecrets);
    }
    if (typeof value === "object" && value !== null) {
        const object = value as Record<string, unknown>;
        if (object[SIG_KEY] === SIGNATURES.secret) {
            return unwrapSecrets(object.value);
        }
        return Object.fromEntries(Object.entries(object).map(([k, v]) => [k, unwrapSecrets(v)]));
    }
    return value;
}

function plainProperties(properties: AnalyzerResource["properties"]): Record<string, unknown> {
    return unwrapSecrets(toStruct(properties).toJavaScript()) as Record<string, unknown>;
}

/** The AnalyzeStack resources as the cost model reads them. */
export function costInputsOf(outputs: readonly AnalyzerResource[]): CostInputResource[] {
    return outputs.map((r) => ({
        urn: r.urn,
        type: r.type,
        name: r.name,
        properties: plainProperties(r.properties),
        dependencies: r.dependencies,
        propertyDependencies: r.propertyDependencies,
        ...(r.provider ? { providerProperties: plainProperties(r.provider.properties) } : {}),
    }));
}

/** Every Cloud Run service's and job's estimate for the stack whose AnalyzeStack resources are `outputs`. */
export function estimateCheckedStack(outputs: readonly AnalyzerResource[], policyConfig: PolicyPackConfig, stackConfig?: StackConfigValues): ServiceCostEstimate[] {
    return estimateStackCosts(costInputsOf(outputs), costOptions(policyConfig, stackConfig));
}

/** The `costs` member of the check's JSON: amounts rounded to the cent, undecided ones null. */
export function costsJson(estimates: readonly ServiceCostEstimate[]): Record<string, unknown> {
    const cents = (usd: number | undefined) => (usd === undefined ? null : roundCents(usd));
    const total = totalOf(estimates);
    return {
        currency: "USD",
        period: "month",
        estimates: estimates.map((e) => ({
            name: e.name,
            urn: e.urn,
            type: e.type,
            kind: e.kind,
            region: e.region ?? null,
            tier: e.tier,
            billing: e.billing ?? null,
            vcpu: e.vcpu ?? null,
            memoryGiB: e.memoryGiB ?? null,
            monthlyUsd: cents(e.monthlyUsd),
            knownMonthlyUsd: cents(e.knownMonthlyUsd),
            breakdown: Object.fromEntries(Object.entries(e.breakdown).map(([part, p]) => [part, { usd: cents(p.usd), knownUsd: cents(p.knownUsd), basis: p.basis }])),
            undecided: e.undecided,
            assumptions: e.assumptions,
        })),
        totalMonthlyUsd: cents(total.monthlyUsd),
        knownTotalMonthlyUsd: cents(total.knownMonthlyUsd),
    };
}
