/**
 * The revisions that broke staging, replayed through the pack: each must be stopped at `pulumi preview`
 * by a mandatory violation, and the fresh-stack preview must still get a verdict from the stack policies.
 */
import { expect } from "chai";
import {
    COST_POLICY, Diagnostic, STACK_POLICIES, Tree, analyzeResource, goodV2Service, ofPolicy, previewStack, stagingStack, v2Service, violationsOf,
} from "../helpers/policy-harness";

function mandatory(diagnostics: Diagnostic[]): Diagnostic[] {
    return diagnostics.filter((d) => d.enforcementLevel === "mandatory" && !d.cantRun);
}

describe("incidents", function () {
    it("(a) rejects the 1 CPU / 512Mi / 300s revision with Cloud Run's default startup probe on port 8000", async function () {
        const props: Tree = goodV2Service();
        const api = props.template.containers[0];
        api.resources = { limits: { cpu: "1", memory: "512Mi" } };
        api.ports = { containerPort: 8000 };
        delete api.startupProbe;
        props.template.timeout = "300s";
        const diagnostics = mandatory(await analyzeResource(v2Service(props)));
        const floor = diagnostics.filter((d) => d.policyName === "cloudrun-service-resource-floor").map((d) => d.detail);
        expect(floor.some((d) => d.includes("cpu limit 1 is below"))).to.equal(true);
        expect(floor.some((d) => d.includes("memory limit 512Mi is below"))).to.equal(true);
        expect(violationsOf(diagnostics, "cloudrun-service-request-timeout").map((d) => d.detail)).to.deep.equal([
            "request timeout 300s is outside the team range 600-3600s; set template.timeout to between 600 and 3600 seconds, e.g. \"600s\"",
        ]);
        const probe = violationsOf(diagnostics, "cloudrun-service-startup-probe");
        expect(probe).to.have.length(1);
        expect(probe[0].detail).to.contain("no startup probe, so Cloud Run runs its default: a TCP check on port 8000 with timeoutSeconds 240, periodSeconds 240, failureThreshold 1");
    });

    it("(b) rejects the proposed fix: startup probe timeoutSeconds 480 with periodSeconds 240", async function () {
        const props: Tree = goodV2Service();
        props.template.containers[0].startupProbe = { tcpSocket: {}, timeoutSeconds: 480, periodSeconds: 240, failureThreshold: 1 };
        const probe = mandatory(ofPolicy(await analyzeResource(v2Service(props)), "cloudrun-service-valid-probes"));
        expect(probe.map((d) => d.detail)).to.include("containers[0] (api): startup probe timeoutSeconds 480 must be at most periodSeconds (240) (Cloud Run rejects it)");
    });

    it("(c) rejects a stack whose service lacks CLICKHOUSE_URL", async function () {
        const stack = stagingStack({ service: (p) => {
            p.template.containers[0].envs = p.template.containers[0].envs.filter((e: Tree) => e.name !== "CLICKHOUSE_URL");
        } });
        const found = mandatory(await previewStack(stack));
        expect(found.map((d) => d.policyName)).to.deep.equal(["cloudrun-service-required-secret-env"]);
        expect(found[0].detail).to.contain("required env CLICKHOUSE_URL is missing");
    });

    it("(d) rejects REDIS_URL=redis://localhost:6379", async function () {
        const stack = stagingStack({ service: (p) => {
            const envs: Tree[] = p.template.containers[0].envs;
            envs[envs.findIndex((e) => e.name === "REDIS_URL")] = { name: "REDIS_URL", value: "redis://localhost:6379" };
        } });
        const found = mandatory(await previewStack(stack));
        expect(found.map((d) => d.policyName).sort()).to.deep.equal(["cloudrun-service-env", "cloudrun-service-required-secret-env"]);
        expect(violationsOf(found, "cloudrun-service-env")[0].detail).to.contain("env REDIS_URL points at a loopback host");
        expect(violationsOf(found, "cloudrun-service-env")[0].detail).not.to.contain("redis://");
    });

    describe("(e) fresh-stack preview: secret ids, service account email and grant members unknown", function () {
        it("passes the good stack with no diagnostic at all, not even \"can't run\" (the account and the image are traced to the stack), besides the cost estimate", async function () {
            const diagnostics = await previewStack(stagingStack({ freshPreview: true }));
            expect(diagnostics.map((d) => `${d.enforcementLevel} ${d.policyName}`)).to.deep.equal([`advisory ${COST_POLICY}`]);
        });

        it("rejects the stack when a grant is missing", async function () {
            const diagnostics = await previewStack(stagingStack({ freshPreview: true, withoutGrantFor: ["DATABASE_URL"] }));
            expect(mandatory(diagnostics).map((d) => d.policyName)).to.deep.equal(["cloudrun-secret-accessor-grants"]);
            expect(mandatory(diagnostics)[0].detail).to.contain("on secret backend-database-url");
        });

        it("rejects the stack when a secret referenced by its literal id is not created", async function () {
            const stack = stagingStack({ freshPreview: true, withoutSecretFor: ["REDIS_URL"], service: (p) => {
                p.template.containers[0].envs[1].valueSource.secretKeyRef.secret = "backend-redis-url";
            } });
            const diagnostics = await previewStack(stack);
            expect(mandatory(diagnostics).map((d) => d.policyName)).to.deep.equal(["cloudrun-secret-refs-resolve", "cloudrun-secret-accessor-grants"]);
            expect(diagnostics.filter((d) => d.cantRun && (STACK_POLICIES as readonly string[]).includes(d.policyName))).to.deep.equal([]);
        });
    });
});
