/**
 * Safe reading of resource properties as @pulumi/policy delivers them.
 *
 * The server wraps every property bag in `unknownCheckingProxy`: touching a value that is unknown during
 * preview throws, and a resource policy that throws is reported as "can't run" (a stack policy is skipped
 * whole). Policies here never touch the proxy. They unwrap it once (`rootOf`) and walk the raw tree with
 * type-checked accessors that return `undefined` for anything unexpected (missing, null, wrong type), and
 * test unknowns explicitly (`isUnknown`). The only exception a policy may raise is the package's own
 * UnknownValueError, on purpose, through `unknownValueError`.
 */

/**
 * Runtime exports of @pulumi/policy/proxy. Its .d.ts hides them (@internal), but the server's
 * `instanceof UnknownValueError` check needs this exact class, so it is required from the same module.
 */
interface PolicyProxyModule {
    UnknownValueError: new (unknownTypeSentinel: string, props: string[]) => Error;
    getSpecialProxyTarget: string;
    isSpecialProxy: string;
    unknownBooleanValue: string;
    unknownNumberValue: string;
    unknownStringValue: string;
    unknownArrayValue: string;
    unknownAssetValue: string;
    unknownArchiveValue: string;
    unknownObjectValue: string;
}
const policyProxy: PolicyProxyModule = require("@pulumi/policy/proxy");

/** The sentinels the engine puts where a value is not known yet, by the type the value will have. */
export const UNKNOWN_SENTINELS = {
    boolean: policyProxy.unknownBooleanValue,
    number: policyProxy.unknownNumberValue,
    string: policyProxy.unknownStringValue,
    array: policyProxy.unknownArrayValue,
    asset: policyProxy.unknownAssetValue,
    archive: policyProxy.unknownArchiveValue,
    object: policyProxy.unknownObjectValue,
} as const;

const SENTINEL_SET: ReadonlySet<unknown> = new Set(Object.values(UNKNOWN_SENTINELS));

/** A position in a raw property tree: the value found there and the path that led to it. */
export interface PropNode {
    readonly value: unknown;
    readonly path: readonly string[];
}

/**
 * A node whose path is built only when something asks for it (a message, an unknown-value advisory): walking a
 * large stack allocates no path arrays.
 */
class Node implements PropNode {
    private cachedPath?: readonly string[];

    constructor(readonly value: unknown, readonly parentNode: PropNode | undefined, readonly key: string) {}

    get path(): readonly string[] {
        this.cachedPath ??= this.parentNode === undefined ? [] : [...this.parentNode.path, this.key];
        return this.cachedPath;
    }
}

/** The node for `key` under `parent`, holding `value`. */
export function childNode(parent: PropNode, key: string | number, value: unknown): PropNode {
    return new Node(value, parent, String(key));
}

/** Another value at the same place (e.g. "absent" where a zero value stood). */
export function withValue(node: PropNode, value: unknown): PropNode {
    return node instanceof Node ? new Node(value, node.parentNode, node.key) : { value, path: node.path };
}

/** The raw tree behind a property bag, whether or not it is wrapped in the policy proxy. */
export function rootOf(props: unknown): PropNode {
    return new Node(unwrapProxy(props), undefined, "");
}

/** The raw value behind a property bag, whether or not it is wrapped in the policy proxy. */
export function unwrapProxy(props: unknown): unknown {
    if (typeof props !== "object" || props === null) {
        return props;
    }
    // Reading these two keys never throws: the proxy answers them before its unknown check.
    const bag = props as Record<string, unknown>;
    return bag[policyProxy.isSpecialProxy] === true ? bag[policyProxy.getSpecialProxyTarget] : props;
}

/** True when the value is one of the engine's "not known during preview" sentinels. */
export function isUnknownValue(value: unknown): boolean {
    return SENTINEL_SET.has(value);
}

/** True when the node holds a value that is set but not known during preview. */
export function isUnknown(node: PropNode): boolean {
    return isUnknownValue(node.value);
}

/**
 * True when the value at `key` is itself unknown. `at` stops at the first unknown on its way, so a field under an
 * object or list that is unknown as a whole reads as that unknown container; this tells the two apart.
 */
export function isUnknownLeaf(node: PropNode, key: string): boolean {
    return isUnknown(node) && node.path[node.path.length - 1] === key;
}

/** True when nothing is set there (undefined or null). */
export function isAbsent(node: PropNode): boolean {
    return node.value === undefined || node.value === null;
}

/** True when something is set there, known or not. */
export function isPresent(node: PropNode): boolean {
    return !isAbsent(node);
}

/**
 * Walks down by keys and indexes. Stops at the first unknown (the result is that unknown node, so callers
 * see the unknown rather than a missing value) and yields an absent node past anything that is not a
 * container.
 */
export function at(node: PropNode, ...keys: (string | number)[]): PropNode {
    let current = node;
    for (const key of keys) {
        if (isUnknown(current)) {
            return current;
        }
        const container = current.value;
        if (typeof key === "number") {
            current = childNode(current, key, Array.isArray(container) ? container[key] : undefined);
        } else if (isPlainObject(container) && Object.prototype.hasOwnProperty.call(container, key)) {
            current = childNode(current, key, container[key]);
        } else {
            current = childNode(current, key, undefined);
        }
    }
    return current;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
    return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** The object there, or undefined (absent, unknown, array or scalar). */
export function asObject(node: PropNode): Record<string, unknown> | undefined {
    return isPlainObject(node.value) ? node.value : undefined;
}

/** The child nodes of the array there, or undefined when it is not a (known) array. */
export function asList(node: PropNode): PropNode[] | undefined {
    const value = node.value;
    return Array.isArray(value) ? value.map((item, i) => childNode(node, i, item)) : undefined;
}

/** The entries of the object there as child nodes; empty when it is not an object. */
export function entriesOf(node: PropNode): [string, PropNode][] {
    const object = asObject(node);
    return object ? Object.keys(object).map((key) => [key, childNode(node, key, object[key])]) : [];
}

/** The known string there, or undefined (absent, unknown or another type). */
export function asString(node: PropNode): string | undefined {
    return typeof node.value === "string" && !isUnknown(node) ? node.value : undefined;
}

/** The finite number there, or undefined. */
export function asNumber(node: PropNode): number | undefined {
    return typeof node.value === "number" && Number.isFinite(node.value) ? node.value : undefined;
}

/** The boolean there, or undefined. */
export function asBoolean(node: PropNode): boolean | undefined {
    return typeof node.value === "boolean" ? node.value : undefined;
}

/** The first unknown anywhere under the node (itself included), depth first. */
export function firstUnknownWithin(node: PropNode): PropNode | undefined {
    if (isUnknown(node)) {
        return node;
    }
    const children = asList(node) ?? entriesOf(node).map(([, child]) => child);
    for (const child of children) {
        const found = firstUnknownWithin(child);
        if (found) {
            return found;
        }
    }
    return undefined;
}

/**
 * The package's own UnknownValueError for an unknown node: thrown on purpose by a resource policy that
 * cannot decide, so the engine shows its standard "can't run during preview" advisory.
 */
export function unknownValueError(node: PropNode): Error {
    const sentinel = isUnknown(node) ? (node.value as string) : UNKNOWN_SENTINELS.object;
    return new policyProxy.UnknownValueError(sentinel, [...node.path]);
}

/** A readable path for messages, e.g. "template.containers[0].image". */
export function pathText(node: PropNode): string {
    return node.path.reduce((text, key) => (/^\d+$/.test(key) ? `${text}[${key}]` : text ? `${text}.${key}` : key), "");
}

/**
 * Engine outputs carry zero values for unset fields (0, "", an object of zero values, an empty list): those
 * read as absent, as the API itself reads them.
 */
export function zeroAsAbsent(node: PropNode): PropNode {
    return isZeroValue(node.value) ? withValue(node, undefined) : node;
}

function isZeroValue(value: unknown): boolean {
    if (value === 0 || value === "" || value === null) {
        return true;
    }
    if (Array.isArray(value)) {
        return value.length === 0;
    }
    if (typeof value === "object") {
        return Object.entries(value as Record<string, unknown>).every(([key, v]) => key === "__defaults" || v === undefined || isZeroValue(v));
    }
    return false;
}
