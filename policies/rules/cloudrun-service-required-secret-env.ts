/**
 * The backend cannot start without its connection strings, and they hold credentials: a revision missing
 * CLICKHOUSE_URL crash-looped. Each required variable must be on the serving container and come from
 * Secret Manager.
 */
import { CLOUD_RUN_DOCS } from "../lib/cloud-run-limits";
import { ContainerView } from "../lib/cloud-run-service";
import { definePolicyConfig } from "../lib/config";
import { Finding, needsKnown, problem } from "../lib/findings";
import { PackResourcePolicy } from "../lib/pack-policy";
import { asString, isPresent, isUnknown } from "../lib/props";
import { checkServingContainer, validateServices } from "../lib/validation";

const config = definePolicyConfig({
    requiredSecretEnv: {
        type: "array",
        items: { type: "string", pattern: "^[A-Za-z_][A-Za-z0-9_]*$" },
        uniqueItems: true,
        default: ["DATABASE_URL", "REDIS_URL", "CLICKHOUSE_URL"],
        description: "Env variables the serving container must have, each from valueSource.secretKeyRef.",
    },
});

function requiredSecretEnvFindings(container: ContainerView, required: readonly string[]): Finding[] {
    if (isUnknown(container.envList)) {
        return [needsKnown(container.envList)];
    }
    // An env item whose name is not known yet could be any of the required ones.
    const unnamed = container.env.map((env) => (isUnknown(env.node) ? env.node : env.name)).filter(isUnknown);
    return required.flatMap((name): Finding[] => {
        const env = container.env.find((e) => asString(e.name) === name);
        const fix = `add { name: "${name}", valueSource: { secretKeyRef: { secret: "<secret id>", version: "<n>" } } }`;
        if (!env) {
            return unnamed.length > 0
                ? [needsKnown(unnamed[0])]
                : [problem(`${container.label}: required env ${name} is missing; ${fix}`)];
        }
        if (isPresent(env.secretKeyRef)) {
            return [];
        }
        return isPresent(env.value)
            ? [problem(`${container.label}: env ${name} has a plain value instead of a Secret Manager reference; ${fix}`)]
            : [problem(`${container.label}: env ${name} has no value source; ${fix}`)];
    });
}

export const cloudrunServiceRequiredSecretEnv: PackResourcePolicy = {
    name: "cloudrun-service-required-secret-env",
    description:
        "Stops revisions whose serving container lacks a required connection variable or sets it as a plain value. " +
        "Add each required variable with valueSource.secretKeyRef (v1: valueFrom.secretKeyRef).",
    enforcementLevel: "mandatory",
    severity: "critical",
    remediationSteps:
        `For each of requiredSecretEnv (default ${config.defaults.requiredSecretEnv.join(", ")}), add an env entry on the serving container ` +
        "whose valueSource.secretKeyRef names the Secret Manager secret and version, and create the secret and its accessor grant in the stack.",
    url: CLOUD_RUN_DOCS.secrets,
    configSchema: config.schema,
    validateResource: validateServices((view, args) => {
        const required = config.read(args).requiredSecretEnv.filter((n): n is string => typeof n === "string");
        return checkServingContainer(view, (container) => requiredSecretEnvFindings(container, required));
    }),
};
