/** The pack's shared helpers: the safe property reader, env value tests, references and config merging. */
import { expect } from "chai";
import { createRequire } from "module";
import * as path from "path";
import { definePolicyConfig } from "../../policies/lib/config";
import { connectorRefsMatch, parseConnectorRef } from "../../policies/lib/connector-refs";
import { cloudSqlSocketSslParam, credentialSuffixOf, hasUrlPassword, loopbackHostIn } from "../../policies/lib/env-values";
import { reportFindings, needsKnown, problem } from "../../policies/lib/findings";
import {
    asBoolean, asList, asNumber, asObject, asString, at, entriesOf, firstUnknownWithin, isAbsent, isUnknown, pathText, rootOf, unknownValueError,
} from "../../policies/lib/props";
import { locationsCompatible, projectsCompatible } from "../../policies/lib/stack-graph";
import { POLICIES_DIR, UNKNOWN } from "../helpers/policy-harness";

const proxyModule = createRequire(path.join(POLICIES_DIR, "package.json"))("@pulumi/policy/proxy") as {
    unknownCheckingProxy(value: unknown): Record<string, unknown>;
    UnknownValueError: new (...args: never[]) => Error;
};

describe("lib/props (safe reader)", function () {
    const raw = { template: { timeout: UNKNOWN.string, containers: [{ image: "x", port: 8000, on: true }], list: UNKNOWN.array }, nil: null };

    it("unwraps the policy proxy without tripping its unknown check", function () {
        const proxied = proxyModule.unknownCheckingProxy(raw);
        expect(() => (proxied.template as Record<string, unknown>).timeout).to.throw(proxyModule.UnknownValueError);
        const root = rootOf(proxied);
        expect(root.value).to.equal(raw);
        expect(isUnknown(at(root, "template", "timeout"))).to.equal(true);
    });

    it("walks keys and indexes, stopping at an unknown with its path", function () {
        const root = rootOf(raw);
        expect(asString(at(root, "template", "containers", 0, "image"))).to.equal("x");
        const below = at(root, "template", "list", 3, "name");
        expect(isUnknown(below)).to.equal(true);
        expect(below.path).to.deep.equal(["template", "list"]);
        expect(pathText(at(root, "template", "containers", 0, "image"))).to.equal("template.containers[0].image");
    });

    it("returns undefined for missing, null, wrong types and unknowns", function () {
        const root = rootOf(raw);
        const image = at(root, "template", "containers", 0, "image");
        const port = at(root, "template", "containers", 0, "port");
        expect([asNumber(image), asBoolean(image), asObject(image), asList(image)]).to.deep.equal([undefined, undefined, undefined, undefined]);
        expect(asString(port)).to.equal(undefined);
        expect(asString(at(root, "template", "timeout"))).to.equal(undefined);
        expect(isAbsent(at(root, "nil"))).to.equal(true);
        expect(isAbsent(at(root, "nil", "deeper", 2))).to.equal(true);
        expect(asNumber({ value: Number.NaN, path: [] })).to.equal(undefined);
        expect(entriesOf(at(root, "template", "containers")).length).to.equal(0);
        expect(at(rootOf("text"), "length").value).to.equal(undefined);
    });

    it("finds the first unknown anywhere below a node", function () {
        expect(firstUnknownWithin(rootOf(raw))?.path).to.deep.equal(["template", "timeout"]);
        expect(firstUnknownWithin(rootOf({ a: [1, { b: 2 }] }))).to.equal(undefined);
    });

    it("makes the package's own UnknownValueError, which the server recognises", function () {
        const error = unknownValueError(at(rootOf(raw), "template", "timeout"));
        expect(error).to.be.instanceOf(proxyModule.UnknownValueError);
        expect(error.message).to.equal("string value at .template.timeout can't be known during preview");
    });
});

describe("lib/findings", function () {
    it("reports problems and does not throw when something is also unknown", function () {
        const reported: string[] = [];
        reportFindings([needsKnown(at(rootOf({ a: UNKNOWN.number }), "a")), problem("bad")], (m) => reported.push(m));
        expect(reported).to.deep.equal(["bad"]);
    });

    it("throws UnknownValueError only when nothing known is wrong", function () {
        expect(() => reportFindings([needsKnown(at(rootOf({ a: UNKNOWN.number }), "a"))], () => undefined)).to.throw(proxyModule.UnknownValueError);
        expect(() => reportFindings([], () => undefined)).not.to.throw();
    });
});

describe("lib/env-values", function () {
    it("finds loopback hosts as whole tokens only", function () {
        expect(["redis://localhost:6379", "127.0.0.1", "http://[::1]:80", "host=localhost", "amqp://u@LOCALHOST/"].map(loopbackHostIn))
            .to.deep.equal(["localhost", "127.0.0.1", "::1", "localhost", "LOCALHOST"]);
        expect(["mylocalhost", "localhost.example.com", "10.0.0.1", "fe80::1", "127.0.0.1.nip.io"].map(loopbackHostIn))
            .to.deep.equal([undefined, undefined, undefined, undefined, undefined]);
    });

    it("detects and masks passwords", function () {
        expect(hasUrlPassword("redis://:pw@10.0.0.2:6379")).to.equal(true);
        expect(hasUrlPassword("https://user@host/")).to.equal(false);
    });

    it("spots SSL parameters only on Cloud SQL socket URLs", function () {
        expect(cloudSqlSocketSslParam("postgres://u@/db?host=/cloudsql/p:r:i&sslmode=disable")).to.equal("sslmode");
        expect(cloudSqlSocketSslParam("host=/cloudsql/p:r:i dbname=x ssl=true")).to.equal("ssl");
        expect(cloudSqlSocketSslParam("postgres://10.0.0.3/db?sslmode=require")).to.equal(undefined);
    });

    it("matches credential suffixes case-insensitively and ignores bad config items", function () {
        expect(credentialSuffixOf("db_password", ["_PASSWORD"])).to.equal("_PASSWORD");
        expect(credentialSuffixOf("PASSWORD_FILE", ["_PASSWORD", 3, ""])).to.equal(undefined);
    });
});

describe("references and config", function () {
    it("parses connector references", function () {
        expect(parseConnectorRef("projects/acme-prod/locations/europe-west1/connectors/cx")).to.deep.equal({ project: "acme-prod", region: "europe-west1", name: "cx" });
        expect(parseConnectorRef("cx")).to.deep.equal({ name: "cx" });
        // Only well-formed parts parse, so a parsed reference is safe to show.
        expect([parseConnectorRef("a/b"), parseConnectorRef(""), parseConnectorRef(3), parseConnectorRef("Not A Name!"),
            parseConnectorRef("projects/<x y>/locations/europe-west1/connectors/cx")]).to.deep.equal([undefined, undefined, undefined, undefined, undefined]);
        expect(connectorRefsMatch({ name: "n", region: "r" }, { name: "n", project: "p" })).to.equal(true);
        expect(connectorRefsMatch({ name: "n", region: "r" }, { name: "n", region: "s" })).to.equal(false);
    });

    it("compares projects only when both are known and of the same form", function () {
        expect(projectsCompatible("acme", "acme")).to.equal(true);
        expect(projectsCompatible("acme", "other")).to.equal(false);
        expect(projectsCompatible("acme", "123456")).to.equal(true);
        expect(projectsCompatible(undefined, "acme")).to.equal(true);
        expect(locationsCompatible("europe-west1", "us-central1")).to.equal(false);
    });

    it("merges config over defaults and refuses, naming the policy and key, a value that breaks the schema", function () {
        const config = definePolicyConfig("demo-policy", {
            min: { type: "number", default: 2, exclusiveMinimum: 0, maximum: 8, description: "" },
            names: { type: "array", items: { type: "string", minLength: 1 }, default: ["A"], description: "" },
            on: { type: "boolean", default: true, description: "" },
        }, (cfg) => (cfg.names.includes("B") ? ["names: B is not allowed"] : []));
        const read = (given: object) => config.read({ getConfig: <T extends object>() => given as T });
        expect(read({})).to.deep.equal({ min: 2, names: ["A"], on: true });
        expect(read({ min: 4, names: [], on: false, extra: 1 })).to.deep.equal({ min: 4, names: [], on: false });
        expect(() => read({ min: "4", names: "A" })).to.throw("invalid policy config for demo-policy: min must be a number; names must be an array");
        expect(() => read({ min: Number.POSITIVE_INFINITY })).to.throw("demo-policy: min must be a number");
        expect(() => read({ min: 0 })).to.throw("min must be greater than 0");
        expect(() => read({ min: 9 })).to.throw("min must be at most 8");
        expect(() => read({ names: [""] })).to.throw("names[0] must be at least 1 characters");
        expect(() => read({ names: ["B"] })).to.throw("names: B is not allowed");
        expect(config.schema.properties.min.default).to.equal(2);
    });
});
