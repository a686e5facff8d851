/**
 * Team requirement: the backend cannot start without its connection strings, and they hold credentials: a
 * revision missing CLICKHOUSE_URL crash-looped. Each required variable must be on a service's ingress
 * container and come from Secret Manager.
 */
import { CLOUD_RUN_DOCS, ENV_LIMITS, ENV_NAME_WORDS } from "../lib/cloud-run-limits";
import { definePolicyConfig, patternedString } from "../lib/config";
import { Finding, needsKnown, problem } from "../lib/findings";
import { PackResourcePolicy } from "../lib/pack-policy";
import { asString, isAbsent, isPresent, isUnknown, zeroAsAbsent } from "../lib/props";
import { checkIngressContainer, validateWorkloads } from "../lib/validation";
import { ContainerView, EnvVarView, WorkloadView } from "../lib/workload";

const config = definePolicyConfig("cloudrun-service-required-secret-env", {
    requiredSecretEnv: {
        type: "array",
        items: patternedString(ENV_LIMITS.nameRe.source, ENV_NAME_WORDS),
        uniqueItems: true,
        default: ["DATABASE_URL", "REDIS_URL", "CLICKHOUSE_URL"],
        description: "Env variables the ingress container must have, each from a Secret Manager reference (valueSource.secretKeyRef).",
    },
});

/** An env item whose name is not known yet, and whether it could be a secret reference (it has no plain value). */
function couldBeAnyRequired(env: EnvVarView): boolean {
    return isUnknown(env.node) || (isUnknown(env.name) && (isAbsent(env.value) || isPresent(zeroAsAbsent(env.source))));
}

function requiredSecretEnvFindings(view: WorkloadView, container: ContainerView, required: readonly string[]): Finding[] {
    if (isUnknown(container.envList)) {
        return [needsKnown(container.envList)];
    }
    const sourceField = view.generation === "v1" ? "valueFrom" : "valueSource";
    const fix = (name: string) => view.generation === "v1"
        ? `add { name: "${name}", valueFrom: { secretKeyRef: { name: "<secret id>", key: "<version>" } } }`
        : `add { name: "${name}", valueSource: { secretKeyRef: { secret: "<secret id>", version: "<n>" } } }`;
    const findings: Finding[] = [];
    const missing: string[] = [];
    for (const name of required) {
        const env = container.env.find((e) => asString(e.name) === name);
        if (!env) {
            missing.push(name);
        } else if (isUnknown(env.source) || isUnknown(env.secretKeyRef)) {
            findings.push(needsKnown(isUnknown(env.source) ? env.source : env.secretKeyRef));
        } else if (!isPresent(zeroAsAbsent(env.secretKeyRef))) {
            findings.push(problem(isPresent(env.value)
                ? `${container.label}: env ${name} has a plain value instead of a Secret Manager reference; ${fix(name)}`
                : `${container.label}: env ${name} has no ${sourceField}.secretKeyRef; ${fix(name)}`, env.node));
        }
    }
    // Each env item whose name is not known yet can stand for at most one missing variable.
    const unnamed = container.env.filter(couldBeAnyRequired).map((env) => (isUnknown(env.node) ? env.node : env.name));
    if (missing.length > unnamed.length) {
        findings.push(problem(unnamed.length === 0
            ? `${container.label}: required env ${missing.join(", ")} ${missing.length === 1 ? "is" : "are"} missing; ${missing.map(fix).join("; ")}`
            : `${container.label}: required env ${missing.join(", ")} ${missing.length === 1 ? "is" : "are"} missing, and the ${unnamed.length} env ` +
                `variable(s) whose name is not known yet can be at most ${unnamed.length} of them; ${missing.map(fix).join("; ")}`, container.envList));
    } else if (missing.length > 0) {
        findings.push(...unnamed.map(needsKnown));
    }
    return findings;
}

export const cloudrunServiceRequiredSecretEnv: PackResourcePolicy = {
    name: "cloudrun-service-required-secret-env",
    description:
        "Team requirement: stops services whose ingress container lacks a required connection variable or sets it as a plain value. " +
        "Add each required variable with valueSource.secretKeyRef (v1: valueFrom.secretKeyRef).",
    enforcementLevel: "mandatory",
    severity: "critical",
    remediationSteps:
        `For each of requiredSecretEnv (default ${config.defaults.requiredSecretEnv.join(", ")}), add an env entry on the ingress container ` +
        "whose valueSource.secretKeyRef (v1: valueFrom.secretKeyRef {name, key}) names the Secret Manager secret and version, " +
        "and create the secret and its accessor grant in the stack.",
    url: CLOUD_RUN_DOCS.secrets,
    configSchema: config.schema,
    validateResource: validateWorkloads(["service"], (view, args) => {
        const required = config.read(args).requiredSecretEnv.filter((n): n is string => typeof n === "string");
        return checkIngressContainer(view, (container) => requiredSecretEnvFindings(view, container, required));
    }),
};
