/**
 * The metadata every policy of this pack must carry: the CLI shows it next to a violation and the docs
 * (docs/policies.md) are generated from it.
 */
import { EnforcementLevel, ResourceValidationPolicy, Severity, StackValidationPolicy } from "@pulumi/policy";

interface RequiredMetadata {
    /** What the policy prevents and how to fix it, in one or two sentences. */
    description: string;
    enforcementLevel: Exclude<EnforcementLevel, "disabled" | "remediate">;
    severity: Severity;
    remediationSteps: string;
    url: string;
}

export type PackResourcePolicy = ResourceValidationPolicy & RequiredMetadata;
export type PackStackPolicy = StackValidationPolicy & RequiredMetadata;
export type PackPolicy = PackResourcePolicy | PackStackPolicy;
