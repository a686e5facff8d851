/**
 * Cost estimates as text: one line per workload for a policy message, and the multi-line report (with an
 * optional comparison against another stack) that the offline check prints. Numbers, enums and well-formed
 * names only, as everything the estimate carries.
 */
import { COST_PARTS, COST_PART_LABELS, MODEL_ASSUMPTIONS, ServiceCostEstimate, formatUsd, roundCents, totalOf } from "./cost-model";

/** "$311.31", or "at least $21.02 (undecided: …)" when some part needs a value not known yet. */
export function amountText(estimate: Pick<ServiceCostEstimate, "monthlyUsd" | "knownMonthlyUsd">): string {
    return estimate.monthlyUsd !== undefined ? formatUsd(estimate.monthlyUsd) : `at least ${formatUsd(estimate.knownMonthlyUsd)}`;
}

function partText(estimate: ServiceCostEstimate, name: (typeof COST_PARTS)[number]): string {
    const p = estimate.breakdown[name];
    return `${COST_PART_LABELS[name]} ${p.usd !== undefined ? formatUsd(p.usd) : `≥ ${formatUsd(p.knownUsd)} (undecided)`}`;
}

/** What the estimate is about: "v2 service, europe-west1 (Tier 1), instance-based billing, 2 vCPU / 4 GiB per instance". */
export function subjectText(estimate: ServiceCostEstimate): string {
    const generation = estimate.type.startsWith("gcp:cloudrunv2/") ? "v2" : "v1";
    const size = `${estimate.vcpu ?? "?"} vCPU / ${estimate.memoryGiB === undefined ? "?" : roundCents(estimate.memoryGiB)} GiB per instance`;
    return [
        `${generation} ${estimate.kind}`,
        `${estimate.region ?? "region unknown"} (Tier ${estimate.tier})`,
        estimate.billing === "job" ? "jobs rate" : `${estimate.billing ?? "unknown"} billing`,
        size,
    ].join(", ");
}

/** One line: the estimate, its breakdown, what is undecided and every assumption. */
export function estimateLine(estimate: ServiceCostEstimate): string {
    const undecided = estimate.undecided.length > 0 ? ` Undecided until the values are known: ${estimate.undecided.join(", ")}.` : "";
    return `${estimate.name}: ${amountText(estimate)} a month (${subjectText(estimate)}) = ${COST_PARTS.map((p) => partText(estimate, p)).join(" + ")}.` +
        `${undecided} Assumed: ${estimate.assumptions.join("; ")}.`;
}

/** A stack's estimates, as the offline check prints them; `modelNotes`: end with the model's own assumptions. */
export function renderCostEstimates(stack: string, estimates: readonly ServiceCostEstimate[], modelNotes = true): string {
    const lines = [`Monthly cost estimate for stack ${stack} (USD, list prices; docs/costs.md)`];
    if (estimates.length === 0) {
        lines.push("  no Cloud Run service or job in this stack");
    }
    for (const e of estimates) {
        lines.push(`  ${e.name}  ${amountText(e)} a month  (${subjectText(e)})`);
        const width = Math.max(...COST_PARTS.map((p) => COST_PART_LABELS[p].length));
        for (const name of COST_PARTS) {
            const p = e.breakdown[name];
            const amount = p.usd !== undefined ? formatUsd(p.usd) : `≥ ${formatUsd(p.knownUsd)}`;
            lines.push(`    ${COST_PART_LABELS[name].padEnd(width)}  ${amount.padStart(11)}  ${p.basis}`);
        }
        if (e.undecided.length > 0) {
            lines.push(`    undecided until known: ${e.undecided.join(", ")}`);
        }
        lines.push(...e.assumptions.map((a) => `    assumed: ${a}`));
    }
    if (estimates.length > 1) {
        lines.push(`  total  ${amountText(totalOf(estimates))} a month`);
    }
    if (modelNotes) {
        lines.push(...MODEL_ASSUMPTIONS.map((a) => `  model: ${a}`));
    }
    return `${lines.join("\n")}\n`;
}

/** One workload's estimate in both stacks (matched by name), and the change. */
export interface CostDifference {
    name: string;
    base?: number;
    other?: number;
    /** other - base; undefined when either side is missing or undecided. */
    differenceUsd?: number;
}

function decided(e: ServiceCostEstimate | undefined): number | undefined {
    return e?.monthlyUsd === undefined ? undefined : roundCents(e.monthlyUsd);
}

/** Per workload (by name) and in total: the other stack's estimate less this one's. */
export function compareCosts(base: readonly ServiceCostEstimate[], other: readonly ServiceCostEstimate[]): { rows: CostDifference[]; total: CostDifference } {
    const names = [...new Set([...base.map((e) => e.name), ...other.map((e) => e.name)])];
    const rows = names.map((name) => {
        const a = decided(base.find((e) => e.name === name));
        const b = decided(other.find((e) => e.name === name));
        // A workload only one stack has counts as $0 on the other side.
        const baseUsd = base.some((e) => e.name === name) ? a : 0;
        const otherUsd = other.some((e) => e.name === name) ? b : 0;
        return {
            name,
            ...(baseUsd !== undefined ? { base: baseUsd } : {}),
            ...(otherUsd !== undefined ? { other: otherUsd } : {}),
            ...(baseUsd !== undefined && otherUsd !== undefined ? { differenceUsd: roundCents(otherUsd - baseUsd) } : {}),
        };
    });
    const sum = (values: (number | undefined)[]) => (values.every((v) => v !== undefined) ? roundCents(values.reduce<number>((s, v) => s + (v as number), 0)) : undefined);
    const totalBase = sum(rows.map((r) => r.base));
    const totalOther = sum(rows.map((r) => r.other));
    return {
        rows,
        total: {
            name: "total",
            ...(totalBase !== undefined ? { base: totalBase } : {}),
            ...(totalOther !== undefined ? { other: totalOther } : {}),
            ...(totalBase !== undefined && totalOther !== undefined ? { differenceUsd: roundCents(totalOther - totalBase) } : {}),
        },
    };
}

function signed(usd: number): string {
    return usd > 0 ? `+${formatUsd(usd)}` : formatUsd(usd);
}

/** "staging → test-cpu1" with one row per workload and the total. */
export function renderCostComparison(baseStack: string, otherStack: string, comparison: ReturnType<typeof compareCosts>): string {
    const cell = (usd: number | undefined) => (usd === undefined ? "undecided" : formatUsd(usd));
    const rows = [...comparison.rows, comparison.total];
    const width = Math.max(...rows.map((r) => r.name.length));
    const lines = [`Monthly cost difference: ${baseStack} → ${otherStack}`];
    for (const r of rows) {
        lines.push(`  ${r.name.padEnd(width)}  ${cell(r.base).padStart(11)} → ${cell(r.other).padStart(11)}  ${r.differenceUsd === undefined ? "undecided" : signed(r.differenceUsd)} a month`);
    }
    return `${lines.join("\n")}\n`;
}
