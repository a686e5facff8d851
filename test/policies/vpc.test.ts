/** cloudrun-service-vpc-egress, vpcaccess-connector-valid and cloudrun-connector-in-stack. */
import { expect } from "chai";
import {
    CONNECTOR_NAME, GCP_PROJECT, PackConfig, REGION, T, TestResource, Tree, UNKNOWN, analyzeResource, analyzeStack, checkV2Service, goodConnector, goodV1Service, ofPolicy, stagingStack, urnOf,
} from "../helpers/policy-harness";

const EGRESS = "cloudrun-service-vpc-egress";
const VALID_VPC = "cloudrun-service-valid-vpc";
const CONNECTOR = "vpcaccess-connector-valid";
const IN_STACK = "cloudrun-connector-in-stack";

const checkService = (change: (props: Tree) => void, config: PackConfig = {}) => checkV2Service(EGRESS, change, config);

async function checkConnector(change: (props: Tree) => void) {
    const props = goodConnector();
    change(props);
    return ofPolicy(await analyzeResource({ type: T.connector, name: "c", props }), CONNECTOR);
}

const details = (found: { detail: string }[]) => found.map((d) => d.detail);

describe("cloudrun-service-vpc-egress", function () {
    it("rejects a service without VPC access", async function () {
        const found = await checkService((p) => { delete p.template.vpcAccess; });
        expect(found.map((d) => d.enforcementLevel)).to.deep.equal(["mandatory"]);
        expect(found[0].detail).to.match(/^template\.vpcAccess has neither a connector nor networkInterfaces/);
    });

    it("accepts Direct VPC egress and rejects an empty interface list", async function () {
        expect(await checkService((p) => { p.template.vpcAccess = { networkInterfaces: [{ network: "default", subnetwork: "run" }] }; })).to.deep.equal([]);
        expect(await checkService((p) => { p.template.vpcAccess = { networkInterfaces: [] }; })).to.have.length(1);
    });

    it("accepts a connector whose id is not known yet", async function () {
        expect(await checkService((p) => { p.template.vpcAccess.connector = UNKNOWN.string; })).to.deep.equal([]);
    });

    it("can be switched off with required: false", async function () {
        expect(await checkService((p) => { delete p.template.vpcAccess; }, { [EGRESS]: { required: false } })).to.deep.equal([]);
    });

    it("reads the v1 connector annotation", async function () {
        const props = goodV1Service();
        expect(ofPolicy(await analyzeResource({ type: T.v1Service, name: "v1", props }), EGRESS)).to.deep.equal([]);
        delete props.template.metadata.annotations["run.googleapis.com/vpc-access-connector"];
        expect(ofPolicy(await analyzeResource({ type: T.v1Service, name: "v1", props }), EGRESS)).to.have.length(1);
    });
});

describe("cloudrun-service-valid-vpc (Cloud Run's rules, in every profile)", function () {
    const check = (change: (props: Tree) => void) => checkV2Service(VALID_VPC, change, {});

    it("rejects an egress setting Cloud Run does not know, without showing it", async function () {
        expect(details(await check((p) => { p.template.vpcAccess.egress = "PRIVATE"; }))).to.deep.equal([
            "template.vpcAccess.egress is not one of ALL_TRAFFIC, PRIVATE_RANGES_ONLY",
        ]);
    });

    it("rejects a connector together with Direct VPC egress, also when the connector is not known yet", async function () {
        const both = (connector: unknown) => (p: Tree) => {
            p.template.vpcAccess = { connector, networkInterfaces: [{ network: "default", subnetwork: "run" }] };
        };
        const expected = ["template.vpcAccess sets both a connector and networkInterfaces (Direct VPC egress); Cloud Run takes one or the other"];
        expect(details(await check(both("projects/acme-prod/locations/europe-west1/connectors/cx")))).to.deep.equal(expected);
        const preview = await check(both(UNKNOWN.string));
        expect(preview.map((d) => [d.cantRun, d.detail])).to.deep.equal([[false, expected[0]]]);
    });

    it("rejects more than one network interface", async function () {
        const found = await check((p) => { p.template.vpcAccess = { networkInterfaces: [{ network: "a" }, { network: "b" }] }; });
        expect(details(found)).to.deep.equal(["template.vpcAccess.networkInterfaces has 2 interfaces; Cloud Run takes one"]);
    });

    it("counts v1's network-interfaces annotation, and waits for an interface list not known yet", async function () {
        const props = goodV1Service();
        delete props.template.metadata.annotations["run.googleapis.com/vpc-access-connector"];
        props.template.metadata.annotations["run.googleapis.com/network-interfaces"] = JSON.stringify([{ network: "a" }, { network: "b" }]);
        expect(details(ofPolicy(await analyzeResource({ type: T.v1Service, name: "v1", props }), VALID_VPC))).to.deep.equal([
            "the network-interfaces annotation has 2 interfaces; Cloud Run takes one",
        ]);
        const pending = await check((p) => { p.template.vpcAccess = { networkInterfaces: UNKNOWN.array }; });
        expect(pending.map((d) => [d.cantRun, d.enforcementLevel])).to.deep.equal([[true, "advisory"]]);
    });

    it("reads a job's template.template.vpcAccess and accepts zero values for unset fields", async function () {
        const job = (vpcAccess: Tree) => ({ type: T.v2Job, name: "j", props: { template: { template: { containers: [{ image: "i" }], vpcAccess } } } });
        expect(ofPolicy(await analyzeResource(job({ connector: "cx", egress: "", networkInterfaces: [] })), VALID_VPC)).to.deep.equal([]);
        expect(ofPolicy(await analyzeResource(job({ connector: "cx", networkInterfaces: [{ network: "a" }] })), VALID_VPC)).to.have.length(1);
    });
});

describe("vpcaccess-connector-valid", function () {
    it("rejects a range that is not a /28", async function () {
        const found = await checkConnector((c) => { c.ipCidrRange = "10.8.0.0/24"; });
        expect(found.map((d) => d.enforcementLevel)).to.deep.equal(["mandatory"]);
        expect(found[0].detail).to.equal("ipCidrRange is a /24; it must be an unused IPv4 /28, e.g. \"10.8.0.0/28\"");
    });

    it("rejects a bad name, machine type and instance counts", async function () {
        const found = await checkConnector((c) => { c.name = "Backend_Staging"; c.machineType = "n1-standard-1"; c.minInstances = 1; c.maxInstances = 1; });
        expect(details(found).map((d) => d.split(" ")[0])).to.deep.equal(["name", "machineType", "minInstances", "maxInstances", "maxInstances"]);
    });

    it("accepts throughput sizing in steps of 100 and rejects others", async function () {
        const throughput = (min: number, max: number) => (c: Tree) => { delete c.minInstances; delete c.maxInstances; c.minThroughput = min; c.maxThroughput = max; };
        expect(await checkConnector(throughput(200, 300))).to.deep.equal([]);
        expect(await checkConnector(throughput(250, 300))).to.have.length(1);
    });

    it("needs a network with the range, or a subnet", async function () {
        expect(details(await checkConnector((c) => { delete c.network; }))).to.deep.equal(["ipCidrRange is set without network; set network as well"]);
        expect(await checkConnector((c) => { delete c.network; delete c.ipCidrRange; c.subnet = { name: "connector" }; })).to.deep.equal([]);
    });

    it("decides from known fields when one is unknown, and advises when nothing known is wrong", async function () {
        const decided = await checkConnector((c) => { c.ipCidrRange = UNKNOWN.string; c.minInstances = 1; });
        expect(decided.map((d) => [d.cantRun, d.enforcementLevel])).to.deep.equal([[false, "mandatory"]]);
        const advised = await checkConnector((c) => { c.ipCidrRange = UNKNOWN.string; });
        expect(advised.map((d) => [d.cantRun, d.enforcementLevel])).to.deep.equal([[true, "advisory"]]);
    });
});

describe("cloudrun-connector-in-stack", function () {
    const serviceOf = (stack: TestResource[]) => stack[stack.length - 1];

    it("accepts the staging stack's connector, referenced by full id", async function () {
        expect(ofPolicy(await analyzeStack(stagingStack()), IN_STACK)).to.deep.equal([]);
    });

    it("rejects a connector the stack does not create", async function () {
        const found = ofPolicy(await analyzeStack(stagingStack({ withoutConnector: true })), IN_STACK);
        expect(found.map((d) => [d.enforcementLevel, d.urn])).to.deep.equal([["mandatory", urnOf(T.v2Service, "backend")]]);
        expect(found[0].detail).to.equal(`VPC connector projects/${GCP_PROJECT}/locations/${REGION}/connectors/${CONNECTOR_NAME} is not a ` +
            "gcp:vpcaccess/connector:Connector in this stack (same name, project and region) nor listed in externalConnectors; create it in the stack or list it");
    });

    it("accepts a connector listed in externalConnectors", async function () {
        expect(ofPolicy(await analyzeStack(stagingStack({ withoutConnector: true }), { [IN_STACK]: { externalConnectors: [CONNECTOR_NAME] } }), IN_STACK))
            .to.deep.equal([]);
    });

    it("rejects a connector in another region than the service", async function () {
        const stack = stagingStack({ service: (p) => { p.template.vpcAccess.connector = `projects/${GCP_PROJECT}/locations/us-central1/connectors/${CONNECTOR_NAME}`; } });
        const found = ofPolicy(await analyzeStack(stack), IN_STACK);
        expect(found[0].detail).to.match(/is in us-central1, but a connector must be in the service's region europe-west1/);
    });

    it("rejects a stack connector of the same name in another project", async function () {
        const stack = stagingStack();
        stack.find((r) => r.type === T.connector)!.props.project = "other-project";
        expect(ofPolicy(await analyzeStack(stack), IN_STACK)).to.have.length(1);
    });

    it("takes a connector's unset project and region from its provider", async function () {
        const withProvider = (region: string) => {
            const stack = stagingStack();
            const connector = stack.find((r) => r.type === T.connector)!;
            delete connector.props.project;
            delete connector.props.region;
            connector.provider = { type: "pulumi:providers:gcp", name: "default", props: { project: GCP_PROJECT, region } };
            return stack;
        };
        expect(ofPolicy(await analyzeStack(withProvider(REGION)), IN_STACK)).to.deep.equal([]);
        expect(ofPolicy(await analyzeStack(withProvider("us-central1")), IN_STACK)).to.have.length(1);
    });

    it("resolves a bare name in the service's region (v1 annotation)", async function () {
        const stack = stagingStack();
        stack.push({ type: T.v1Service, name: "backend-v1", props: goodV1Service() });
        expect(ofPolicy(await analyzeStack(stack), IN_STACK)).to.deep.equal([]);
    });

    it("resolves a reference unknown in preview through the template's dependencies", async function () {
        const stack = stagingStack({ freshPreview: true });
        const found = ofPolicy(await analyzeStack(stack), IN_STACK);
        expect(found).to.deep.equal([]);
        serviceOf(stack).propertyDependencies = { template: [] };
        const unverified = ofPolicy(await analyzeStack(stack), IN_STACK);
        expect(unverified.map((d) => [d.cantRun, d.enforcementLevel])).to.deep.equal([[true, "advisory"]]);
    });

    it("rejects a reference that is not a connector name", async function () {
        const found = ofPolicy(await analyzeStack(stagingStack({ service: (p) => { p.template.vpcAccess.connector = "regions/x/connectors/y"; } })), IN_STACK);
        expect(found[0].detail).to.match(/is neither a connector name nor projects/);
    });
});
