/**
 * What a check found: problems to report, and values it needed but could not see during preview.
 *
 * Checks are pure functions returning findings; `reportFindings` is the one place that turns them into
 * violations. A resource policy decides whenever it can: known problems are reported even when other
 * fields are unknown. Only when nothing is wrong among the known fields and something needed is unknown
 * does it throw UnknownValueError, so the engine shows its standard advisory instead of a silent pass.
 */
import { ReportViolation } from "@pulumi/policy";
import { PropNode, pathText, unknownValueError } from "./props";

export type Finding =
    | { readonly kind: "problem"; readonly message: string }
    | { readonly kind: "unknown"; readonly node: PropNode };

/**
 * A problem, optionally at the property it is about. The property path leads the message as
 * `at <path>: <message>`, so `pulumi preview` readers and tools (the offline check maps it to
 * the config key that set the field) see which field to change.
 */
export function problem(message: string, at?: PropNode): Finding {
    return { kind: "problem", message: at === undefined ? message : messageAt(at, message) };
}

/** `at <path>: <message>`: the form every violation about one field takes, stack policies' too. */
export function messageAt(node: PropNode, message: string): string {
    return `at ${pathText(node)}: ${message}`;
}

const AT_PREFIX = /^at (\S+?): /;

/** Splits a violation message into the property path it leads with (if any) and what is wrong. */
export function splitPropertyPath(message: string): { propertyPath?: string; text: string } {
    const match = AT_PREFIX.exec(message);
    return match === null ? { text: message } : { propertyPath: match[1], text: message.slice(match[0].length) };
}

export function needsKnown(node: PropNode): Finding {
    return { kind: "unknown", node };
}

/** Problem messages among the findings. */
export function problemsIn(findings: readonly Finding[]): string[] {
    return findings.flatMap((f) => (f.kind === "problem" ? [f.message] : []));
}

/**
 * For stack policies, after every violation is reported: a verdict that depended on a value not known yet
 * becomes the engine's standard "can't run during preview" advisory, never a guessed violation.
 */
export function adviseUndecided(undecided: readonly PropNode[]): void {
    if (undecided.length > 0) {
        throw unknownValueError(undecided[0]);
    }
}

/** Reports every problem; with none, throws UnknownValueError for the first unknown, if any. */
export function reportFindings(findings: readonly Finding[], reportViolation: ReportViolation): void {
    const problems = problemsIn(findings);
    for (const message of problems) {
        reportViolation(message);
    }
    const firstUnknown = findings.find((f) => f.kind === "unknown");
    if (problems.length === 0 && firstUnknown?.kind === "unknown") {
        throw unknownValueError(firstUnknown.node);
    }
}
