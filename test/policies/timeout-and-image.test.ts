/** cloudrun-service-request-timeout and cloudrun-service-image-digest. */
import { expect } from "chai";
import { DIGEST_IMAGE, T, UNKNOWN, analyzeResource, checkV2Service, goodV1Service, ofPolicy } from "../helpers/policy-harness";

const TIMEOUT = "cloudrun-service-request-timeout";
const IMAGE = "cloudrun-service-image-digest";

const check = checkV2Service;

const details = (found: { detail: string }[]) => found.map((d) => d.detail);

describe("cloudrun-service-request-timeout", function () {
    it("rejects an unset timeout as Cloud Run's 300 s default", async function () {
        const found = await check(TIMEOUT, (p) => { delete p.template.timeout; });
        expect(found.map((d) => d.enforcementLevel)).to.deep.equal(["mandatory"]);
        expect(found[0].detail).to.equal("request timeout is unset, so Cloud Run's default of 300s applies, below the team minimum 600s; " +
            "set template.timeout to between 600 and 3600 seconds, e.g. \"600s\"");
    });

    it("accepts an unset timeout when the team minimum is at most Cloud Run's 300 s default (the generic profile)", async function () {
        expect(await check(TIMEOUT, (p) => { delete p.template.timeout; }, { [TIMEOUT]: { minSeconds: 1 } })).to.deep.equal([]);
        expect(await check(TIMEOUT, (p) => { p.template.timeout = "3601s"; }, { [TIMEOUT]: { minSeconds: 1 } })).to.have.length(1);
    });

    it("rejects \"300s\" and accepts the bounds 600s and 3600s", async function () {
        expect(details(await check(TIMEOUT, (p) => { p.template.timeout = "300s"; }))).to.deep.equal([
            "request timeout 300s is outside the team range 600-3600s; set template.timeout to between 600 and 3600 seconds, e.g. \"600s\"",
        ]);
        expect(await check(TIMEOUT, (p) => { p.template.timeout = "600s"; })).to.deep.equal([]);
        expect(await check(TIMEOUT, (p) => { p.template.timeout = "3600s"; })).to.deep.equal([]);
    });

    it("rejects more than Cloud Run's maximum, and refuses a config that would allow it", async function () {
        expect(details(await check(TIMEOUT, (p) => { p.template.timeout = "3601s"; }))).to.deep.equal([
            "request timeout 3601s is above Cloud Run's maximum of 3600s (Cloud Run rejects it); set template.timeout to between 600 and 3600 seconds, e.g. \"600s\"",
        ]);
        let error: Error | undefined;
        await check(TIMEOUT, () => undefined, { [TIMEOUT]: { maxSeconds: 7200 } }).catch((e: Error) => { error = e; });
        expect(error?.message).to.contain("invalid policy config for cloudrun-service-request-timeout: maxSeconds must be at most 3600");
    });

    it("rejects a value that is not a Duration string", async function () {
        const found = details(await check(TIMEOUT, (p) => { p.template.timeout = "10m"; }));
        expect(found[0]).to.match(/^request timeout is not a duration Cloud Run accepts \(a string such as "600s"\)/);
        expect(found[0]).not.to.contain("10m");
    });

    it("takes the range from config", async function () {
        expect(await check(TIMEOUT, (p) => { p.template.timeout = "300s"; }, { [TIMEOUT]: { minSeconds: 300 } })).to.deep.equal([]);
        expect(await check(TIMEOUT, () => undefined, { [TIMEOUT]: { maxSeconds: 600 } })).to.have.length(1);
    });

    it("reads v1 timeoutSeconds", async function () {
        const props = goodV1Service();
        props.template.spec.timeoutSeconds = 300;
        const found = ofPolicy(await analyzeResource({ type: T.v1Service, name: "v1", props }), TIMEOUT);
        expect(details(found)).to.deep.equal([
            "request timeout 300s is outside the team range 600-3600s; set template.spec.timeoutSeconds to between 600 and 3600 seconds, e.g. 600",
        ]);
    });

    it("gives the standard advisory when the timeout is unknown", async function () {
        const found = await check(TIMEOUT, (p) => { p.template.timeout = UNKNOWN.string; });
        expect(found.map((d) => [d.cantRun, d.enforcementLevel])).to.deep.equal([[true, "advisory"]]);
        expect(found[0].message).to.contain("string value at .template.timeout can't be known during preview");
    });
});

describe("cloudrun-service-image-digest", function () {
    it("rejects a tag", async function () {
        const found = await check(IMAGE, (p) => { p.template.containers[0].image = "europe-west1-docker.pkg.dev/p/backend/api:latest"; });
        expect(found.map((d) => d.enforcementLevel)).to.deep.equal(["mandatory"]);
        expect(found[0].detail).to.equal("containers[0] (api): the image is not pinned by digest (a tag or a bare name); " +
            "use <registry>/<repo>@sha256:<64 hex> (e.g. the docker Image's repoDigest output)");
    });

    it("accepts a digest, with or without a tag in front", async function () {
        expect(await check(IMAGE, () => undefined)).to.deep.equal([]);
        expect(await check(IMAGE, (p) => { p.template.containers[0].image = DIGEST_IMAGE.replace("@", ":v1@"); })).to.deep.equal([]);
    });

    it("rejects a truncated or upper-case digest", async function () {
        expect(await check(IMAGE, (p) => { p.template.containers[0].image = DIGEST_IMAGE.slice(0, -1); })).to.have.length(1);
        expect(await check(IMAGE, (p) => { p.template.containers[0].image = DIGEST_IMAGE.toUpperCase(); })).to.have.length(1);
    });

    it("checks jobs and worker pools too, and does not apply the request timeout to them", async function () {
        for (const [type, props] of [
            [T.v2Job, { template: { template: { containers: [{ image: "migrate:latest" }] } } }],
            [T.v2WorkerPool, { template: { containers: [{ image: "worker:latest" }] } }],
        ] as const) {
            const found = await analyzeResource({ type, name: "w", props });
            expect(ofPolicy(found, IMAGE), type).to.have.length(1);
            expect(ofPolicy(found, TIMEOUT), type).to.deep.equal([]);
        }
    });

    it("checks every container", async function () {
        const found = await check(IMAGE, (p) => { p.template.containers.push({ name: "otel", image: "otel/collector:0.98" }); });
        expect(details(found)).to.have.length(1);
        expect(found[0].detail).to.match(/^containers\[1\] \(otel\)/);
    });

    it("leaves an image not known yet (built in the same preview) to the stack (cloudrun-identity-and-image-from-stack), but advises on an unknown container", async function () {
        expect(await check(IMAGE, (p) => { p.template.containers[0].image = UNKNOWN.string; })).to.deep.equal([]);
        const found = await check(IMAGE, (p) => { p.template.containers[0] = UNKNOWN.object; });
        expect(found.map((d) => [d.cantRun, d.enforcementLevel])).to.deep.equal([[true, "advisory"]]);
    });
});
