/**
 * Policy configuration: one declaration gives both the JSON `configSchema` the CLI validates against
 * (defaults included) and the reader the policy uses.
 *
 * The reader merges `{...defaults, ...args.getConfig()}` itself because not every runner applies schema
 * defaults (our offline runner does not), and it keeps a default wherever a configured value has the
 * wrong JSON type, so a bad config can never make a policy throw.
 */
import { PolicyConfigSchema } from "@pulumi/policy";
import { PolicyConfigJSONSchema } from "@pulumi/policy/schema";

type ConfigValue = number | string | boolean | readonly unknown[];

/** A config property: its JSON schema, with a required default. */
export type ConfigProperty<T extends ConfigValue> = PolicyConfigJSONSchema & { default: T; description: string };

export interface PolicyConfig<T extends Record<string, ConfigValue>> {
    readonly schema: PolicyConfigSchema;
    readonly defaults: Readonly<T>;
    /** The effective config: defaults, overridden by configured values of the same JSON type. */
    read(args: { getConfig<C extends object>(): C }): T;
}

export function definePolicyConfig<T extends Record<string, ConfigValue>>(
    properties: { [K in keyof T]: ConfigProperty<T[K]> },
): PolicyConfig<T> {
    const defaults = {} as T;
    for (const key of Object.keys(properties) as (keyof T)[]) {
        defaults[key] = properties[key].default;
    }
    return {
        schema: { properties },
        defaults,
        read(args) {
            const merged: Record<string, unknown> = { ...defaults, ...args.getConfig<Record<string, unknown>>() };
            const result = { ...defaults };
            for (const key of Object.keys(defaults) as (keyof T & string)[]) {
                if (sameJsonType(merged[key], defaults[key])) {
                    result[key] = merged[key] as T[typeof key];
                }
            }
            return result;
        },
    };
}

function sameJsonType(value: unknown, reference: unknown): boolean {
    if (Array.isArray(reference)) {
        return Array.isArray(value);
    }
    return typeof value === typeof reference && (typeof value !== "number" || Number.isFinite(value));
}
