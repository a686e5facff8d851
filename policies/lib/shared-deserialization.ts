/**
 * One deserialized copy of each resource's properties per call, however many policies read it.
 *
 * @pulumi/policy's server (server.js) deserializes a resource's properties anew for every policy: Analyze the
 * resource once per resource policy, AnalyzeStack the whole stack once per stack policy (the pack runs its stack
 * policies in one pass, one-stack-pass.ts, so that happens when the SDK's own handler serves). Within one call
 * it reads the same protobuf Struct every time (google-protobuf keeps a message's fields as objects), so the result
 * is remembered per Struct: the second and later policies get the first copy, and the copy goes with the request.
 * The unknown-checking proxy the server wraps around that copy holds nothing but its target, so it is shared the
 * same way (one per copy). Each policy still gets its own resource objects; only the properties underneath are
 * shared, and this pack's policies only read them (props.ts; test/policies/shared-properties.test.ts checks that
 * none changes them).
 */

type DeserializeProperties = (struct: unknown, proxySecrets: boolean) => unknown;

/** The SDK module the server calls through; its .d.ts hides the function (@internal), so it is typed here. */
interface PolicyDeserializeModule {
    deserializeProperties: DeserializeProperties;
}

type UnknownCheckingProxy = (props: unknown) => unknown;

/** The SDK's proxy module (proxy.js, @internal as well). */
interface PolicyProxyModule {
    unknownCheckingProxy: UnknownCheckingProxy;
}

const SHARED = Symbol.for("cloud-run-guardrails.shared-deserialization");

type Shareable = ((first: never, ...rest: never[]) => unknown) & { [SHARED]?: true };

/**
 * Replaces `holder[name]` with a function that remembers the original's result per first argument (an object) for
 * the calls `shares` allows, and passes every other call through. False, changing nothing, when the function is
 * gone (a test fails then, so a slower SDK layout is noticed); idempotent.
 */
function rememberPerObject<K extends string>(holder: Record<K, Shareable>, name: K, shares: (...args: unknown[]) => boolean): boolean {
    const original = holder[name] as Shareable;
    if (typeof original !== "function") {
        return false;
    }
    if (original[SHARED]) {
        return true;
    }
    const results = new WeakMap<object, unknown>();
    const call = original as (...args: unknown[]) => unknown;
    const shared = ((...args: unknown[]) => {
        const key = args[0];
        if (typeof key !== "object" || key === null || !shares(...args)) {
            return call(...args);
        }
        let result = results.get(key);
        if (result === undefined) {
            result = call(...args);
            results.set(key, result);
        }
        return result;
    }) as Shareable;
    shared[SHARED] = true;
    holder[name] = shared;
    return true;
}

/** Makes the server's deserializeProperties remember its result per Struct. */
export function shareDeserializedProperties(
    deserializeModule: PolicyDeserializeModule = require("@pulumi/policy/deserialize"),
): boolean {
    // With proxySecrets (Remediate) each remediation may return changed properties: never shared.
    return rememberPerObject(deserializeModule as unknown as Record<"deserializeProperties", Shareable>, "deserializeProperties", (_struct, proxySecrets) => !proxySecrets);
}

/**
 * Makes the server's unknownCheckingProxy return one proxy per property object. The proxy keeps no state besides
 * its target (proxy.js builds each nested proxy anew on access), so two policies holding the same one see exactly
 * what two proxies would show them.
 */
export function shareUnknownCheckingProxies(
    proxyModule: PolicyProxyModule = require("@pulumi/policy/proxy"),
): boolean {
    return rememberPerObject(proxyModule as unknown as Record<"unknownCheckingProxy", Shareable>, "unknownCheckingProxy", () => true);
}
