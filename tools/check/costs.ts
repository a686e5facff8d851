/**
 * The offline check's cost section: each Cloud Run service's and job's monthly estimate (policies/lib/cost-model.ts)
 * from the outputs the check sends to AnalyzeStack, the traffic stated in stack config and in the policy config of
 * cloudrun-service-monthly-cost, so the check and the pack show the same numbers.
 */
import { spawn } from "child_process";
import * as path from "path";
import type { AnalyzerResource, PolicyPackConfig } from "../analyzer";
import { mapSecrets, toStruct } from "../analyzer/properties";
import {
    COST_PARTS, CostInputResource, CostOptions, CostPartName, FREE_TIER_MODES, FreeTierMode, ServiceCostEstimate, Traffic, estimateStackCosts,
    roundCents, stackConfigTraffic, totalOf,
} from "../../policies/lib/cost-model";
import { compareCosts, renderCostComparison, renderCostEstimates } from "../../policies/lib/cost-report";

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
    return mapSecrets(value, (secretObject) => unwrapSecrets(secretObject.value));
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
export function costsJson(estimates: readonly ServiceCostEstimate[]): CostsJson {
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

/** One estimate as `--format json` carries it. */
export interface EstimateJson {
    name: string;
    urn: string;
    type: string;
    kind: ServiceCostEstimate["kind"];
    region: string | null;
    tier: ServiceCostEstimate["tier"];
    billing: ServiceCostEstimate["billing"] | null;
    vcpu: number | null;
    memoryGiB: number | null;
    monthlyUsd: number | null;
    knownMonthlyUsd: number | null;
    breakdown: Record<string, { usd: number | null; knownUsd: number | null; basis: string }>;
    undecided: string[];
    assumptions: string[];
}

export interface CostsJson {
    currency: "USD";
    period: "month";
    estimates: EstimateJson[];
    totalMonthlyUsd: number | null;
    knownTotalMonthlyUsd: number | null;
}

/** The estimates back from a JSON document (another check's, for --compare); amounts as rounded there. */
export function estimatesFromJson(costs: CostsJson): ServiceCostEstimate[] {
    const usd = (value: number | null | undefined) => (value === null || value === undefined ? undefined : value);
    return costs.estimates.map((e) => ({
        name: e.name,
        urn: e.urn,
        type: e.type,
        kind: e.kind,
        ...(e.region !== null ? { region: e.region } : {}),
        tier: e.tier,
        billing: e.billing ?? undefined,
        vcpu: usd(e.vcpu),
        memoryGiB: usd(e.memoryGiB),
        breakdown: Object.fromEntries(COST_PARTS.map((part) => {
            const p = e.breakdown[part];
            return [part, { usd: usd(p?.usd), knownUsd: p?.knownUsd ?? 0, basis: p?.basis ?? "" }];
        })) as Record<CostPartName, ServiceCostEstimate["breakdown"][CostPartName]>,
        monthlyUsd: usd(e.monthlyUsd),
        knownMonthlyUsd: e.knownMonthlyUsd ?? 0,
        undecided: e.undecided,
        assumptions: e.assumptions,
    }));
}

/** What the check reports about costs: this stack's estimates and, with --compare, the other stack's. */
export interface CheckCosts {
    estimates: ServiceCostEstimate[];
    comparison?: { stack: string; estimates: ServiceCostEstimate[] };
}

/**
 * A cost policy finding in the text report, whose cost section follows: the estimate and breakdown, the
 * assumptions left to the section (they are the same list).
 */
export function costFindingText(policy: string, message: string): string {
    const at = message.indexOf(" Assumed: ");
    return policy === COST_POLICY && at >= 0 ? `${message.slice(0, at)} (assumptions: the cost estimate below)` : message;
}

/** The cost section of the text report: the estimates, the other stack's, and the difference. */
export function costsText(stack: string, costs: CheckCosts): string {
    if (!costs.comparison) {
        return renderCostEstimates(stack, costs.estimates);
    }
    const { stack: other, estimates } = costs.comparison;
    // The model's notes once, under the second stack's estimates.
    const parts = [
        renderCostEstimates(stack, costs.estimates, false),
        renderCostEstimates(other, estimates),
        renderCostComparison(stack, other, compareCosts(costs.estimates, estimates)),
    ];
    return parts.join("\n");
}

/** The JSON members: `costs`, and `costComparison` (null without --compare). */
export function costsJsonMembers(costs: CheckCosts | undefined): { costs: CostsJson | null; costComparison: Record<string, unknown> | null } {
    if (costs === undefined) {
        return { costs: null, costComparison: null };
    }
    const comparison = costs.comparison && compareCosts(costs.estimates, costs.comparison.estimates);
    return {
        costs: costsJson(costs.estimates),
        costComparison: costs.comparison && comparison
            ? { stack: costs.comparison.stack, costs: costsJson(costs.comparison.estimates), rows: comparison.rows, total: comparison.total }
            : null,
    };
}

/** Where --compare points: a stack name (Pulumi.<name>.yaml in the project) or a Pulumi.<name>.yaml file anywhere. */
export interface CompareRequest {
    other: string;
    projectDir: string;
    packDir: string;
    policyPackConfig?: string;
}

/**
 * The other stack's estimates, from a second check run as a child process (`--format json`): the SDK's mock runtime
 * is process-global, so one process runs one program. Its exit code 1 (mandatory violations) still carries costs;
 * exit 2 is an error, reported with the child's own message.
 */
export function otherStackCosts(request: CompareRequest): Promise<{ stack: string; estimates: ServiceCostEstimate[] }> {
    const args = [
        path.join(__dirname, "main.js"), "--stack", request.other, "--format", "json", "--cwd", request.projectDir, "--policy-pack", request.packDir,
        ...(request.policyPackConfig !== undefined ? ["--policy-pack-config", path.resolve(request.policyPackConfig)] : []),
    ];
    return new Promise((resolve, reject) => {
        const child = spawn(process.execPath, args, { stdio: ["ignore", "pipe", "pipe"] });
        let stdout = "";
        child.stdout.on("data", (d) => (stdout += d));
        child.stderr.resume();
        child.on("error", reject);
        child.on("close", () => {
            let doc: { stack?: string | null; costs?: CostsJson | null; error?: { message: string } | null };
            try {
                doc = JSON.parse(stdout);
            } catch {
                reject(new Error(`--compare ${request.other}: the check of that stack printed no JSON document`));
                return;
            }
            if (doc.error || !doc.costs) {
                reject(new Error(`--compare ${request.other}: ${doc.error?.message ?? "no cost estimate in its report"}`));
                return;
            }
            resolve({ stack: doc.stack ?? request.other, estimates: estimatesFromJson(doc.costs) });
        });
    });
}
