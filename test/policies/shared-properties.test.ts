/**
 * @pulumi/policy deserializes a resource's properties for every policy that reads them; the pack shares one copy
 * per call (policies/lib/shared-deserialization.ts), and the stack policies of one call share one stack and what is
 * computed from it (stack-graph.ts, stackResources), so adding a policy does not add a pass over the stack. Sharing
 * must not change a verdict: each stack policy run alone says the same as all of them in one call.
 */
import { expect } from "chai";
import { at, rootOf } from "../../policies/lib/props";
import { shareDeserializedProperties, shareUnknownCheckingProxies } from "../../policies/lib/shared-deserialization";
import { workloadView } from "../../policies/lib/workload";
import { asTestResources, damagedStack, realisticStack, secretHeavyStack } from "../helpers/generated-stacks";
import {
    Diagnostic, PackConfig, STACK_POLICIES, TestResource, analyzeResource, analyzeStack, countDeserializations, countProxies, goodV2Service, ofPolicy, previewStack,
    sharedPropertiesBeforeAndAfter, stagingStack, T,
} from "../helpers/policy-harness";

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

    it("wraps each shared copy in one unknown-checking proxy, for every policy of the call", async function () {
        const stack = stagingStack({ freshPreview: true });
        const { objects, mostPerObject } = await countProxies(() => analyzeStack(stack));
        expect(objects).to.be.at.least(stack.length);
        expect(mostPerObject).to.equal(1);
    });

    it("shares a proxy per property object only, passes other values through, and leaves an SDK without the function alone", function () {
        const made: unknown[] = [];
        const sdk = { unknownCheckingProxy: (props: unknown) => (made.push(props), typeof props === "object" ? { proxyOf: props } : props) };
        expect(shareUnknownCheckingProxies(sdk)).to.equal(true);
        expect(shareUnknownCheckingProxies(sdk)).to.equal(true); // idempotent: not wrapped twice
        const [a, b] = [{}, {}];
        expect(sdk.unknownCheckingProxy(a)).to.equal(sdk.unknownCheckingProxy(a));
        expect(sdk.unknownCheckingProxy(b)).to.not.equal(sdk.unknownCheckingProxy(a));
        expect(sdk.unknownCheckingProxy("text")).to.equal("text");
        expect(made).to.deep.equal([a, b, "text"]);
        expect(shareUnknownCheckingProxies({} as never)).to.equal(false);
    });

    it("is safe: no policy changes the properties it shares with the others (a whole preview, clean and damaged)", async function () {
        const stacks = [stagingStack(), stagingStack({ freshPreview: true }), asTestResources(damagedStack(realisticStack(300, 4), 6, 0.2))];
        const bags = await sharedPropertiesBeforeAndAfter(async () => {
            for (const stack of stacks) {
                await previewStack(stack);
            }
        });
        expect(bags.length).to.be.greaterThan(stacks.reduce((n, s) => n + s.length, 0));
        expect(bags.filter(({ before, after }) => before !== after)).to.deep.equal([]);
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

describe("one workload view per property bag", function () {
    it("is built once for the policies reading the same properties, and anew for other properties, types or places", function () {
        const props = goodV2Service();
        const view = workloadView(T.v2Service, rootOf(props));
        expect(view).to.not.equal(undefined);
        expect(workloadView(T.v2Service, rootOf(props))).to.equal(view);
        expect(workloadView(T.v2Service, rootOf(goodV2Service()))).to.not.equal(view);
        expect(workloadView(T.v2Job, rootOf(props))).to.not.equal(view);
        const nested = { inner: props };
        const below = workloadView(T.v2Service, at(rootOf(nested), "inner"));
        expect(below).to.not.equal(view);
        expect(below?.serviceAccount.path).to.deep.equal(["inner", "template", "serviceAccount"]);
    });
});

describe("one stack per AnalyzeStack call, shared by its stack policies", function () {
    const verdicts = (ds: readonly Diagnostic[]) => ds.map((d) => `${d.policyName} ${d.enforcementLevel} ${d.urn} ${d.message}`);
    const alone = (policy: string): PackConfig => Object.fromEntries(STACK_POLICIES.map((p) => [p, p === policy ? {} : "disabled"]));

    const generated: [string, TestResource[]][] = [
        ["realistic, 10% damaged", asTestResources(damagedStack(realisticStack(600, 3), 1, 0.1))],
        ["realistic, 25% damaged", asTestResources(damagedStack(realisticStack(400, 5), 2, 0.25))],
        ["secret-heavy, 15% damaged", asTestResources(damagedStack(secretHeavyStack(12, 3, 150), 3, 0.15))],
    ];
    for (const [label, stack] of generated) {
        it(`gives each stack policy's verdicts as that policy alone does: ${label} (${stack.length} resources)`, async function () {
            const together = await analyzeStack(stack);
            let compared = 0;
            for (const policy of STACK_POLICIES) {
                const found = ofPolicy(together, policy);
                // The generator damages secrets, grants and connectors; not every stack policy has something to say.
                compared += found.length > 0 ? 1 : 0;
                expect(verdicts(found), policy).to.deep.equal(verdicts(ofPolicy(await analyzeStack(stack, alone(policy)), policy)));
            }
            expect(compared, "stack policies with verdicts to compare").to.be.at.least(3);
        });
    }

    it("does not serve a later call with the same resources from an earlier one", async function () {
        const clean = stagingStack();
        const renamed = stagingStack({ service: (p) => { p.template.containers[0].envs[0].valueSource.secretKeyRef.secret = "backend-not-created"; } });
        expect(renamed.map((r) => r.urn ?? r.name)).to.deep.equal(clean.map((r) => r.urn ?? r.name));
        const unresolved = async (stack: TestResource[]) => ofPolicy(await analyzeStack(stack), "cloudrun-secret-refs-resolve").length;
        expect(await unresolved(clean)).to.equal(0);
        expect(await unresolved(renamed)).to.equal(1);
        expect(await unresolved(clean)).to.equal(0);
    });
});
