/**
 * One deserialized copy of each resource's properties per call, however many policies read it.
 *
 * @pulumi/policy's server (server.js) deserializes a resource's properties anew for every policy: AnalyzeStack
 * rebuilds the whole stack once per stack policy, Analyze the resource once per resource policy. Within one call
 * it reads the same protobuf Struct every time (google-protobuf keeps a message's fields as objects), so the result
 * is remembered per Struct: the second and later policies get the first copy, and the copy goes with the request.
 * Each policy still gets its own resource objects and proxy; only the property tree underneath is shared, and this
 * pack's policies only read it (props.ts; test/policies/shared-properties.test.ts checks that none changes it).
 */

type DeserializeProperties = (struct: unknown, proxySecrets: boolean) => unknown;

/** The SDK module the server calls through; its .d.ts hides the function (@internal), so it is typed here. */
interface PolicyDeserializeModule {
    deserializeProperties: DeserializeProperties;
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
