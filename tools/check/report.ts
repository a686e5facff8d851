/**
 * Renders a check's verdict for the person reviewing the change: one line per violation (level, policy, where,
 * what is wrong), then the policy's fix and its doc link; or one JSON document (schema: docs/check-output.schema.json);
 * or SARIF 2.1.0 for code scanning. Pure: no I/O, colour decided by the caller.
 */
import { createHash } from "crypto";
import * as path from "path";
import { pathToFileURL } from "url";
import type * as Sarif from "sarif";
import { createColors } from "picocolors";
import type { Diagnostic, EnforcementLevel, PolicyInfo, Severity } from "../analyzer";
import { CheckCosts, costFindingText, costsJsonMembers, costsText } from "./costs";

/** The version of the JSON document `--format json` prints; bumped on any incompatible change. */
export const JSON_SCHEMA_VERSION = 2;

/** A resource as the report shows it. */
export interface ReportResource {
    urn: string;
    type: string;
    name: string;
    parent?: string;
}

/** One diagnostic, placed where the user edits it. */
export interface Finding {
    policy: string;
    level: EnforcementLevel;
    severity?: Severity;
    /** The resource it is about; undefined for a stack-wide finding. */
    resource?: { urn: string; type: string; name: string };
    /** The property the policy names (`template.containers[0].resources.limits.cpu`). */
    propertyPath?: string;
    /** The stack config key that set that property (`cloudrun-staging:service.resources.cpu`). */
    configKey?: string;
    /** The file (relative to the working directory) and line the key is written at. */
    file?: string;
    line?: number;
    /** False when the key is not written in the file (a default applies) and `line` is its nearest parent. */
    keyWritten?: boolean;
    /** What is wrong, without the policy's description and the property path. */
    message: string;
    /** The policy's remediation steps. */
    fix?: string;
    url?: string;
    /** The SDK's "can't run policy during preview" advisory. */
    cantRun: boolean;
}

export interface CheckReport {
    stack: string;
    policyPack: { name: string; version: string };
    /** Every resource analyzed (the engine's Stack and providers included). */
    resources: ReportResource[];
    findings: Finding[];
    policies: PolicyInfo[];
    /** Things worth knowing that are not violations (e.g. a stack file that collides with another). */
    warnings: string[];
    /** Where results without a config key are located in SARIF: the stack file, or the export. */
    subjectFile?: string;
    /** Monthly cost estimates (and another stack's, with --compare). */
    costs?: CheckCosts;
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
        mandatory: report.findings.filter((d) => d.level === "mandatory").length,
        advisory: report.findings.filter((d) => d.level === "advisory").length,
    };
}

/** A diagnostic as the protocol delivers it, split into what the report needs. */
export function findingOf(
    diagnostic: Diagnostic,
    policy: PolicyInfo | undefined,
    resource: ReportResource | undefined,
    split: (message: string) => { propertyPath?: string; text: string },
): Finding {
    // The SDK sends "<description>\n<what is wrong>"; the description is the policy's, shown once at most.
    const prefix = `${diagnostic.description}\n`;
    const detail = diagnostic.message.startsWith(prefix) ? diagnostic.message.slice(prefix.length) : diagnostic.message;
    const cantRun = diagnostic.enforcementLevel === "advisory" && diagnostic.message.startsWith("can't run policy");
    const { propertyPath, text } = cantRun ? { propertyPath: unknownValuePath(detail), text: detail } : split(detail);
    return {
        policy: diagnostic.policyName,
        level: diagnostic.enforcementLevel,
        severity: diagnostic.severity,
        resource: resource && { urn: resource.urn, type: resource.type, name: resource.name },
        propertyPath,
        message: text,
        fix: policy?.remediationSteps || undefined,
        url: policy?.url || undefined,
        cantRun,
    };
}

/** The SDK names the unknown value as `.template.containers.0.image`; the pack's paths read `template.containers[0].image`. */
function unknownValuePath(message: string): string | undefined {
    const match = / at \.(\S+) can't be known/.exec(message);
    return match?.[1].split(".").reduce((path, step) => (/^\d+$/.test(step) ? `${path}[${step}]` : path ? `${path}.${step}` : step), "");
}

/** Where a finding is, in the user's terms: the config key and its line, else the resource and property. */
export function whereOf(finding: Finding): string {
    if (finding.configKey !== undefined) {
        const place = finding.file === undefined ? "" : `${finding.file}:${finding.line}`;
        const note = finding.keyWritten === false ? `not set; a default applies${place ? `, under ${place}` : ""}` : place;
        return note ? `${finding.configKey} (${note})` : finding.configKey;
    }
    if (finding.resource !== undefined) {
        return `${finding.resource.type} ${finding.resource.name}${finding.propertyPath ? ` ${finding.propertyPath}` : ""}`;
    }
    return "stack";
}

export interface TextOptions {
    color: boolean;
    /** Adds each policy's description (once) and the resource behind every config key. */
    verbose: boolean;
}

/** The human report: per finding, one line saying what is wrong where, then the fix and the doc link; then a summary. */
export function toText(report: CheckReport, options: TextOptions): string {
    const c = createColors(options.color);
    const policies = new Map(report.policies.map((p) => [p.name, p]));
    const described = new Set<string>();
    const lines = [`${c.bold(`Stack ${report.stack}`)} ${c.dim(`(policy pack ${report.policyPack.name}@${report.policyPack.version})`)}`];
    for (const warning of report.warnings) {
        lines.push(`${c.yellow("warning:")} ${warning}`);
    }
    const ordered = [...report.findings].sort((a, b) => levelRank(a.level) - levelRank(b.level));
    for (const f of ordered) {
        const mark = f.level === "mandatory" ? c.red("✖ mandatory") : c.yellow("⚠ advisory");
        const message = report.costs !== undefined ? costFindingText(f.policy, f.message) : f.message;
        lines.push("", `${mark} ${c.bold(f.policy)} ${c.cyan(whereOf(f))}: ${message}`);
        if (options.verbose && f.configKey !== undefined && f.resource !== undefined) {
            lines.push(c.dim(`    resource: ${f.resource.type} ${f.resource.name}${f.propertyPath ? ` ${f.propertyPath}` : ""}`));
        }
        if (options.verbose && !described.has(f.policy)) {
            described.add(f.policy);
            const description = policies.get(f.policy)?.description;
            if (description) {
                lines.push(c.dim(`    about: ${description}`));
            }
        }
        if (f.fix !== undefined && !f.cantRun) {
            lines.push(`    ${c.bold("fix:")} ${f.fix}`);
        }
        if (f.url !== undefined) {
            lines.push(c.dim(`    ${f.url}`));
        }
    }
    if (report.costs !== undefined) {
        lines.push("", costsText(report.stack, report.costs).trimEnd());
    }
    const s = summarize(report);
    const verdict = s.mandatory > 0
        ? c.red(`${s.mandatory} mandatory violation${s.mandatory === 1 ? "" : "s"}`)
        : c.green("no mandatory violations");
    const extra = s.engineResources > 0 ? ` (and ${s.engineResources} the engine adds: the Stack and default providers)` : "";
    lines.push("", `${verdict}, ${s.advisory} advisory, ${s.resources} resources checked${extra}.`);
    return `${lines.join("\n")}\n`;
}

function levelRank(level: EnforcementLevel): number {
    return level === "mandatory" ? 0 : 1;
}

/** The document `--format json` prints when the check ran (exit 0 or 1). */
export function toJson(report: CheckReport): string {
    const summary = summarize(report);
    return JSON.stringify({
        schemaVersion: JSON_SCHEMA_VERSION,
        stack: report.stack,
        policyPack: report.policyPack,
        passed: summary.mandatory === 0,
        summary,
        warnings: report.warnings,
        resources: report.resources.map(({ urn, type, name, parent }) => ({ urn, type, name, parent: parent ?? null })),
        diagnostics: report.findings.map((f) => ({
            policy: f.policy,
            level: f.level,
            severity: f.severity ?? null,
            resource: f.resource ?? null,
            propertyPath: f.propertyPath ?? null,
            configKey: f.configKey ?? null,
            file: f.file ?? null,
            line: f.line ?? null,
            keyWritten: f.keyWritten ?? null,
            message: f.message,
            fix: f.fix ?? null,
            url: f.url ?? null,
            cantRun: f.cantRun,
        })),
        ...costsJsonMembers(report.costs),
        error: null,
    }, null, 2);
}

/** The document `--format json` prints when the check could not run (exit 2): the same schema, with `error`. */
export function errorJson(message: string, stack: string | undefined): string {
    return JSON.stringify({
        schemaVersion: JSON_SCHEMA_VERSION,
        stack: stack ?? null,
        policyPack: null,
        passed: false,
        summary: null,
        warnings: [],
        resources: [],
        diagnostics: [],
        ...costsJsonMembers(undefined),
        error: { message, exitCode: 2 },
    }, null, 2);
}

const SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json";
/** The tool every SARIF log names, run or error, so code scanning keeps one set of alerts per category. */
const SARIF_TOOL = "cloudrun-check";
/** Files are given relative to this base: the directory the check ran in (the repository root in CI). */
const SRCROOT = "%SRCROOT%";

/**
 * SARIF 2.1.0: one run of the check, the pack's policies as rules, results at the config line that set the field
 * (else line 1 of the stack file or export, with the resource as a logical location). `cwd` is the directory file
 * paths are relative to.
 */
export function toSarif(report: CheckReport, toolVersion: string, cwd: string): string {
    const used = [...new Set(report.findings.map((f) => f.policy))];
    const rules: Sarif.ReportingDescriptor[] = report.policies.map((p) => ({
        id: p.name,
        name: p.name,
        shortDescription: { text: firstSentence(p.description) },
        fullDescription: { text: p.description },
        ...(p.remediationSteps ? { help: { text: p.remediationSteps } } : {}),
        ...(p.url ? { helpUri: p.url } : {}),
        defaultConfiguration: { level: sarifLevel(p.enforcementLevel) },
        properties: { ...(p.severity ? { severity: p.severity } : {}), policyType: p.policyType },
    }));
    const ruleIndex = new Map(rules.map((r, i) => [r.id, i]));
    const results: Sarif.Result[] = report.findings.map((f) => ({
        ruleId: f.policy,
        ...(ruleIndex.has(f.policy) ? { ruleIndex: ruleIndex.get(f.policy) } : {}),
        level: sarifLevel(f.level),
        message: { text: `${whereOf(f)}: ${f.message}` },
        locations: [sarifLocation(f, report.subjectFile, cwd)],
        // Results that share a line (several on one resource) stay distinct alerts.
        partialFingerprints: { "cloudrunCheckFinding/v1": fingerprint(f) },
    }));
    const log: Sarif.Log = {
        $schema: SARIF_SCHEMA,
        version: "2.1.0",
        runs: [{
            tool: { driver: { name: SARIF_TOOL, version: toolVersion, informationUri: "https://www.pulumi.com/docs/iac/packages-and-automation/crossguard/", rules } },
            originalUriBaseIds: { [SRCROOT]: { uri: pathToFileURL(`${cwd}${path.sep}`).href } },
            invocations: [{
                executionSuccessful: true,
                toolExecutionNotifications: report.warnings.map((w) => ({ level: "warning", message: { text: w } })),
            }],
            results,
            properties: {
                stack: report.stack, policyPack: `${report.policyPack.name}@${report.policyPack.version}`, policiesWithResults: used,
                ...(report.costs ? { costs: costsJsonMembers(report.costs).costs } : {}),
            },
        }],
    };
    return JSON.stringify(log, null, 2);
}

/** A SARIF log for a run that could not check anything (exit 2): no results, the reason as a notification. */
export function errorSarif(message: string, toolVersion: string, exitCode: number): string {
    const log: Sarif.Log = {
        $schema: SARIF_SCHEMA,
        version: "2.1.0",
        runs: [{
            tool: { driver: { name: SARIF_TOOL, version: toolVersion } },
            invocations: [{ executionSuccessful: false, exitCode, toolExecutionNotifications: [{ level: "error", message: { text: message } }] }],
            results: [],
        }],
    };
    return JSON.stringify(log, null, 2);
}

function fingerprint(f: Finding): string {
    return createHash("sha256").update([f.policy, f.resource?.urn ?? "", f.propertyPath ?? "", f.configKey ?? "", f.message].join("\n")).digest("hex").slice(0, 32);
}

function sarifLocation(f: Finding, subjectFile: string | undefined, cwd: string): Sarif.Location {
    const logical: Sarif.LogicalLocation[] = f.resource
        ? [{ fullyQualifiedName: f.propertyPath ? `${f.resource.urn}#${f.propertyPath}` : f.resource.urn, kind: "resource" }]
        : [];
    const file = f.file ?? subjectFile;
    return {
        ...(file !== undefined ? {
            physicalLocation: {
                artifactLocation: artifactOf(file, cwd),
                region: { startLine: f.file !== undefined ? f.line ?? 1 : 1 },
            },
        } : {}),
        ...(logical.length > 0 ? { logicalLocations: logical } : {}),
    };
}

/** Inside the working directory: relative to %SRCROOT%; outside it (a --cwd elsewhere): an absolute file URI. */
function artifactOf(file: string, cwd: string): Sarif.ArtifactLocation {
    const relative = path.relative(cwd, path.resolve(cwd, file));
    return relative.startsWith("..") || path.isAbsolute(relative)
        ? { uri: pathToFileURL(path.resolve(cwd, file)).href }
        : { uri: relative.split(path.sep).join("/"), uriBaseId: SRCROOT };
}

function sarifLevel(level: EnforcementLevel): Sarif.ReportingConfiguration["level"] {
    return level === "mandatory" ? "error" : level === "advisory" ? "warning" : "none";
}

function firstSentence(text: string): string {
    const end = text.search(/\.(\s|$)/);
    return end < 0 ? text : text.slice(0, end + 1);
}
