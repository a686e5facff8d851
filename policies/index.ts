/**
 * CrossGuard pack that stops Cloud Run revisions which would fail at apply or at startup. Loads only
 * @pulumi/policy, Node's built-ins and this pack's own modules (no provider SDK), and leaves the SDK's closure
 * serializer unloaded, so it starts faster than an empty pack that loads it.
 */
// First: the SDK that @pulumi/policy loads then leaves its closure serializer unloaded until called (see the module).
import "./lib/defer-closure-serializer";
import { servePolicyPack } from "./lib/one-stack-pass";
import { shareDeserializedProperties, shareUnknownCheckingProxies } from "./lib/shared-deserialization";
import { ALL_POLICIES, PACK_NAME } from "./rules";

// Before the server runs: every policy of a call reads one copy of the properties, through one proxy (see the module).
shareDeserializedProperties();
shareUnknownCheckingProxies();

// AnalyzeStack runs the stack policies in one pass over one set of resource objects (see the module).
servePolicyPack(PACK_NAME, {
    description: "Stops Cloud Run revisions that would fail at apply or at startup (resources, probes, secrets, identity, VPC).",
    enforcementLevel: "mandatory",
    policies: [...ALL_POLICIES],
});
