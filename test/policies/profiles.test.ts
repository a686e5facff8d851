/**
 * The two shipped profiles. policy-config.generic.json is for any Cloud Run service: a service written the
 * way Cloud Run's documentation writes it gets no mandatory violation, while every rejection Cloud Run itself
 * makes is caught in both profiles, also when an unrelated field is not known yet.
 */
import { expect } from "chai";
import * as fs from "fs";
import * as path from "path";
import {
    ACCESSOR_ROLE, Diagnostic, GCP_PROJECT, PackConfig, POLICIES_DIR, REGION, RUNTIME_SA, T, TestResource, Tree, UNKNOWN, previewStack, urnOf,
} from "../helpers/policy-harness";

const PROFILES: Record<"staging" | "generic", PackConfig> = {
    staging: JSON.parse(fs.readFileSync(path.join(POLICIES_DIR, "policy-config.staging.json"), "utf8")) as PackConfig,
    generic: JSON.parse(fs.readFileSync(path.join(POLICIES_DIR, "policy-config.generic.json"), "utf8")) as PackConfig,
};

const mandatory = (ds: readonly Diagnostic[]) => ds.filter((d) => d.enforcementLevel === "mandatory" && !d.cantRun);
const summary = (ds: readonly Diagnostic[]) => ds.map((d) => `${d.policyName}: ${d.detail}`);

const HELLO = "us-docker.pkg.dev/cloudrun/container/hello";

/** A service as Cloud Run's documentation writes one, with a dedicated service account; `change` varies it. */
function docStyleStack(change: (service: Tree) => void = () => undefined, withSecret = false): TestResource[] {
    const accountUrn = urnOf(T.account, "runtime");
    const secretUrn = urnOf(T.secret, "api-key");
    const service: Tree = {
        name: "hello", location: REGION,
        template: {
            serviceAccount: RUNTIME_SA,
            containers: [{ image: HELLO, ...(withSecret ? { envs: [{ name: "API_KEY", valueSource: { secretKeyRef: { secret: "api-key", version: "1" } } }] } : {}) }],
        },
    };
    change(service);
    return [
        { type: T.account, name: "runtime", props: { accountId: "backend-runtime", project: GCP_PROJECT, email: RUNTIME_SA, member: `serviceAccount:${RUNTIME_SA}` } },
        ...(withSecret ? [
            { type: T.secret, name: "api-key", props: { secretId: "api-key", project: GCP_PROJECT, replication: { auto: {} } } },
            {
                type: T.secretIamMember, name: "api-key-access",
                props: { secretId: `projects/${GCP_PROJECT}/secrets/api-key`, role: ACCESSOR_ROLE, member: `serviceAccount:${RUNTIME_SA}` },
                propertyDependencies: { secretId: [secretUrn], member: [accountUrn] },
            },
        ] : []),
        { type: T.v2Service, name: "hello", props: service, propertyDependencies: { template: [accountUrn, ...(withSecret ? [secretUrn] : [])] } },
    ];
}

const api = (service: Tree) => service.template.containers[0];

describe("profiles: generic accepts documentation-style services, both profiles catch what Cloud Run rejects", function () {
    const docStyle: [string, (s: Tree) => void, boolean?][] = [
        ["the image only (Cloud Run's defaults: 1 CPU / 512Mi, its default probe, timeout unset, no VPC)", () => undefined],
        ["1 CPU / 512Mi", (s) => { api(s).resources = { limits: { cpu: "1", memory: "512Mi" } }; }],
        ["fractional CPU the way the CPU page sets it up", (s) => {
            api(s).resources = { limits: { cpu: "0.25", memory: "512Mi" }, cpuIdle: true };
            s.template.executionEnvironment = "EXECUTION_ENVIRONMENT_GEN1";
            s.template.maxInstanceRequestConcurrency = 1;
        }],
        ["the healthchecks page's probes (TCP startup 3 s × 1, HTTP liveness)", (s) => {
            api(s).startupProbe = { initialDelaySeconds: 0, timeoutSeconds: 1, periodSeconds: 3, failureThreshold: 1, tcpSocket: { port: 8080 } };
            api(s).livenessProbe = { httpGet: { path: "/" } };
        }],
        ["Direct VPC egress", (s) => { s.template.vpcAccess = { networkInterfaces: [{ network: "default", subnetwork: "default" }] }; }],
        ["a secret env with a per-secret grant to the dedicated account", () => undefined, true],
        ["min and max instances and a TCP liveness probe", (s) => {
            s.template.scaling = { minInstanceCount: 1, maxInstanceCount: 10 };
            api(s).livenessProbe = { tcpSocket: { port: 8080 } };
        }],
    ];
    for (const [label, change, withSecret] of docStyle) {
        it(`generic: no mandatory violation for ${label}, in preview too`, async function () {
            for (const fresh of [false, true]) {
                const stack = docStyleStack((s) => {
                    change(s);
                    if (fresh) {
                        s.template.serviceAccount = UNKNOWN.string;
                    }
                }, withSecret);
                expect(summary(mandatory(await previewStack(stack, PROFILES.generic))), fresh ? "preview" : "applied").to.deep.equal([]);
            }
        });
    }

    it("staging rejects the same image-only service for its team requirements", async function () {
        const policies = new Set(mandatory(await previewStack(docStyleStack(), PROFILES.staging)).map((d) => d.policyName));
        expect([...policies].sort()).to.deep.equal([
            "cloudrun-service-identity-and-ingress", "cloudrun-service-image-digest", "cloudrun-service-request-timeout",
            "cloudrun-service-required-secret-env", "cloudrun-service-resource-floor", "cloudrun-service-startup-probe", "cloudrun-service-vpc-egress",
        ]);
    });

    /** Each Cloud Run rejection, the policy that must report it, and how it reads. */
    const rejections: [string, string, (s: Tree) => void][] = [
        ["concurrency 1001", "cloudrun-service-valid-scaling", (s) => { s.template.maxInstanceRequestConcurrency = 1001; }],
        ["template min instances above max", "cloudrun-service-valid-scaling", (s) => { s.template.scaling = { minInstanceCount: 5, maxInstanceCount: 2 }; }],
        ["service-level min instances above max", "cloudrun-service-valid-scaling", (s) => { s.scaling = { minInstanceCount: 5, maxInstanceCount: 2 }; }],
        ["liveness initialDelaySeconds 3601", "cloudrun-service-valid-probes", (s) => { api(s).livenessProbe = { httpGet: {}, initialDelaySeconds: 3601 }; }],
        ["liveness periodSeconds 3601", "cloudrun-service-valid-probes", (s) => { api(s).livenessProbe = { httpGet: {}, periodSeconds: 3601 }; }],
        ["liveness timeout above period", "cloudrun-service-valid-probes", (s) => { api(s).livenessProbe = { httpGet: {}, periodSeconds: 5, timeoutSeconds: 6 }; }],
        ["a connector with networkInterfaces", "cloudrun-service-valid-vpc", (s) => {
            s.template.vpcAccess = { connector: "projects/acme-backend-staging/locations/europe-west1/connectors/cx", networkInterfaces: [{ network: "default" }] };
        }],
        ["two network interfaces", "cloudrun-service-valid-vpc", (s) => { s.template.vpcAccess = { networkInterfaces: [{ network: "a" }, { network: "b" }] }; }],
        ["container port 70000", "cloudrun-service-valid-containers", (s) => { api(s).ports = { containerPort: 70000 }; }],
        ["a sidecar's startup probe period 300", "cloudrun-service-valid-probes", (s) => {
            api(s).ports = { containerPort: 8080 };
            s.template.containers.push({ name: "proxy", image: HELLO, startupProbe: { tcpSocket: { port: 9000 }, periodSeconds: 300 } });
        }],
        ["a dependsOn target without a startup probe", "cloudrun-service-valid-probes", (s) => {
            api(s).ports = { containerPort: 8080 };
            api(s).dependsOns = ["proxy"];
            s.template.containers.push({ name: "proxy", image: HELLO });
        }],
        ["an L4 GPU with 2 CPU", "cloudrun-service-valid-resources", (s) => {
            s.template.nodeSelector = { accelerator: "nvidia-l4" };
            api(s).resources = { limits: { cpu: "2", memory: "16Gi", "nvidia.com/gpu": "1" }, cpuIdle: false };
        }],
        ["an L4 GPU with cpuIdle true", "cloudrun-service-valid-resources", (s) => {
            s.template.nodeSelector = { accelerator: "nvidia-l4" };
            api(s).resources = { limits: { cpu: "4", memory: "16Gi", "nvidia.com/gpu": "1" }, cpuIdle: true };
        }],
        ["memory 64Gi", "cloudrun-service-valid-resources", (s) => { api(s).resources = { limits: { cpu: "8", memory: "64Gi" } }; }],
        ["request timeout 3601s", "cloudrun-service-request-timeout", (s) => { s.template.timeout = "3601s"; }],
        ["PORT on the ingress container", "cloudrun-service-env", (s) => { api(s).envs = [{ name: "PORT", value: "8080" }]; }],
    ];
    for (const [label, policy, change] of rejections) {
        it(`both profiles reject ${label} (${policy}), also with an unrelated field unknown`, async function () {
            for (const [profile, config] of Object.entries(PROFILES)) {
                for (const unrelatedUnknown of [false, true]) {
                    const stack = docStyleStack((s) => {
                        change(s);
                        if (unrelatedUnknown) {
                            api(s).image = UNKNOWN.string;
                            s.template.serviceAccount = UNKNOWN.string;
                            s.ingress = UNKNOWN.string;
                        }
                    });
                    const found = mandatory(await previewStack(stack, config)).filter((d) => d.policyName === policy);
                    expect(found, `${profile}${unrelatedUnknown ? " with unknowns" : ""}`).to.have.length.greaterThan(0);
                }
            }
        });
    }

    it("a job gets Cloud Run's rules in both profiles, and no serving-only rule", async function () {
        const job: TestResource = {
            type: T.v2Job, name: "migrate",
            props: { location: REGION, template: { template: { serviceAccount: RUNTIME_SA, containers: [{ image: HELLO, resources: { limits: { cpu: "4", memory: "1Gi" } } }] } } },
        };
        for (const config of Object.values(PROFILES)) {
            const found = mandatory(await previewStack([job], config)).map((d) => d.policyName);
            expect(found).to.include("cloudrun-service-valid-resources");
            expect(found).not.to.include.members(["cloudrun-service-request-timeout", "cloudrun-service-startup-probe", "cloudrun-service-required-secret-env"]);
        }
    });
});
