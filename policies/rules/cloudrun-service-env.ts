/**
 * Env variables that break a revision or leak: reserved names Cloud Run rejects, hosts that mean "this
 * container" inside Cloud Run (REDIS_URL=redis://localhost:6379 took the backend down), credentials in
 * plain values, and Cloud SQL socket URLs with SSL parameters the socket refuses.
 */
import { CLOUD_RUN_DOCS, ENV_LIMITS, RESERVED_ENV_NAMES, show } from "../lib/cloud-run-limits";
import { ContainerView, EnvVarView } from "../lib/cloud-run-service";
import { definePolicyConfig } from "../lib/config";
import { cloudSqlSocketSslParam, credentialSuffixOf, hasUrlPassword, loopbackHostIn, maskCredentials } from "../lib/env-values";
import { Finding, needsKnown, problem } from "../lib/findings";
import { PackResourcePolicy } from "../lib/pack-policy";
import { asString, isAbsent, isPresent, isUnknown } from "../lib/props";
import { checkEveryContainer, validateServices } from "../lib/validation";

const config = definePolicyConfig({
    credentialNameSuffixes: {
        type: "array",
        items: { type: "string", minLength: 1 },
        default: ["_PASSWORD", "_SECRET", "_TOKEN", "_KEY"],
        description: "Env names ending with one of these hold credentials and must come from Secret Manager, not a literal value.",
    },
});

function containerEnvFindings(container: ContainerView, suffixes: readonly string[]): Finding[] {
    if (isUnknown(container.envList)) {
        return [needsKnown(container.envList)];
    }
    const tooMany = container.env.length > ENV_LIMITS.maxVariables
        ? [problem(`${container.label}: ${container.env.length} env variables exceed Cloud Run's ${ENV_LIMITS.maxVariables}`)]
        : [];
    return [...tooMany, ...container.env.flatMap((env) => envVarFindings(container, env, suffixes))];
}

function envVarFindings(container: ContainerView, env: EnvVarView, suffixes: readonly string[]): Finding[] {
    if (isUnknown(env.node)) {
        return [needsKnown(env.node)];
    }
    if (isUnknown(env.name)) {
        return [needsKnown(env.name)];
    }
    const name = asString(env.name);
    if (name === undefined) {
        return [problem(`${container.label}: an env variable has no name (${show(env.name.value)})`)];
    }
    const where = `${container.label} env ${name}`;
    return [...nameFindings(where, name), ...valueFindings(where, name, env, suffixes)];
}

function nameFindings(where: string, name: string): Finding[] {
    if (RESERVED_ENV_NAMES.includes(name)) {
        return [problem(`${where}: ${name} is reserved (Cloud Run sets ${RESERVED_ENV_NAMES.join(", ")} itself and rejects the revision); remove it` +
            (name === "PORT" ? " and set the container port with ports.containerPort" : ""))];
    }
    return ENV_LIMITS.nameRe.test(name) ? [] : [problem(`${where}: the name is not a valid env name (letters, digits, _; not starting with a digit)`)];
}

function valueFindings(where: string, name: string, env: EnvVarView, suffixes: readonly string[]): Finding[] {
    if (isAbsent(env.value)) {
        return [];
    }
    const findings: Finding[] = [];
    if (isPresent(env.source)) {
        findings.push(problem(`${where}: sets both value and a secret reference; keep only valueSource.secretKeyRef`));
    }
    // A literal (even one computed from another output) is a plain value whatever its content.
    const suffix = credentialSuffixOf(name, suffixes);
    if (suffix !== undefined && env.value.value !== "") {
        findings.push(problem(`${where}: a name ending ${suffix} holds a credential but has a plain value (not shown); ` +
            "store it in Secret Manager and use valueSource.secretKeyRef"));
    }
    if (isUnknown(env.value)) {
        return [...findings, needsKnown(env.value)];
    }
    const value = asString(env.value);
    if (value === undefined) {
        return findings;
    }
    const shown = maskCredentials(value);
    const loopback = loopbackHostIn(value);
    if (loopback !== undefined) {
        findings.push(problem(`${where}=${shown} points at ${loopback}, which inside Cloud Run is the container itself; ` +
            "use the real host (e.g. the Memorystore/Cloud SQL private IP) from a secret"));
    }
    if (hasUrlPassword(value)) {
        findings.push(problem(`${where}=${shown} carries a password in a plain value; move the whole URL to Secret Manager and use valueSource.secretKeyRef`));
    }
    const sslParam = cloudSqlSocketSslParam(value);
    if (sslParam !== undefined) {
        findings.push(problem(`${where}=${shown} is a Cloud SQL unix-socket URL with ${sslParam}=, which the socket connection rejects; remove the ${sslParam} parameter`));
    }
    if (value.length > ENV_LIMITS.maxValueLength) {
        findings.push(problem(`${where}: value is ${value.length} characters, over Cloud Run's ${ENV_LIMITS.maxValueLength}`));
    }
    return findings;
}

export const cloudrunServiceEnv: PackResourcePolicy = {
    name: "cloudrun-service-env",
    description:
        "Stops env variables that break or leak a revision: reserved names (PORT, K_*), localhost/loopback hosts, credentials in plain values, " +
        "and Cloud SQL socket URLs with sslmode/ssl. Remove reserved names, point at real hosts, and move credentials to Secret Manager.",
    enforcementLevel: "mandatory",
    severity: "critical",
    remediationSteps:
        `Remove ${RESERVED_ENV_NAMES.join(", ")} from env (Cloud Run sets them). Replace localhost, 127.x.x.x and ::1 with the service's real address. ` +
        "Put any URL with user:password@ and any *_PASSWORD/*_SECRET/*_TOKEN/*_KEY value in Secret Manager and reference it with valueSource.secretKeyRef. " +
        "Drop sslmode/ssl from Cloud SQL /cloudsql/ socket URLs.",
    url: CLOUD_RUN_DOCS.containerContract,
    configSchema: config.schema,
    validateResource: validateServices((view, args) => {
        const suffixes = config.read(args).credentialNameSuffixes.filter((s): s is string => typeof s === "string");
        return checkEveryContainer(view, (container) => containerEnvFindings(container, suffixes));
    }),
};
