/** cloudrun-service-valid-probes (Cloud Run's rules), cloudrun-service-startup-probe (team) and cloudrun-service-liveness-probe. */
import { expect } from "chai";
import { T, Tree, UNKNOWN, analyzeResource, checkV2Service, goodV1Service, ofPolicy } from "../helpers/policy-harness";

const STARTUP = "cloudrun-service-startup-probe";
const VALID = "cloudrun-service-valid-probes";
const LIVENESS = "cloudrun-service-liveness-probe";

const check = checkV2Service;

const api = (props: Tree) => props.template.containers[0];
const details = (found: { detail: string }[]) => found.map((d) => d.detail);
const SUGGESTION = "(e.g. startupProbe: { httpGet: { path: \"/healthz\" }, initialDelaySeconds: 0, periodSeconds: 10, timeoutSeconds: 1, failureThreshold: 24 })";

describe("cloudrun-service-startup-probe", function () {
    it("explains Cloud Run's default TCP probe when none is declared, on the container port", async function () {
        const found = await check(STARTUP, (p) => { delete api(p).startupProbe; });
        expect(found).to.have.length(1);
        expect(found[0].enforcementLevel).to.equal("mandatory");
        expect(found[0].detail).to.contain("containers[0] (api) has no startup probe, so Cloud Run runs its default: a TCP check on port 8000 " +
            "with timeoutSeconds 240, periodSeconds 240, failureThreshold 1");
        expect(found[0].detail).to.contain("failureThreshold: 24");
    });

    it("names port 8080 when the container declares no port", async function () {
        const found = await check(STARTUP, (p) => { delete api(p).startupProbe; delete api(p).ports; });
        expect(found[0].detail).to.contain("TCP check on port 8080");
    });

    it("caps the failure window as a team setting, saying it is not a Cloud Run rule for services", async function () {
        const long = (p: Tree) => { api(p).startupProbe = { httpGet: { path: "/healthz" }, timeoutSeconds: 5, periodSeconds: 240 }; };
        expect(details(await check(STARTUP, long))).to.deep.equal([
            "containers[0] (api): startup probe failureThreshold × periodSeconds = 720s exceeds the team cap maxWindowSeconds 240s (not a Cloud Run rule for services); " +
            `use a shorter period or add initialDelaySeconds instead ${SUGGESTION}`,
        ]);
        expect(await check(STARTUP, long, { [STARTUP]: { maxWindowSeconds: 720 } })).to.deep.equal([]);
    });

    it("accepts Cloud Run's default probe when the team accepts one 240 s check (the generic profile's settings)", async function () {
        const generic = { [STARTUP]: { minFailureThreshold: 1, expectedStartupSeconds: 0 } };
        expect(await check(STARTUP, (p) => { delete api(p).startupProbe; }, generic)).to.deep.equal([]);
        expect(await check(STARTUP, (p) => { api(p).startupProbe = { tcpSocket: { port: 8000 }, periodSeconds: 3, failureThreshold: 1, timeoutSeconds: 1 }; }, generic))
            .to.deep.equal([]);
    });

    it("applies to services only: a job's probe is not a serving probe", async function () {
        const job = { type: T.v2Job, name: "j", props: { template: { template: { containers: [{ image: "i" }] } } } };
        expect(ofPolicy(await analyzeResource(job), STARTUP)).to.deep.equal([]);
    });

    it("rejects a probe port other than the container port", async function () {
        const found = await check(STARTUP, (p) => { api(p).startupProbe.httpGet.port = 8080; });
        expect(details(found)).to.deep.equal([
            "containers[0] (api): startup probe checks port 8080 but the container listens on 8000; remove the probe port or make them equal " +
            "(a team check: Cloud Run accepts any port)",
        ]);
        expect(await check(STARTUP, (p) => { api(p).startupProbe.httpGet.port = 8080; }, { [STARTUP]: { probePortMustMatch: false } })).to.deep.equal([]);
    });

    it("reads a probe port of 0 (engine outputs' zero value) as unset", async function () {
        expect(await check(STARTUP, (p) => { api(p).startupProbe.httpGet.port = 0; })).to.deep.equal([]);
    });

    it("accepts a probe port equal to the container port, or to the default 8080 when ports are unset", async function () {
        expect(await check(STARTUP, (p) => { api(p).startupProbe.httpGet.port = 8000; })).to.deep.equal([]);
        expect(await check(STARTUP, (p) => { delete api(p).ports; api(p).startupProbe = { tcpSocket: { port: 8080 }, periodSeconds: 10, failureThreshold: 24 }; }))
            .to.deep.equal([]);
    });

    it("requires failureThreshold of at least minFailureThreshold", async function () {
        const found = await check(STARTUP, (p) => { api(p).startupProbe = { grpc: {}, initialDelaySeconds: 0, periodSeconds: 240, timeoutSeconds: 5, failureThreshold: 1 }; });
        expect(details(found)).to.deep.equal([
            `containers[0] (api): startup probe failureThreshold 1 is below the team minimum 2: one slow check would kill the revision ${SUGGESTION}`,
        ]);
        expect(await check(STARTUP, (p) => { api(p).startupProbe = { grpc: {}, periodSeconds: 240, timeoutSeconds: 5, failureThreshold: 1 }; },
            { [STARTUP]: { minFailureThreshold: 1 } })).to.deep.equal([]);
    });

    it("requires the window to cover expectedStartupSeconds", async function () {
        const short = (p: Tree) => { api(p).startupProbe.failureThreshold = 6; };
        const found = await check(STARTUP, short);
        expect(found).to.have.length(1);
        expect(found[0].detail).to.match(/window initialDelaySeconds \+ failureThreshold × periodSeconds = 60s is shorter than the expected startup of 240s/);
        expect(await check(STARTUP, short, { [STARTUP]: { expectedStartupSeconds: 60 } })).to.deep.equal([]);
    });

    it("counts initialDelaySeconds in the window (480 s startup)", async function () {
        const config = { [STARTUP]: { expectedStartupSeconds: 480 } };
        expect(await check(STARTUP, (p) => { api(p).startupProbe.initialDelaySeconds = 240; }, config)).to.deep.equal([]);
        expect(await check(STARTUP, () => undefined, config)).to.have.length(1);
    });

    it("uses Cloud Run's defaults for unset timing (period 10, threshold 3: a 30 s window)", async function () {
        const found = await check(STARTUP, (p) => { api(p).startupProbe = { httpGet: { path: "/healthz" } }; });
        expect(details(found)).to.deep.equal([
            "containers[0] (api): startup probe window initialDelaySeconds + failureThreshold × periodSeconds = 30s is shorter than the expected startup of 240s " +
            "(e.g. startupProbe: { httpGet: { path: \"/healthz\" }, initialDelaySeconds: 0, periodSeconds: 10, timeoutSeconds: 1, failureThreshold: 24 })",
        ]);
    });

    it("gives the standard advisory for unknown timing, and still decides a wrong port", async function () {
        const unknown = await check(STARTUP, (p) => { api(p).startupProbe.periodSeconds = UNKNOWN.number; });
        expect(unknown.map((d) => [d.cantRun, d.enforcementLevel])).to.deep.equal([[true, "advisory"]]);
        const decided = await check(STARTUP, (p) => { api(p).startupProbe.periodSeconds = UNKNOWN.number; api(p).startupProbe.httpGet.port = 9000; });
        expect(decided.map((d) => [d.cantRun, d.enforcementLevel])).to.deep.equal([[false, "mandatory"]]);
    });

    it("checks the container that declares ports, not a sidecar", async function () {
        expect(await check(STARTUP, (p) => { p.template.containers.push({ name: "otel", image: api(p).image }); })).to.deep.equal([]);
        const found = await check(STARTUP, (p) => {
            p.template.containers.unshift({ name: "otel", image: api(p).image, startupProbe: api(p).startupProbe });
            delete p.template.containers[1].startupProbe;
        });
        expect(found[0].detail).to.match(/^containers\[1\] \(api\) has no startup probe/);
    });

    it("leaves several containers none of which declares ports to cloudrun-service-valid-containers (reported once, there)", async function () {
        const noPorts = (p: Tree) => { delete api(p).ports; p.template.containers.push({ name: "otel", image: api(p).image }); };
        expect(await check(STARTUP, noPorts)).to.deep.equal([]);
        expect(details(await check("cloudrun-service-valid-containers", noPorts))).to.deep.equal([
            "cannot tell the ingress container: 2 containers and 0 declare ports: exactly one (the ingress container) must",
        ]);
    });

    it("checks v1 services, whose ports are a list", async function () {
        const props = goodV1Service();
        props.template.spec.containers[0].startupProbe = { tcpSocket: { port: 8080 }, periodSeconds: 10, failureThreshold: 24 };
        const found = ofPolicy(await analyzeResource({ type: T.v1Service, name: "v1", props }), STARTUP);
        expect(details(found)).to.deep.equal([
            "containers[0]: startup probe checks port 8080 but the container listens on 8000; remove the probe port or make them equal (a team check: Cloud Run accepts any port)",
        ]);
    });
});

describe("cloudrun-service-liveness-probe", function () {
    it("advises a liveness probe when there is none", async function () {
        const found = await check(LIVENESS, (p) => { delete api(p).livenessProbe; });
        expect(found.map((d) => d.enforcementLevel)).to.deep.equal(["advisory"]);
        expect(found[0].detail).to.match(/^containers\[0\] \(api\) has no liveness probe/);
    });

    it("accepts a TCP liveness probe (the provider accepts tcpSocket for liveness)", async function () {
        expect(await check(LIVENESS, (p) => { api(p).livenessProbe = { tcpSocket: { port: 8000 } }; })).to.deep.equal([]);
        expect(await check(VALID, (p) => { api(p).livenessProbe = { tcpSocket: { port: 8000 } }; })).to.deep.equal([]);
    });

    it("advises against a liveness port other than the container port", async function () {
        const found = await check(LIVENESS, (p) => { api(p).livenessProbe = { grpc: { port: 9090 } }; });
        expect(details(found)).to.deep.equal([
            "containers[0] (api): liveness probe checks port 9090 but the container listens on 8000; remove the probe port or make them equal " +
            "(a team check: Cloud Run accepts any port)",
        ]);
    });

    it("accepts an HTTP liveness probe", async function () {
        expect(await check(LIVENESS, () => undefined)).to.deep.equal([]);
    });
});

describe("cloudrun-service-valid-probes (Cloud Run's rules, every container)", function () {
    it("rejects timeoutSeconds above periodSeconds (the incident's proposed fix: timeout 480 / period 240)", async function () {
        const found = await check(VALID, (p) => { api(p).startupProbe = { httpGet: { path: "/healthz" }, timeoutSeconds: 480, periodSeconds: 240 }; });
        expect(details(found)).to.deep.equal(["containers[0] (api): startup probe timeoutSeconds 480 must be at most periodSeconds (240) (Cloud Run rejects it)"]);
    });

    it("does not call a long startup window a Cloud Run rejection on a service", async function () {
        expect(await check(VALID, (p) => { api(p).startupProbe = { httpGet: {}, periodSeconds: 240, timeoutSeconds: 5, failureThreshold: 10 }; })).to.deep.equal([]);
    });

    it("requires exactly one handler", async function () {
        const both = await check(VALID, (p) => { api(p).startupProbe.tcpSocket = { port: 8000 }; });
        expect(details(both)).to.deep.equal(["containers[0] (api): startup probe must set exactly one of httpGet, tcpSocket, grpc; found httpGet, tcpSocket"]);
        const none = await check(VALID, (p) => { delete api(p).startupProbe.httpGet; });
        expect(details(none)).to.deep.equal(["containers[0] (api): startup probe must set exactly one of httpGet, tcpSocket, grpc; found none"]);
    });

    it("reports timing that is not a number instead of guessing, without showing it", async function () {
        const found = await check(VALID, (p) => { api(p).startupProbe.periodSeconds = "10"; });
        expect(details(found)).to.deep.equal(["containers[0] (api): startup probe periodSeconds is not a number"]);
    });

    it("checks liveness bounds: initial delay and period up to 3600, timeout at most the period", async function () {
        expect(await check(VALID, (p) => { api(p).livenessProbe = { httpGet: {}, initialDelaySeconds: 3600, periodSeconds: 3600, timeoutSeconds: 60 }; })).to.deep.equal([]);
        expect(details(await check(VALID, (p) => { api(p).livenessProbe = { httpGet: {}, initialDelaySeconds: 3601, periodSeconds: 3601 }; }))).to.deep.equal([
            "containers[0] (api): liveness probe initialDelaySeconds 3601 is outside 0 to 3600 (Cloud Run rejects it)",
            "containers[0] (api): liveness probe periodSeconds 3601 is outside 1 to 3600 (Cloud Run rejects it)",
        ]);
    });

    it("an unknown initialDelaySeconds does not hide timeoutSeconds above periodSeconds", async function () {
        const found = await check(VALID, (p) => { api(p).livenessProbe = { httpGet: {}, initialDelaySeconds: UNKNOWN.number, periodSeconds: 5, timeoutSeconds: 10 }; });
        expect(found.map((d) => [d.cantRun, d.enforcementLevel, d.detail])).to.deep.equal([
            [false, "mandatory", "containers[0] (api): liveness probe timeoutSeconds 10 must be at most periodSeconds (5) (Cloud Run rejects it)"],
        ]);
        const unknownPeriod = await check(VALID, (p) => { api(p).livenessProbe = { httpGet: {}, periodSeconds: UNKNOWN.number, timeoutSeconds: 10 }; });
        expect(unknownPeriod.map((d) => [d.cantRun, d.enforcementLevel])).to.deep.equal([[true, "advisory"]]);
    });

    it("checks sidecars' probes too", async function () {
        const found = await check(VALID, (p) => {
            p.template.containers.push({ name: "proxy", image: api(p).image, startupProbe: { tcpSocket: {}, initialDelaySeconds: 300 } });
        });
        expect(details(found)).to.deep.equal(["containers[1] (proxy): startup probe initialDelaySeconds 300 is outside 0 to 240 (Cloud Run rejects it)"]);
    });

    it("requires a startup probe on a container another container depends on (v2 dependsOns)", async function () {
        const withProxy = (proxyProbe?: Tree) => (p: Tree) => {
            api(p).dependsOns = ["proxy"];
            p.template.containers.push({ name: "proxy", image: api(p).image, ...(proxyProbe ? { startupProbe: proxyProbe } : {}) });
        };
        expect(details(await check(VALID, withProxy()))).to.deep.equal([
            "containers[0] (api) depends on containers[1] (proxy), which has no startup probe; Cloud Run requires one on every container another container depends on",
        ]);
        expect(await check(VALID, withProxy({ tcpSocket: { port: 5432 } }))).to.deep.equal([]);
    });

    it("waits when the container named in dependsOn may be one whose name is not known yet", async function () {
        const found = await check(VALID, (p) => {
            api(p).dependsOns = ["proxy"];
            p.template.containers.push({ name: UNKNOWN.string, image: api(p).image });
        });
        expect(found.map((d) => [d.cantRun, d.enforcementLevel])).to.deep.equal([[true, "advisory"]]);
    });

    it("reads v1's container-dependencies annotation", async function () {
        const props = goodV1Service();
        props.template.spec.containers[0].name = "app";
        props.template.spec.containers.push({ name: "proxy", image: props.template.spec.containers[0].image });
        props.template.metadata.annotations["run.googleapis.com/container-dependencies"] = JSON.stringify({ app: ["proxy"] });
        expect(details(ofPolicy(await analyzeResource({ type: T.v1Service, name: "v1", props }), VALID))).to.deep.equal([
            "containers[0] (app) depends on containers[1] (proxy), which has no startup probe; Cloud Run requires one on every container another container depends on",
        ]);
    });

    it("checks a job's startup probe bounds", async function () {
        const job = { type: T.v2Job, name: "j", props: { template: { template: { containers: [{ image: "i", startupProbe: { tcpSocket: {}, periodSeconds: 300 } }] } } } };
        expect(details(ofPolicy(await analyzeResource(job), VALID))).to.deep.equal([
            "containers[0]: startup probe periodSeconds 300 is outside 1 to 240 (Cloud Run rejects it)",
        ]);
    });
});
