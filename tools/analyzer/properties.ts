/**
 * Resource properties as the engine puts them on the wire to an analyzer: a google.protobuf.Struct in which
 * unknowns are sentinel strings and secrets are signature objects (MarshalProperties with KeepUnknowns and
 * KeepSecrets, without KeepResources or KeepOutputValues).
 */
import { Struct } from "google-protobuf/google/protobuf/struct_pb";

/** The key that marks a special value (secret, asset, resource reference, output value). */
export const SIG_KEY = "4dabf18193072939515e22adb298388d";

/** Signatures the engine and the SDK use; see @pulumi/pulumi/runtime/rpc. */
export const SIGNATURES = {
    secret: "1b47061264138c4ac30d75fd1eb44270",
    asset: "c44067f5952c0a294b673a41bacd8c17",
    archive: "0def7320c3a5731c473e5ecbe6d01bc7",
    resourceReference: "5cf8f73096256a8f31e491e813e4eb8e",
    outputValue: "d0e6a833031e9bbcd3f4e8bde6ca49a4",
} as const;

/**
 * Sentinels for values not known during preview, as @pulumi/policy's proxy recognises them. The engine sends
 * every unknown as UNKNOWN (the string sentinel); the others exist for completeness.
 */
export const UNKNOWN_SENTINELS = {
    string: "04da6b54-80e4-46f7-96ec-b56ff0331ba9",
    boolean: "1c4a061d-8072-4f0a-a4cb-0ff528b18fe7",
    number: "3eeb2bf0-c639-47a8-9e75-3b44932eb421",
    array: "6a19a0b0-7e62-4c92-b797-7f8e31da9cc2",
    asset: "030794c1-ac77-496b-92df-f27374a8bd58",
    archive: "e48ece36-62e2-4504-bad9-02848725956a",
    object: "dd056dcd-154b-4c76-9bd3-c8f88648b5ff",
} as const;

/** What the engine sends for any value that is unknown during preview. */
export const UNKNOWN = UNKNOWN_SENTINELS.string;

/** A JSON-like property value; secrets and other special values are objects carrying SIG_KEY. */
export type PropertyValue = null | boolean | number | string | PropertyValue[] | { [key: string]: PropertyValue | undefined };

/** A resource's properties as plain JavaScript. `undefined` members are dropped, as the SDK drops them. */
export type PropertyMap = { [key: string]: PropertyValue | undefined };

/** Wraps a value as a secret, the way the engine marshals it with KeepSecrets. */
export function secret(value: PropertyValue): PropertyMap {
    return { [SIG_KEY]: SIGNATURES.secret, value };
}

/** `value` with every secret object (arrays and objects walked) replaced by `onSecret(secret)`. */
export function mapSecrets(value: unknown, onSecret: (secretObject: Record<string, unknown>) => unknown): unknown {
    if (Array.isArray(value)) {
        return value.map((item) => mapSecrets(item, onSecret));
    }
    if (typeof value === "object" && value !== null) {
        const object = value as Record<string, unknown>;
        if (object[SIG_KEY] === SIGNATURES.secret) {
            return onSecret(object);
        }
        return Object.fromEntries(Object.entries(object).map(([k, v]) => [k, mapSecrets(v, onSecret)]));
    }
    return value;
}

/**
 * Converts plain properties to the Struct the engine sends; an existing Struct passes through untouched. A Struct
 * made by another copy of google-protobuf (the policy pack has its own) is re-read from its bytes, exactly.
 */
export function toStruct(properties: PropertyMap | Struct): Struct {
    if (properties instanceof Struct) {
        return properties;
    }
    if (isForeignStruct(properties)) {
        return Struct.deserializeBinary(properties.serializeBinary());
    }
    // Internal keys ("__defaults", "__meta") are skipped at the top level only (MarshalProperties' SkipInternalKeys).
    const visible = Object.fromEntries(Object.entries(properties).filter(([key]) => !key.startsWith("__")));
    return Struct.fromJavaScript(normaliseObject(visible) as Record<string, PropertyValue>);
}

function isForeignStruct(value: unknown): value is Struct {
    const candidate = value as Partial<Struct> | null;
    return typeof candidate?.serializeBinary === "function" && typeof candidate?.getFieldsMap === "function";
}

/**
 * Prepares one value for the wire the way the engine's marshaller does: drops undefined, and flattens the two
 * special values an analyzer never receives (the policy SDK rejects them): resource references become the
 * resource's id (its URN for components, UNKNOWN while the id is unknown) and output values become their value
 * (UNKNOWN when unknown, wrapped as a secret when secret). Secrets, assets and archives pass through.
 */
function normaliseValue(value: unknown): PropertyValue | undefined {
    if (value === undefined || value === null || typeof value !== "object") {
        return value as PropertyValue | undefined;
    }
    if (Array.isArray(value)) {
        // The engine has no "undefined" element; an absent element is null.
        return value.map((element) => normaliseValue(element) ?? null);
    }
    const object = value as Record<string, unknown>;
    switch (object[SIG_KEY]) {
        case SIGNATURES.resourceReference:
            return resourceReferenceValue(object);
        case SIGNATURES.outputValue:
            return outputValue(object);
        default:
            return normaliseObject(object);
    }
}

function normaliseObject(object: Record<string, unknown>): PropertyMap {
    const result: PropertyMap = {};
    for (const [key, member] of Object.entries(object)) {
        const normalised = normaliseValue(member);
        if (normalised !== undefined) {
            result[key] = normalised;
        }
    }
    return result;
}

function resourceReferenceValue(reference: Record<string, unknown>): PropertyValue {
    if (!("id" in reference)) {
        return String(reference.urn);
    }
    const id = normaliseValue(reference.id);
    return typeof id === "string" && id !== "" ? id : UNKNOWN;
}

function outputValue(output: Record<string, unknown>): PropertyValue {
    const value = "value" in output ? normaliseValue(output.value) ?? null : UNKNOWN;
    return output.secret === true ? secret(value) : value;
}
