/**
 * Policy pack configuration as the Pulumi CLI handles it (`--policy-pack-config file.json`): parse the file's
 * format, start from each policy's defaults, apply the pack's initial config and then the user's, validate the
 * result against each policy's config schema, and hand the analyzer one entry per policy.
 * Mirrors pkg/resource/analyzer/config.go (ReconcilePolicyPackConfig), with two deliberate differences that turn
 * silent no-ops into errors: unknown policy names and properties a schema does not declare are rejected.
 */

export type EnforcementLevel = "advisory" | "mandatory" | "remediate" | "disabled";
export const ENFORCEMENT_LEVELS: readonly EnforcementLevel[] = ["advisory", "mandatory", "remediate", "disabled"];

/** The CLI's policy pack config file: `{"all": "advisory", "p": "disabled", "q": {"enforcementLevel": "mandatory", "k": 1}}`. */
export type PolicyPackConfig = Record<string, EnforcementLevel | ({ enforcementLevel?: EnforcementLevel } & Record<string, unknown>)>;

/** One policy's effective configuration, as sent in ConfigureAnalyzerRequest. */
export interface PolicyConfig {
    enforcementLevel: EnforcementLevel;
    properties: Record<string, unknown>;
}

/** A JSON schema, as policies declare them in configSchema.properties. */
export type JsonSchema = Record<string, unknown>;

/** The parts of GetAnalyzerInfo that reconciling needs. */
export interface ConfigurablePolicy {
    name: string;
    enforcementLevel: EnforcementLevel;
    configSchema?: { properties: Record<string, JsonSchema>; required: string[] };
}

/** Thrown when a config does not fit the pack; the message lists every problem. */
export class PolicyConfigError extends Error {
    constructor(readonly problems: string[]) {
        super(`invalid policy pack config:\n  ${problems.join("\n  ")}`);
        this.name = "PolicyConfigError";
    }
}

/** Everything the analyzer should be configured with, or a PolicyConfigError listing what is wrong. */
export function reconcilePolicyConfig(
    policies: readonly ConfigurablePolicy[],
    initialConfig: Record<string, Partial<PolicyConfig>>,
    userConfig: PolicyPackConfig,
): Record<string, PolicyConfig> {
    const given = parsePolicyPackConfig(userConfig);
    const known = new Set(policies.map((p) => p.name));
    const unknownNames = Object.keys(given).filter((name) => name !== "all" && !known.has(name));
    if (unknownNames.length > 0) {
        throw new PolicyConfigError(unknownNames.map((name) => `no policy named "${name}"; the pack has: ${[...known].sort().join(", ")}`));
    }
    let result = defaultConfig(policies);
    result = applyConfig(result, initialConfig);
    result = applyConfig(result, given);
    const problems = policies.flatMap((p) => configProblems(p, result[p.name].properties));
    if (problems.length > 0) {
        throw new PolicyConfigError(problems);
    }
    return result;
}

/** Splits the CLI format into enforcement levels and properties, validating the levels. */
function parsePolicyPackConfig(config: PolicyPackConfig): Record<string, Partial<PolicyConfig>> {
    const result: Record<string, Partial<PolicyConfig>> = {};
    const problems: string[] = [];
    for (const [name, value] of Object.entries(config)) {
        if (typeof value !== "string" && !isPlainObject(value)) {
            problems.push(`${name}: ${JSON.stringify(value)} is neither an enforcement level nor an object`);
            continue;
        }
        const { enforcementLevel, ...properties } = typeof value === "string" ? { enforcementLevel: value } : value;
        if (enforcementLevel !== undefined && !ENFORCEMENT_LEVELS.includes(enforcementLevel)) {
            problems.push(`${name}: enforcement level ${JSON.stringify(enforcementLevel)} is not one of ${ENFORCEMENT_LEVELS.join(", ")}`);
        }
        if (name === "all" && Object.keys(properties).length > 0) {
            problems.push(`all: only an enforcement level can be set for every policy, got ${Object.keys(properties).join(", ")}`);
        }
        result[name] = { enforcementLevel, properties };
    }
    if (problems.length > 0) {
        throw new PolicyConfigError(problems);
    }
    return result;
}

/** Each policy's own enforcement level plus the defaults its config schema declares. */
function defaultConfig(policies: readonly ConfigurablePolicy[]): Record<string, PolicyConfig> {
    const result: Record<string, PolicyConfig> = {};
    for (const policy of policies) {
        const properties: Record<string, unknown> = {};
        for (const [key, schema] of Object.entries(policy.configSchema?.properties ?? {})) {
            if ("default" in schema) {
                properties[key] = structuredClone(schema.default);
            }
        }
        result[policy.name] = { enforcementLevel: policy.enforcementLevel, properties };
    }
    return result;
}

/** Applies "all" first, then each named policy's level and properties over what is there. */
function applyConfig(base: Record<string, PolicyConfig>, config: Record<string, Partial<PolicyConfig>>): Record<string, PolicyConfig> {
    const result = { ...base };
    const all = config.all?.enforcementLevel;
    if (all) {
        for (const name of Object.keys(result)) {
            result[name] = { ...result[name], enforcementLevel: all };
        }
    }
    for (const [name, given] of Object.entries(config)) {
        if (name === "all" || !result[name]) {
            continue;
        }
        result[name] = {
            enforcementLevel: given.enforcementLevel ?? result[name].enforcementLevel,
            properties: { ...result[name].properties, ...given.properties },
        };
    }
    return result;
}

function configProblems(policy: ConfigurablePolicy, properties: Record<string, unknown>): string[] {
    const schema = policy.configSchema ?? { properties: {}, required: [] };
    const problems = schema.required
        .filter((key) => properties[key] === undefined)
        .map((key) => `${key} is required`);
    for (const [key, value] of Object.entries(properties)) {
        const propertySchema = schema.properties[key];
        if (!propertySchema) {
            const declared = Object.keys(schema.properties);
            problems.push(`${key} is not a config property of this policy` + (declared.length ? ` (it has: ${declared.join(", ")})` : " (it has none)"));
            continue;
        }
        problems.push(...schemaProblems(value, propertySchema, key));
    }
    return problems.map((problem) => `${policy.name}: ${problem}`);
}

/** The JSON-schema checks policy configs use in practice: type, enum, bounds, pattern, items and nested objects. */
function schemaProblems(value: unknown, schema: JsonSchema, path: string): string[] {
    const types = ([] as unknown[]).concat(schema.type ?? []) as string[];
    if (types.length > 0 && !types.some((type) => hasJsonType(value, type))) {
        return [`${path} must be ${types.join(" or ")}, got ${JSON.stringify(value)}`];
    }
    const problems: string[] = [];
    if (Array.isArray(schema.enum) && !schema.enum.some((allowed) => JSON.stringify(allowed) === JSON.stringify(value))) {
        problems.push(`${path} must be one of ${schema.enum.map((v) => JSON.stringify(v)).join(", ")}, got ${JSON.stringify(value)}`);
    }
    if (typeof value === "number") {
        problems.push(...boundProblems(value, schema, path));
    }
    if (typeof value === "string" && typeof schema.pattern === "string" && !new RegExp(schema.pattern, "u").test(value)) {
        problems.push(`${path} must match ${schema.pattern}, got ${JSON.stringify(value)}`);
    }
    if (Array.isArray(value) && isPlainObject(schema.items)) {
        const items = schema.items;
        value.forEach((item, index) => problems.push(...schemaProblems(item, items, `${path}[${index}]`)));
    }
    if (isPlainObject(value) && isPlainObject(schema.properties)) {
        const nested = schema.properties as Record<string, JsonSchema>;
        for (const key of (schema.required as string[] | undefined) ?? []) {
            if (value[key] === undefined) {
                problems.push(`${path}.${key} is required`);
            }
        }
        for (const [key, member] of Object.entries(value)) {
            if (nested[key]) {
                problems.push(...schemaProblems(member, nested[key], `${path}.${key}`));
            }
        }
    }
    return problems;
}

function boundProblems(value: number, schema: JsonSchema, path: string): string[] {
    const bounds: [keyof JsonSchema, string, (limit: number) => boolean][] = [
        ["minimum", "at least", (limit) => value >= limit],
        ["exclusiveMinimum", "greater than", (limit) => value > limit],
        ["maximum", "at most", (limit) => value <= limit],
        ["exclusiveMaximum", "less than", (limit) => value < limit],
    ];
    return bounds
        .filter(([keyword, , holds]) => typeof schema[keyword] === "number" && !holds(schema[keyword] as number))
        .map(([keyword, words]) => `${path} must be ${words} ${schema[keyword]}, got ${value}`);
}

function hasJsonType(value: unknown, type: string): boolean {
    switch (type) {
        case "array": return Array.isArray(value);
        case "object": return isPlainObject(value);
        case "integer": return Number.isInteger(value);
        case "null": return value === null;
        default: return typeof value === type;
    }
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
    return typeof value === "object" && value !== null && !Array.isArray(value);
}
