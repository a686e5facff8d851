/**
 * One deserialized copy of each resource's properties per call, however many policies read it.
 *
 * @pulumi/policy's server (server.js) deserializes a resource's properties anew for every policy: AnalyzeStack
 * rebuilds the whole stack once per stack policy, Analyze the resource once per resource policy. Within one call
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

/**
 * Makes the server's deserializeProperties remember its result per Struct. Returns false, changing nothing, when
 * the SDK no longer has that function (a test fails then, so a slower SDK layout is noticed). Idempotent.
 */
export function shareDeserializedProperties(
    deserializeModule: PolicyDeserializeModule = require("@pulumi/policy/deserialize"),
): boolean {
    const original = deserializeModule.deserializeProperties as DeserializeProperties & { [SHARED]?: true };
    if (typeof original !== "function") {
        return false;
    }
    if (original[SHARED]) {
        return true;
    }
    const copies = new WeakMap<object, unknown>();
    const shared: DeserializeProperties & { [SHARED]?: true } = (struct, proxySecrets) => {
        // With proxySecrets (Remediate) each remediation may return changed properties: never shared.
        if (proxySecrets || typeof struct !== "object" || struct === null) {
            return original(struct, proxySecrets);
        }
        let props = copies.get(struct);
        if (props === undefined) {
            props = original(struct, proxySecrets);
            copies.set(struct, props);
        }
        return props;
    };
    shared[SHARED] = true;
    deserializeModule.deserializeProperties = shared;
    return true;
}

/**
 * Makes the server's unknownCheckingProxy return one proxy per property object. The proxy keeps no state besides
 * its target (proxy.js builds each nested proxy anew on access), so two policies holding the same one see exactly
 * what two proxies would show them. Returns false, changing nothing, when the SDK no longer has the function.
 */
export function shareUnknownCheckingProxies(
    proxyModule: PolicyProxyModule = require("@pulumi/policy/proxy"),
): boolean {
    const original = proxyModule.unknownCheckingProxy as UnknownCheckingProxy & { [SHARED]?: true };
    if (typeof original !== "function") {
        return false;
    }
    if (original[SHARED]) {
        return true;
    }
    const proxies = new WeakMap<object, unknown>();
    const shared: UnknownCheckingProxy & { [SHARED]?: true } = (props) => {
        if (typeof props !== "object" || props === null) {
            return original(props);
        }
        let proxy = proxies.get(props);
        if (proxy === undefined) {
            proxy = original(props);
            proxies.set(props, proxy);
        }
        return proxy;
    };
    shared[SHARED] = true;
    proxyModule.unknownCheckingProxy = shared;
    return true;
}
