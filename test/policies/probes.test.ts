/** cloudrun-service-startup-probe and cloudrun-service-liveness-probe. */
import { expect } from "chai";
import { T, Tree, UNKNOWN, analyzeResource, checkV2Service, goodV1Service, ofPolicy } from "../helpers/policy-harness";

const STARTUP = "cloudrun-service-startup-probe";
const LIVENESS = "cloudrun-service-liveness-probe";

const check = checkV2Service;

const api = (props: Tree) => props.template.containers[0];
const details = (found: { detail: string }[]) => found.map((d) => d.detail);

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

    it("rejects timeoutSeconds above periodSeconds and a window over 240 s (timeout 480 / period 240)", async function () {
        const found = await check(STARTUP, (p) => { api(p).startupProbe = { httpGet: { path: "/healthz" }, timeoutSeconds: 480, periodSeconds: 240 }; });
        expect(details(found)).to.deep.equal([
            "containers[0] (api): startup probe timeoutSeconds 480 must be 1 to periodSeconds (240) (Cloud Run rejects it)",
            "containers[0] (api): startup probe failureThreshold × periodSeconds = 720s exceeds 240s; use a shorter period or add initialDelaySeconds instead (Cloud Run rejects it)",
        ]);
    });

    it("requires exactly one handler", async function () {
        const both = await check(STARTUP, (p) => { api(p).startupProbe.tcpSocket = { port: 8000 }; });
        expect(details(both)).to.deep.equal(["containers[0] (api): startup probe must set exactly one of httpGet, tcpSocket, grpc; found httpGet, tcpSocket"]);
        const none = await check(STARTUP, (p) => { delete api(p).startupProbe.httpGet; });
        expect(details(none)).to.deep.equal(["containers[0] (api): startup probe must set exactly one of httpGet, tcpSocket, grpc; found none"]);
    });

    it("rejects a probe port other than the container port", async function () {
        const found = await check(STARTUP, (p) => { api(p).startupProbe.httpGet.port = 8080; });
        expect(details(found)).to.deep.equal([
            "containers[0] (api): startup probe checks port 8080 but the container listens on 8000; remove the probe port or make them equal",
        ]);
    });

    it("accepts a probe port equal to the container port, or to the default 8080 when ports are unset", async function () {
        expect(await check(STARTUP, (p) => { api(p).startupProbe.httpGet.port = 8000; })).to.deep.equal([]);
        expect(await check(STARTUP, (p) => { delete api(p).ports; api(p).startupProbe = { tcpSocket: { port: 8080 }, periodSeconds: 10, failureThreshold: 24 }; }))
            .to.deep.equal([]);
    });

    it("requires failureThreshold of at least minFailureThreshold", async function () {
        const found = await check(STARTUP, (p) => { api(p).startupProbe = { grpc: {}, initialDelaySeconds: 0, periodSeconds: 240, timeoutSeconds: 5, failureThreshold: 1 }; });
        expect(details(found)).to.deep.equal([
            "containers[0] (api): startup probe failureThreshold 1 is below 2: one slow check would kill the revision",
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

    it("reports timing that is not a number instead of guessing", async function () {
        const found = await check(STARTUP, (p) => { api(p).startupProbe.periodSeconds = "10"; });
        expect(details(found)).to.deep.equal(["containers[0] (api): startup probe periodSeconds \"10\" is not a number"]);
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

    it("rejects several containers none of which declares ports", async function () {
        const found = await check(STARTUP, (p) => { delete api(p).ports; p.template.containers.push({ name: "otel", image: api(p).image }); });
        expect(details(found)).to.deep.equal([
            "cannot find the serving container: 2 containers and 0 declare ports: exactly one (the serving container) must",
        ]);
    });

    it("checks v1 services, whose ports are a list", async function () {
        const props = goodV1Service();
        props.template.spec.containers[0].startupProbe = { tcpSocket: { port: 8080 }, periodSeconds: 10, failureThreshold: 24 };
        const found = ofPolicy(await analyzeResource({ type: T.v1Service, name: "v1", props }), STARTUP);
        expect(details(found)).to.deep.equal([
            "containers[0]: startup probe checks port 8080 but the container listens on 8000; remove the probe port or make them equal",
        ]);
    });
});

describe("cloudrun-service-liveness-probe", function () {
    it("advises a liveness probe when there is none", async function () {
        const found = await check(LIVENESS, (p) => { delete api(p).livenessProbe; });
        expect(found.map((d) => d.enforcementLevel)).to.deep.equal(["advisory"]);
        expect(found[0].detail).to.match(/^containers\[0\] \(api\) has no liveness probe/);
    });

    it("advises HTTP or gRPC instead of TCP", async function () {
        const found = await check(LIVENESS, (p) => { api(p).livenessProbe = { tcpSocket: { port: 8000 } }; });
        expect(details(found)).to.deep.equal(["containers[0] (api): liveness probe must set exactly one of httpGet, grpc; found none"]);
    });

    it("advises against a liveness port other than the container port", async function () {
        const found = await check(LIVENESS, (p) => { api(p).livenessProbe = { grpc: { port: 9090 } }; });
        expect(details(found)).to.deep.equal([
            "containers[0] (api): liveness probe checks port 9090 but the container listens on 8000; remove the probe port or make them equal",
        ]);
    });

    it("accepts an HTTP liveness probe", async function () {
        expect(await check(LIVENESS, () => undefined)).to.deep.equal([]);
    });
});
