/**
 * Renders a check's verdict the way `pulumi preview --policy-pack` reports it: the resource tree (type, name,
 * parent) with each resource's violations under it, grouped by policy, with the level and the fix; then a
 * summary line. Or one JSON document. Pure: no I/O, colour decided by the caller.
 */
import archy from "archy";
import { createColors } from "picocolors";
import type { Diagnostic, PolicyInfo } from "../analyzer";

/** A resource as the report shows it. */
export interface ReportResource {
    urn: string;
    type: string;
    name: string;
    parent?: string;
}

export interface CheckReport {
    stack: string;
    policyPack: { name: string; version: string };
    resources: ReportResource[];
    diagnostics: Diagnostic[];
    policies: PolicyInfo[];
}

/** Counts by enforcement level, as the summary line states them. */
export interface Summary {
    /** The program's own resources (what `pulumi preview` lists). */
    resources: number;
    /** The root Stack and provider resources the engine analyzes too. */
    engineResources: number;
    mandatory: number;
    advisory: number;
}

/** The root Stack and provider resources: the engine's, not the program's. */
function isEngineResource(type: string): boolean {
    return type === "pulumi:pulumi:Stack" || type.startsWith("pulumi:providers:");
}

export function summarize(report: CheckReport): Summary {
    return {
        resources: report.resources.filter((r) => !isEngineResource(r.type)).length,
        engineResources: report.resources.filter((r) => isEngineResource(r.type)).length,
        mandatory: report.diagnostics.filter((d) => d.enforcementLevel === "mandatory").length,
        advisory: report.diagnostics.filter((d) => d.enforcementLevel === "advisory").length,
    };
}

/** The machine-readable document `--json` prints. */
export function toJson(report: CheckReport): string {
    const summary = summarize(report);
    return JSON.stringify({
        stack: report.stack,
        policyPack: report.policyPack,
        passed: summary.mandatory === 0,
        summary,
        resources: report.resources.map(({ urn, type, name, parent }) => ({ urn, type, name, parent: parent ?? null })),
        diagnostics: report.diagnostics.map((d) => ({
            policyName: d.policyName,
            enforcementLevel: d.enforcementLevel,
            severity: d.severity ?? null,
            urn: d.urn || null,
            message: d.message,
        })),
    }, null, 2);
}

/** The human report: a tree of resources with violations under each, then a summary line. */
export function toText(report: CheckReport, color: boolean): string {
    const c = createColors(color);
    const policies = new Map(report.policies.map((p) => [p.name, p]));
    const byUrn = groupBy(report.diagnostics, (d) => d.urn);
    const children = groupBy(report.resources, (r) => r.parent ?? "");
    const urns = new Set(report.resources.map((r) => r.urn));

    const node = (resource: ReportResource): archy.Data => ({
        label: `${c.bold(resource.type)} ${resource.name}`,
        nodes: [
            ...violationNodes(byUrn.get(resource.urn) ?? [], policies, c),
            ...(children.get(resource.urn) ?? []).map(node),
        ],
    });
    const roots = report.resources.filter((r) => !r.parent || !urns.has(r.parent));
    const stackLevel = report.diagnostics.filter((d) => !d.urn || !urns.has(d.urn));
    const tree = archy({
        label: `${c.bold("Stack")} ${report.stack} ${c.dim(`(policy pack ${report.policyPack.name}@${report.policyPack.version})`)}`,
        nodes: [...violationNodes(stackLevel, policies, c), ...roots.map(node)],
    });

    const s = summarize(report);
    const verdict = s.mandatory > 0
        ? c.red(`${s.mandatory} mandatory violation${s.mandatory === 1 ? "" : "s"}`)
        : c.green("no mandatory violations");
    const extra = s.engineResources > 0 ? ` (and ${s.engineResources} the engine adds: the Stack and default providers)` : "";
    return `${tree}\n${verdict}, ${s.advisory} advisory, ${s.resources} resources checked${extra}.\n`;
}

function violationNodes(diagnostics: Diagnostic[], policies: Map<string, PolicyInfo>, c: ReturnType<typeof createColors>): archy.Data[] {
    return [...groupBy(diagnostics, (d) => d.policyName)].map(([policyName, group]) => {
        const level = group[0].enforcementLevel;
        const policy = policies.get(policyName);
        const mark = level === "mandatory" ? c.red("✖ mandatory") : c.yellow("⚠ advisory");
        return {
            label: `${mark} ${c.bold(policyName)}`,
            nodes: [
                ...group.map((d) => d.message),
                c.dim(`fix: ${group[0].description}${policy?.url ? ` (${policy.url})` : ""}`),
            ],
        };
    });
}

function groupBy<T>(items: readonly T[], key: (item: T) => string): Map<string, T[]> {
    const groups = new Map<string, T[]>();
    for (const item of items) {
        const k = key(item);
        groups.set(k, [...(groups.get(k) ?? []), item]);
    }
    return groups;
}
