/** cloudrun-service-identity-and-ingress and cloudrun-invoker-not-public. */
import { expect } from "chai";
import { PackConfig, RUNTIME_SA, T, Tree, UNKNOWN, analyzeResource, checkV2Service, goodV1Service, ofPolicy } from "../helpers/policy-harness";

const IDENTITY = "cloudrun-service-identity-and-ingress";
const INVOKER = "cloudrun-invoker-not-public";

const check = (change: (props: Tree) => void, config: PackConfig = {}) => checkV2Service(IDENTITY, change, config);

const details = (found: { detail: string }[]) => found.map((d) => d.detail);

describe("cloudrun-service-identity-and-ingress", function () {
    it("rejects an unset service account", async function () {
        expect(details(await check((p) => { delete p.template.serviceAccount; }))).to.deep.equal([
            "template.serviceAccount is unset, so the revision runs as the default compute service account (project Editor); set a dedicated service account",
        ]);
    });

    it("rejects the default compute service account", async function () {
        const found = await check((p) => { p.template.serviceAccount = "123456789012-compute@developer.gserviceaccount.com"; });
        expect(found.map((d) => d.enforcementLevel)).to.deep.equal(["mandatory"]);
        expect(found[0].detail).to.match(/is the default compute service account 123456789012-compute@/);
    });

    it("rejects invokerIamDisabled", async function () {
        expect(details(await check((p) => { p.invokerIamDisabled = true; }))).to.deep.equal([
            "invokerIamDisabled is true, so anyone who can reach the service can call it without IAM; remove it",
        ]);
    });

    it("rejects unset and all-traffic ingress unless allowPublicIngress", async function () {
        expect(details(await check((p) => { delete p.ingress; }))[0]).to.match(/^ingress is unset, which means INGRESS_TRAFFIC_ALL/);
        expect(await check((p) => { p.ingress = "INGRESS_TRAFFIC_ALL"; })).to.have.length(1);
        expect(await check((p) => { p.ingress = "INGRESS_TRAFFIC_ALL"; }, { [IDENTITY]: { allowPublicIngress: true } })).to.deep.equal([]);
    });

    it("rejects an ingress value Cloud Run does not know", async function () {
        expect(details(await check((p) => { p.ingress = "INTERNAL"; }))[0]).to.match(/^ingress "INTERNAL" is not one of INGRESS_TRAFFIC_ALL/);
    });

    it("reads the v1 annotations", async function () {
        const props = goodV1Service();
        props.metadata.annotations["run.googleapis.com/ingress"] = "all";
        props.metadata.annotations["run.googleapis.com/invoker-iam-disabled"] = "true";
        const found = ofPolicy(await analyzeResource({ type: T.v1Service, name: "v1", props }), IDENTITY);
        expect(details(found)).to.have.length(2);
        expect(found[0].detail).to.match(/invoker-iam-disabled annotation is true/);
        expect(found[1].detail).to.match(/ingress annotation is INGRESS_TRAFFIC_ALL/);
    });

    it("decides ingress even when the service account is not known yet", async function () {
        const found = await check((p) => { p.template.serviceAccount = UNKNOWN.string; p.ingress = "INGRESS_TRAFFIC_ALL"; });
        expect(found.map((d) => [d.cantRun, d.enforcementLevel])).to.deep.equal([[false, "mandatory"]]);
    });

    it("gives the standard advisory when only the unknown service account is left to check", async function () {
        const found = await check((p) => { p.template.serviceAccount = UNKNOWN.string; });
        expect(found.map((d) => [d.cantRun, d.enforcementLevel])).to.deep.equal([[true, "advisory"]]);
    });
});

describe("cloudrun-invoker-not-public", function () {
    const iam = (type: string, props: Tree) => analyzeResource({ type, name: "invoker", props }).then((d) => ofPolicy(d, INVOKER));
    const base = { name: "backend", location: "europe-west1", project: "acme-backend-staging" };

    it("rejects allUsers as a v2 invoker member", async function () {
        const found = await iam(T.v2IamMember, { ...base, role: "roles/run.invoker", member: "allUsers" });
        expect(found.map((d) => d.enforcementLevel)).to.deep.equal(["mandatory"]);
        expect(found[0].detail).to.match(/^grants roles\/run\.invoker to allUsers, so anyone on the internet can call the service/);
    });

    it("accepts a service account as invoker", async function () {
        expect(await iam(T.v2IamMember, { ...base, role: "roles/run.invoker", member: `serviceAccount:${RUNTIME_SA}` })).to.deep.equal([]);
    });

    it("rejects allAuthenticatedUsers in a binding", async function () {
        const found = await iam(T.v2IamBinding, { ...base, role: "roles/run.invoker", members: ["group:eng@acme.dev", "allAuthenticatedUsers"] });
        expect(found[0].detail).to.match(/to allAuthenticatedUsers, so anyone with a Google account can call the service/);
    });

    it("parses policyData of IAM policies", async function () {
        const policyData = (members: string[]) => JSON.stringify({ bindings: [{ role: "roles/run.invoker", members }] });
        expect(await iam(T.v2IamPolicy, { ...base, policyData: policyData(["allUsers"]) })).to.have.length(1);
        expect(await iam(T.v2IamPolicy, { ...base, policyData: policyData([`serviceAccount:${RUNTIME_SA}`]) })).to.deep.equal([]);
        expect((await iam(T.v1IamPolicy, { ...base, policyData: "{not json" }))[0].detail).to.match(/^policyData is not valid JSON/);
    });

    it("checks the v1 member and binding resources", async function () {
        expect(await iam(T.v1IamMember, { service: "backend", location: "europe-west1", role: "roles/run.invoker", member: "allUsers" })).to.have.length(1);
        expect(await iam(T.v1IamBinding, { service: "backend", location: "europe-west1", role: "roles/run.invoker", members: ["allUsers"] })).to.have.length(1);
    });

    it("gives the standard advisory for a member not known yet", async function () {
        const found = await iam(T.v2IamMember, { ...base, role: "roles/run.invoker", member: UNKNOWN.string });
        expect(found.map((d) => [d.cantRun, d.enforcementLevel])).to.deep.equal([[true, "advisory"]]);
    });
});
