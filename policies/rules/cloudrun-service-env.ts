/**
 * Env variables that break a revision or leak: names Cloud Run reserves (it rejects the revision), hosts that
 * mean "this container" in a single-container revision (REDIS_URL=redis://localhost:6379 took the backend
 * down), credentials in plain values, and Cloud SQL socket URLs with SSL parameters the socket refuses.
 * Services, jobs and worker pools; values are never shown in a message.
 */
import { CLOUD_RUN_DOCS, ENV_LIMITS, INGRESS_ONLY_RESERVED_ENV_NAMES, JOB_RESERVED_ENV_NAMES, RESERVED_ENV_NAMES } from "../lib/cloud-run-limits";
import { definePolicyConfig } from "../lib/config";
import { cloudSqlSocketSslParam, credentialSuffixOf, hasUrlPassword, isBareLoopbackHost, loopbackHostIn, namesCloudSqlSocket } from "../lib/env-values";
import { Finding, needsKnown, problem } from "../lib/findings";
import { PackResourcePolicy } from "../lib/pack-policy";
import { PropNode, asList, asString, at, isAbsent, isPresent, isUnknown, zeroAsAbsent } from "../lib/props";
import { nameText } from "../lib/safe-text";
import { ALL_WORKLOADS, checkEveryContainer, validateWorkloads } from "../lib/validation";
import { ContainerView, EnvVarView, V1_ANNOTATIONS, WorkloadView, ingressContainer } from "../lib/workload";

const config = definePolicyConfig("cloudrun-service-env", {
    credentialNameSuffixes: {
        type: "array",
        items: { type: "string", minLength: 1 },
        default: ["_PASSWORD", "_SECRET", "_TOKEN", "_KEY"],
        description: "Env names ending with one of these hold credentials and must come from Secret Manager, not a literal value.",
    },
    rejectLoopbackHosts: {
        type: "boolean",
        default: true,
        description: "Team requirement: reject a localhost / 127.x / ::1 address in a single-container revision (it is the container itself).",
    },
    loopbackAllowedNames: {
        type: "array",
        items: { type: "string", minLength: 1 },
        default: ["NO_PROXY"],
        description: "Env names (any case) that may name a loopback host, e.g. proxy exclusions.",
    },
});

/**
 * The names Cloud Run reserves for this container (what its contract injects), and those it reserves only if
 * this container turns out to be the ingress one, which is not known yet.
 */
function reservedNames(view: WorkloadView, container: ContainerView): { names: readonly string[]; ifIngress: readonly string[]; ingressNode?: PropNode } {
    if (view.kind === "job") {
        return { names: JOB_RESERVED_ENV_NAMES, ifIngress: [] };
    }
    if (view.kind !== "service") {
        return { names: [], ifIngress: [] };
    }
    const ingress = ingressContainer(view);
    // PORT is injected into the ingress container only: a sidecar may set it.
    const always = RESERVED_ENV_NAMES.filter((n) => !INGRESS_ONLY_RESERVED_ENV_NAMES.includes(n));
    if (ingress.kind === "unknown") {
        return { names: always, ifIngress: INGRESS_ONLY_RESERVED_ENV_NAMES, ingressNode: ingress.node };
    }
    return { names: ingress.kind === "found" && ingress.container === container ? RESERVED_ENV_NAMES : always, ifIngress: [] };
}

/** Cloud SQL mounted as a unix socket: a v2 cloudSqlInstance volume or the v1 cloudsql-instances annotation. */
function mountsCloudSql(view: WorkloadView): boolean {
    const volumes = asList(view.volumes) ?? [];
    return volumes.some((v) => isPresent(zeroAsAbsent(at(v, "cloudSqlInstance")))) ||
        isPresent(zeroAsAbsent(at(view.templateAnnotations, V1_ANNOTATIONS.cloudSqlInstances)));
}

interface EnvContext {
    readonly view: WorkloadView;
    readonly container: ContainerView;
    readonly reserved: ReturnType<typeof reservedNames>;
    readonly suffixes: readonly string[];
    readonly mountsCloudSql: boolean;
    readonly loopback: { readonly reject: boolean; readonly allowedNames: readonly string[] };
}

function containerEnvFindings(view: WorkloadView, container: ContainerView, settings: Pick<EnvContext, "suffixes" | "loopback">): Finding[] {
    if (isUnknown(container.node)) {
        return [needsKnown(container.node)];
    }
    if (isUnknown(container.envList)) {
        return [needsKnown(container.envList)];
    }
    const ctx: EnvContext = { view, container, reserved: reservedNames(view, container), mountsCloudSql: mountsCloudSql(view), ...settings };
    const tooMany = container.env.length > ENV_LIMITS.maxVariables
        ? [problem(`${container.label}: ${container.env.length} env variables exceed Cloud Run's ${ENV_LIMITS.maxVariables}`, container.envList)]
        : [];
    return [...tooMany, ...container.env.flatMap((env) => envVarFindings(ctx, env))];
}

function envVarFindings(ctx: EnvContext, env: EnvVarView): Finding[] {
    if (isUnknown(env.node)) {
        return [needsKnown(env.node)];
    }
    if (isUnknown(env.name)) {
        // The value's own checks do not depend on the name; the credential-suffix check does.
        return [needsKnown(env.name), ...valueFindings(ctx, `${ctx.container.label} env (name not known yet)`, undefined, env)];
    }
    const name = asString(env.name);
    if (name === undefined || name === "") {
        return [problem(`${ctx.container.label}: an env variable has no name`, env.node)];
    }
    const shown = nameText(name, "env");
    if (shown === undefined) {
        return [problem(`${ctx.container.label}: an env variable's name is not a valid env name (letters, digits, _; not starting with a digit)`, env.node)];
    }
    const where = `${ctx.container.label} env ${shown}`;
    return [...nameFindings(ctx, where, shown, env), ...valueFindings(ctx, where, shown, env)];
}

function nameFindings(ctx: EnvContext, where: string, name: string, env: EnvVarView): Finding[] {
    if (ctx.reserved.ingressNode && ctx.reserved.ifIngress.includes(name)) {
        return [needsKnown(ctx.reserved.ingressNode)];
    }
    if (!ctx.reserved.names.includes(name)) {
        return [];
    }
    return [problem(`${where}: ${name} is reserved (Cloud Run sets it itself and rejects the ${ctx.view.kind === "job" ? "job" : "revision"}); remove it` +
        (name === "PORT" ? " and set the container port with ports.containerPort" : ""), env.node)];
}

function valueFindings(ctx: EnvContext, where: string, name: string | undefined, env: EnvVarView): Finding[] {
    if (isAbsent(env.value)) {
        return [];
    }
    const findings: Finding[] = [];
    if (isPresent(zeroAsAbsent(env.source))) {
        findings.push(problem(`${where}: sets both value and a secret reference; keep only ${ctx.view.generation === "v1" ? "valueFrom" : "valueSource"}.secretKeyRef`, env.node));
    }
    // A literal (even one computed from another output) is a plain value whatever its content.
    const suffix = name === undefined ? undefined : credentialSuffixOf(name, ctx.suffixes);
    if (suffix !== undefined) {
        findings.push(problem(`${where}: a name ending ${suffix} holds a credential but has a plain value; ` +
            "store it in Secret Manager and reference it with a secretKeyRef", env.node));
    }
    if (isUnknown(env.value)) {
        return [...findings, needsKnown(env.value)];
    }
    const value = asString(env.value);
    if (value === undefined) {
        return findings;
    }
    // With sidecars, localhost is the instance's other containers (a proxy or cache sidecar): a real address.
    // A Cloud SQL socket path makes the nominal host unused, and with Cloud SQL mounted a bare "localhost" is the
    // MySQL/PostgreSQL clients' way of saying "use the socket".
    const socketHost = namesCloudSqlSocket(value) || (ctx.mountsCloudSql && isBareLoopbackHost(value));
    const allowedName = name !== undefined && ctx.loopback.allowedNames.some((n) => n.toUpperCase() === name.toUpperCase());
    if (ctx.loopback.reject && loopbackHostIn(value) !== undefined && ctx.view.containers.length === 1 && !socketHost && !allowedName) {
        findings.push(problem(`${where} points at a loopback host, which in a single-container revision is the container itself; ` +
            "use the real host (e.g. the Memorystore/Cloud SQL private IP) from a secret", env.node));
    }
    if (hasUrlPassword(value)) {
        findings.push(problem(`${where} carries a password in a plain value; move the whole URL to Secret Manager and use a secretKeyRef`, env.node));
    }
    const sslParam = cloudSqlSocketSslParam(value);
    if (sslParam !== undefined) {
        findings.push(problem(`${where} is a Cloud SQL unix-socket URL with ${sslParam}=, which the socket connection rejects; remove the ${sslParam} parameter`, env.node));
    }
    if (value.length > ENV_LIMITS.maxValueLength) {
        findings.push(problem(`${where}: value is ${value.length} characters, over Cloud Run's ${ENV_LIMITS.maxValueLength}`, env.node));
    }
    return findings;
}

export const cloudrunServiceEnv: PackResourcePolicy = {
    name: "cloudrun-service-env",
    description:
        "Stops env variables that break or leak a revision: reserved names (a service's PORT on the ingress container, K_*; a job's CLOUD_RUN_*), " +
        "credentials in plain values, Cloud SQL socket URLs with sslmode/ssl, and (team requirement, rejectLoopbackHosts) localhost in a single-container revision. " +
        "Remove reserved names, point at real hosts, and move credentials to Secret Manager.",
    enforcementLevel: "mandatory",
    severity: "critical",
    remediationSteps:
        `Remove ${RESERVED_ENV_NAMES.join(", ")} from a service's env (Cloud Run sets them; a sidecar may set PORT) and ${JOB_RESERVED_ENV_NAMES.join(", ")} from a job's. ` +
        "Replace localhost, 127.x.x.x and ::1 with the real address unless a sidecar serves it. " +
        "Put any URL with user:password@ and any *_PASSWORD/*_SECRET/*_TOKEN/*_KEY value in Secret Manager and reference it with " +
        "valueSource.secretKeyRef (v1: valueFrom.secretKeyRef). Drop sslmode/ssl from Cloud SQL /cloudsql/ socket URLs.",
    url: CLOUD_RUN_DOCS.containerContract,
    configSchema: config.schema,
    validateResource: validateWorkloads(ALL_WORKLOADS, (view, args) => {
        const cfg = config.read(args);
        const settings = {
            suffixes: cfg.credentialNameSuffixes.filter((s): s is string => typeof s === "string"),
            loopback: { reject: cfg.rejectLoopbackHosts, allowedNames: cfg.loopbackAllowedNames.filter((s): s is string => typeof s === "string") },
        };
        return checkEveryContainer(view, (container) => containerEnvFindings(view, container, settings));
    }),
};
