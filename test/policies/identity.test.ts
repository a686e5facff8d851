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
            "template.serviceAccount is unset, so the service runs as the default compute service account (project Editor); set a dedicated service account",
        ]);
    });

    it("checks a job's and a worker pool's identity, and not their ingress", async function () {
        const job = { type: T.v2Job, name: "j", props: { template: { template: { containers: [{ image: "i" }] } } } };
        expect(details(ofPolicy(await analyzeResource(job), IDENTITY))).to.deep.equal([
            "template.template.serviceAccount is unset, so the job runs as the default compute service account (project Editor); set a dedicated service account",
        ]);
        const pool = { type: T.v2WorkerPool, name: "w", props: { template: { serviceAccount: RUNTIME_SA, containers: [{ image: "i" }] } } };
        expect(ofPolicy(await analyzeResource(pool), IDENTITY)).to.deep.equal([]);
    });

    it("never shows a service account value that is not an email", async function () {
        const found = await check((p) => { p.template.serviceAccount = "hunter2 secret"; });
        expect(details(found)).to.deep.equal(["template.serviceAccount is not a service account email"]);
    });

    it("rejects the default compute service account", async function () {
        const found = await check((p) => { p.template.serviceAccount = "123456789012-compute@developer.gserviceaccount.com"; });
        expect(found.map((d) => d.enforcementLevel)).to.deep.equal(["mandatory"]);
        expect(found[0].detail).to.match(/is the default compute service account 123456789012-compute@/);
    });

    it("rejects invokerIamDisabled", async function () {
        expect(details(await check((p) => { p.invokerIamDisabled = true; }))).to.deep.equal([
            "invokerIamDisabled is true, so anyone who can reach the service can call it without IAM; remove it " +
            "(or list the service in publicServices if it is meant to be public)",
        ]);
    });

    it("lets services listed in publicServices be public (a site behind a load balancer), and only those", async function () {
        const open = (p: Tree) => { p.invokerIamDisabled = true; p.ingress = "INGRESS_TRAFFIC_ALL"; };
        expect(await check(open, { [IDENTITY]: { publicServices: ["backend"] } })).to.deep.equal([]);
        expect(await check(open, { [IDENTITY]: { publicServices: ["website"] } })).to.have.length(2);
        const unknownName = await check((p) => { open(p); p.name = UNKNOWN.string; }, { [IDENTITY]: { publicServices: ["website"] } });
        expect(unknownName.map((d) => [d.cantRun, d.enforcementLevel])).to.deep.equal([[true, "advisory"]]);
    });

    it("rejects unset and all-traffic ingress unless allowPublicIngress", async function () {
        expect(details(await check((p) => { delete p.ingress; }))).to.deep.equal([
            "ingress is unset, which means all traffic: the service is reachable from the internet; " +
            "set it to INGRESS_TRAFFIC_INTERNAL_ONLY or INGRESS_TRAFFIC_INTERNAL_LOAD_BALANCER (or list the service in publicServices)",
        ]);
        expect(await check((p) => { p.ingress = "INGRESS_TRAFFIC_ALL"; })).to.have.length(1);
        expect(await check((p) => { p.ingress = "INGRESS_TRAFFIC_ALL"; }, { [IDENTITY]: { allowPublicIngress: true } })).to.deep.equal([]);
    });

    it("rejects an ingress value Cloud Run does not know", async function () {
        expect(details(await check((p) => { p.ingress = "INTERNAL"; }))).to.deep.equal([
            "ingress is not one of INGRESS_TRAFFIC_ALL, INGRESS_TRAFFIC_INTERNAL_ONLY, INGRESS_TRAFFIC_INTERNAL_LOAD_BALANCER",
        ]);
    });

    it("reads the v1 annotations and gives v1 advice", async function () {
        const props = goodV1Service();
        props.metadata.annotations["run.googleapis.com/ingress"] = "all";
        props.metadata.annotations["run.googleapis.com/invoker-iam-disabled"] = "true";
        const found = ofPolicy(await analyzeResource({ type: T.v1Service, name: "v1", props }), IDENTITY);
        expect(details(found)).to.deep.equal([
            "the run.googleapis.com/invoker-iam-disabled annotation is true, so anyone who can reach the service can call it without IAM; remove it " +
            "(or list the service in publicServices if it is meant to be public)",
            "the run.googleapis.com/ingress annotation is \"all\": the service is reachable from the internet; " +
            "set it to \"internal\" or \"internal-and-cloud-load-balancing\" (or list the service in publicServices)",
        ]);
    });

    it("decides ingress even when the service account is not known yet", async function () {
        const found = await check((p) => { p.template.serviceAccount = UNKNOWN.string; p.ingress = "INGRESS_TRAFFIC_ALL"; });
        expect(found.map((d) => [d.cantRun, d.enforcementLevel])).to.deep.equal([[false, "mandatory"]]);
    });

    it("leaves a service account not known yet to the stack (cloudrun-identity-and-image-from-stack), but advises on a template unknown as a whole", async function () {
        expect(await check((p) => { p.template.serviceAccount = UNKNOWN.string; })).to.deep.equal([]);
        const found = await check((p) => { p.template = UNKNOWN.object; });
        expect(found.map((d) => [d.cantRun, d.enforcementLevel])).to.deep.equal([[true, "advisory"]]);
    });
});

describe("cloudrun-invoker-not-public", function () {
    const iam = (type: string, props: Tree) => analyzeResource({ type, name: "invoker", props }).then((d) => ofPolicy(d, INVOKER));
    const base = { name: "backend", location: "europe-west1", project: "acme-backend-staging" };

    it("rejects allUsers as a v2 invoker member", async function () {
        const found = await iam(T.v2IamMember, { ...base, role: "roles/run.invoker", member: "allUsers" });
        expect(found.map((d) => d.enforcementLevel)).to.deep.equal(["mandatory"]);
        expect(found[0].detail).to.equal("grants roles/run.invoker to allUsers, so anyone on the internet can call it; grant it to specific service accounts " +
            "or groups instead (or list a service meant to be public in publicServices)");
    });

    it("accepts a service account as invoker", async function () {
        expect(await iam(T.v2IamMember, { ...base, role: "roles/run.invoker", member: `serviceAccount:${RUNTIME_SA}` })).to.deep.equal([]);
    });

    it("rejects allAuthenticatedUsers in a binding", async function () {
        const found = await iam(T.v2IamBinding, { ...base, role: "roles/run.invoker", members: ["group:eng@acme.dev", "allAuthenticatedUsers"] });
        expect(found[0].detail).to.match(/to allAuthenticatedUsers, so anyone with a Google account can call it/);
    });

    it("parses policyData of IAM policies", async function () {
        const policyData = (members: string[]) => JSON.stringify({ bindings: [{ role: "roles/run.invoker", members }] });
        expect(await iam(T.v2IamPolicy, { ...base, policyData: policyData(["allUsers"]) })).to.have.length(1);
        expect(await iam(T.v2IamPolicy, { ...base, policyData: policyData([`serviceAccount:${RUNTIME_SA}`]) })).to.deep.equal([]);
        const malformed = await iam(T.v1IamPolicy, { ...base, policyData: "{not json hunter2" });
        expect(details(malformed)).to.deep.equal(["policyData is not a JSON IAM policy, so its members cannot be checked"]);
    });

    it("checks the v1 member and binding resources", async function () {
        expect(await iam(T.v1IamMember, { service: "backend", location: "europe-west1", role: "roles/run.invoker", member: "allUsers" })).to.have.length(1);
        expect(await iam(T.v1IamBinding, { service: "backend", location: "europe-west1", role: "roles/run.invoker", members: ["allUsers"] })).to.have.length(1);
    });

    it("allows roles/run.invoker for allUsers on services listed in publicServices, by v2 name, v1 service or full path", async function () {
        const config = { [INVOKER]: { publicServices: ["website"] } };
        const member = (props: Tree, type: string = T.v2IamMember) => analyzeResource({ type, name: "invoker", props }, config).then((d) => ofPolicy(d, INVOKER));
        expect(await member({ ...base, name: "website", role: "roles/run.invoker", member: "allUsers" })).to.deep.equal([]);
        expect(await member({ ...base, name: "projects/acme/locations/europe-west1/services/website", role: "roles/run.invoker", member: "allUsers" })).to.deep.equal([]);
        expect(await member({ service: "website", location: "europe-west1", role: "roles/run.invoker", member: "allUsers" }, T.v1IamMember)).to.deep.equal([]);
        expect(await member({ ...base, name: "backend", role: "roles/run.invoker", member: "allUsers" })).to.have.length(1);
        expect(await member({ ...base, name: "website", role: "roles/run.admin", member: "allUsers" })).to.have.length(1);
        const unknownName = await member({ ...base, name: UNKNOWN.string, role: "roles/run.invoker", member: "allUsers" });
        expect(unknownName.map((d) => [d.cantRun, d.enforcementLevel])).to.deep.equal([[true, "advisory"]]);
    });

    it("checks job and worker pool IAM", async function () {
        expect(await iam("gcp:cloudrunv2/jobIamMember:JobIamMember", { ...base, role: "roles/run.invoker", member: "allUsers" })).to.have.length(1);
        expect(await iam("gcp:cloudrunv2/workerPoolIamBinding:WorkerPoolIamBinding", { ...base, role: "roles/run.developer", members: ["allAuthenticatedUsers"] }))
            .to.have.length(1);
    });

    it("gives the standard advisory for a member not known yet", async function () {
        const found = await iam(T.v2IamMember, { ...base, role: "roles/run.invoker", member: UNKNOWN.string });
        expect(found.map((d) => [d.cantRun, d.enforcementLevel])).to.deep.equal([[true, "advisory"]]);
    });
});
