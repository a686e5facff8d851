/**
 * Policy configuration: one declaration gives both the JSON `configSchema` the engine validates against
 * (defaults included) and the reader the policy uses.
 *
 * The engine validates a config file against the schema before the program runs, so the schemas say
 * everything a value must be (bounds, patterns). The reader still checks what it uses, because not every
 * runner validates: a value that breaks the schema is an error naming the policy and the key, never silently
 * replaced by the default (a floor of "0" would otherwise turn into the default "2Gi" without a word).
 */
import { PolicyConfigSchema } from "@pulumi/policy";
import { PolicyConfigJSONSchema } from "@pulumi/policy/schema";

type ConfigValue = number | string | boolean | readonly unknown[] | Readonly<Record<string, unknown>>;

/** A config property: its JSON schema, with a required default. */
export type ConfigProperty<T extends ConfigValue> = PolicyConfigJSONSchema & { default: T; description: string };

export interface PolicyConfig<T extends Record<string, ConfigValue>> {
    readonly schema: PolicyConfigSchema;
    readonly defaults: Readonly<T>;
    /** The effective config: defaults overridden by configured values; throws PolicyConfigValueError on a bad value. */
    read(args: { getConfig<C extends object>(): C }): T;
}

/**
 * A string that must match `pattern`, with what that means in words as the schema's description: the engine's
 * error shows only the regex, the offline check and `read` show the words ("a secret id such as \"db-url\"").
 */
export function patternedString(pattern: string, words: string): PolicyConfigJSONSchema {
    return { type: "string", pattern, description: words };
}

/** A configured value the policy cannot use. Thrown, so the run fails instead of checking with a default. */
export class PolicyConfigValueError extends Error {
    constructor(policy: string, problems: readonly string[]) {
        super(`invalid policy config for ${policy}: ${problems.join("; ")}`);
        this.name = "PolicyConfigValueError";
    }
}

/**
 * `policy`: the policy's name, for errors. `semanticProblems`: checks a schema cannot express (e.g. a memory
 * quantity that parses), as "key: what is wrong".
 */
export function definePolicyConfig<T extends Record<string, ConfigValue>>(
    policy: string,
    properties: { [K in keyof T]: ConfigProperty<T[K]> },
    semanticProblems: (config: T) => string[] = () => [],
): PolicyConfig<T> {
    const defaults = {} as T;
    for (const key of Object.keys(properties) as (keyof T)[]) {
        defaults[key] = properties[key].default;
    }
    return {
        schema: { properties },
        defaults,
        read(args) {
            const given = args.getConfig<Record<string, unknown>>();
            const result = { ...defaults };
            const problems: string[] = [];
            for (const key of Object.keys(defaults) as (keyof T & string)[]) {
                if (given[key] === undefined) {
                    continue;
                }
                const wrong = valueProblems(given[key], properties[key], key);
                if (wrong.length > 0) {
                    problems.push(...wrong);
                } else {
                    result[key] = given[key] as T[typeof key];
                }
            }
            problems.push(...(problems.length === 0 ? semanticProblems(result) : []));
            if (problems.length > 0) {
                throw new PolicyConfigValueError(policy, problems);
            }
            return result;
        },
    };
}

/** The schema keywords these policies use: type, bounds, pattern, minLength, enum, items, uniqueItems, properties, additionalProperties. Messages name the key, never the value. */
function valueProblems(value: unknown, schema: PolicyConfigJSONSchema, key: string): string[] {
    const type = schema.type;
    if (typeof type === "string" && !hasJsonType(value, type)) {
        return [`${key} must be ${type === "integer" ? "an integer" : `a${type === "array" || type === "object" ? "n" : ""} ${type}`}`];
    }
    const problems: string[] = [];
    if (typeof value === "number") {
        if (schema.minimum !== undefined && value < schema.minimum) problems.push(`${key} must be at least ${schema.minimum}`);
        if (schema.maximum !== undefined && value > schema.maximum) problems.push(`${key} must be at most ${schema.maximum}`);
        if (schema.exclusiveMinimum !== undefined && value <= schema.exclusiveMinimum) problems.push(`${key} must be greater than ${schema.exclusiveMinimum}`);
    }
    if (typeof value === "string") {
        if (schema.minLength !== undefined && value.length < schema.minLength) problems.push(`${key} must be at least ${schema.minLength} characters`);
        if (schema.pattern !== undefined && !new RegExp(schema.pattern, "u").test(value)) problems.push(`${key} is not in the form the schema describes (${schema.description ?? schema.pattern})`);
    }
    if (schema.enum && !schema.enum.some((e) => JSON.stringify(e) === JSON.stringify(value))) {
        problems.push(`${key} must be one of ${schema.enum.map((e) => JSON.stringify(e)).join(", ")}`);
    }
    if (Array.isArray(value) && schema.uniqueItems && new Set(value.map((item) => JSON.stringify(item))).size !== value.length) {
        problems.push(`${key} must not repeat an item`);
    }
    if (Array.isArray(value) && schema.items !== undefined && typeof schema.items === "object" && !Array.isArray(schema.items)) {
        const items = schema.items;
        value.forEach((item, i) => problems.push(...valueProblems(item, items, `${key}[${i}]`)));
    }
    if (typeof value === "object" && value !== null && !Array.isArray(value)) {
        const object = value as Record<string, unknown>;
        for (const required of schema.required ?? []) {
            if (object[required] === undefined) problems.push(`${key}.${required} is required`);
        }
        for (const [member, item] of Object.entries(object)) {
            const memberSchema = schema.properties?.[member] ?? schema.additionalProperties;
            if (memberSchema !== undefined && typeof memberSchema === "object") {
                problems.push(...valueProblems(item, memberSchema, `${key}.${member}`));
            } else if (memberSchema === false) {
                problems.push(`${key}.${member} is not a known key`);
            }
        }
    }
    return problems;
}

function hasJsonType(value: unknown, type: string): boolean {
    switch (type) {
        case "integer":
            return Number.isInteger(value);
        case "number":
            return typeof value === "number" && Number.isFinite(value);
        case "array":
            return Array.isArray(value);
        case "object":
            return typeof value === "object" && value !== null && !Array.isArray(value);
        default:
            return typeof value === type;
    }
}
