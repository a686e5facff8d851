/**
 * Every violation about one field leads with that field's property path (`at <path>: `), so the offline
 * check can map it to the stack config key that set it (issue 11, problem 1).
 */
import { expect } from "chai";
import { T, Tree, analyzeResource, analyzeStack, checkV2Service, goodV1Service, goodV2Service, ofPolicy, stagingStack } from "../helpers/policy-harness";

const pathsOf = (found: { propertyPath?: string }[]) => found.map((d) => d.propertyPath);

describe("violation property paths", function () {
    it("names the limit, timeout, scaling, probe, env and VPC fields of a v2 service", async function () {
        const cases: [string, (p: Tree) => void, string][] = [
            ["cloudrun-service-resource-floor", (p) => { p.template.containers[0].resources.limits.cpu = "1"; }, "template.containers[0].resources.limits.cpu"],
            ["cloudrun-service-request-timeout", (p) => { p.template.timeout = "300s"; }, "template.timeout"],
            ["cloudrun-service-valid-scaling", (p) => { p.template.scaling = { minInstanceCount: 5, maxInstanceCount: 2 }; }, "template.scaling.minInstanceCount"],
            ["cloudrun-service-startup-probe", (p) => { p.template.containers[0].startupProbe.failureThreshold = 1; }, "template.containers[0].startupProbe"],
            ["cloudrun-service-vpc-egress", (p) => { delete p.template.vpcAccess; }, "template.vpcAccess"],
        ];
        for (const [policy, change, expected] of cases) {
            const found = await checkV2Service(policy, change);
            expect(found, policy).to.have.length.greaterThan(0);
            expect(pathsOf(found), policy).to.include(expected);
        }
    });

    it("follows the v1 and job shapes", async function () {
        const v1 = goodV1Service();
        v1.template.spec.timeoutSeconds = 300;
        const v1Found = ofPolicy(await analyzeResource({ type: T.v1Service, name: "backend-v1", props: v1 }), "cloudrun-service-request-timeout");
        expect(pathsOf(v1Found)).to.deep.equal(["template.spec.timeoutSeconds"]);

        const service = goodV2Service();
        const container = { ...service.template.containers[0], resources: { limits: { cpu: "1", memory: "2Gi" } } };
        const job = { name: "migrate", location: service.location, template: { template: { serviceAccount: service.template.serviceAccount, containers: [container] } } };
        const jobFound = ofPolicy(await analyzeResource({ type: T.v2Job, name: "migrate", props: job }), "cloudrun-service-resource-floor");
        expect(pathsOf(jobFound)).to.deep.equal(["template.template.containers[0].resources.limits.cpu"]);
    });

    it("stack policies name the secret reference and the connector they are about", async function () {
        const secrets = ofPolicy(await analyzeStack(stagingStack({ withoutSecretFor: ["REDIS_URL"] })), "cloudrun-secret-refs-resolve");
        expect(pathsOf(secrets)).to.have.length(1);
        expect(pathsOf(secrets)[0]).to.match(/^template\.containers\[0\]\.envs\[\d+\]\.valueSource\.secretKeyRef\.secret$/);
        const connector = ofPolicy(await analyzeStack(stagingStack({ withoutConnector: true })), "cloudrun-connector-in-stack");
        expect(pathsOf(connector)).to.deep.equal(["template.vpcAccess.connector"]);
    });
});
