/**
 * @pulumi/policy deserializes a resource's properties for every policy that reads them; the pack shares one copy
 * per call (policies/lib/shared-deserialization.ts), so adding a policy does not add a pass over the stack.
 */
import { expect } from "chai";
import { shareDeserializedProperties } from "../../policies/lib/shared-deserialization";
import { STACK_POLICIES, analyzeResource, analyzeStack, countDeserializations, goodV2Service, stagingStack, T } from "../helpers/policy-harness";

describe("shared deserialization", function () {
    it("deserializes each resource once per AnalyzeStack call, however many stack policies read it", async function () {
        expect(STACK_POLICIES.length).to.be.greaterThan(1);
        const stack = stagingStack();
        const { bags, mostPerBag } = await countDeserializations(() => analyzeStack(stack));
        expect(bags).to.be.at.least(stack.length);
        expect(mostPerBag).to.equal(1);
    });

    it("deserializes a resource once per Analyze call, however many resource policies read it", async function () {
        const { bags, mostPerBag } = await countDeserializations(() => analyzeResource({ type: T.v2Service, name: "backend", props: goodV2Service() }));
        expect(bags).to.be.greaterThan(0);
        expect(mostPerBag).to.equal(1);
    });

    it("shares per property bag, not for Remediate (proxySecrets), and leaves an SDK without the function alone", function () {
        const calls: [unknown, boolean][] = [];
        const sdk = { deserializeProperties: (struct: unknown, proxySecrets: boolean) => (calls.push([struct, proxySecrets]), { copy: calls.length }) };
        expect(shareDeserializedProperties(sdk)).to.equal(true);
        expect(shareDeserializedProperties(sdk)).to.equal(true); // idempotent: not wrapped twice
        const [a, b] = [{}, {}];
        expect(sdk.deserializeProperties(a, false)).to.equal(sdk.deserializeProperties(a, false));
        expect(sdk.deserializeProperties(b, false)).to.not.equal(sdk.deserializeProperties(a, false));
        expect(sdk.deserializeProperties(a, true)).to.not.equal(sdk.deserializeProperties(a, true));
        expect(calls).to.deep.equal([[a, false], [b, false], [a, true], [a, true]]);
        expect(shareDeserializedProperties({} as never)).to.equal(false);
    });
});
