/** Config keys found in a stack file, so a violation points at the line the user edits (issue 11, problem 1). */
import { expect } from "chai";
import * as fs from "fs";
import * as path from "path";
import { StackFileLocator, splitConfigKey } from "../../tools/check/config-locations";

const STAGING = fs.readFileSync(path.resolve(__dirname, "../../Pulumi.staging.yaml"), "utf8");
const lineOf = (text: string, pattern: RegExp) => text.split("\n").findIndex((l) => pattern.test(l)) + 1;

describe("stack config key locations", function () {
    const locator = new StackFileLocator(STAGING, "cloudrun-staging");

    it("finds nested keys, list items and namespaced top-level keys in Pulumi.staging.yaml", function () {
        expect(locator.locate("cloudrun-staging:service.resources.cpu")).to.deep.equal({ line: lineOf(STAGING, /^\s+cpu: "2"/), column: 7, exact: true });
        expect(locator.locate("cloudrun-staging:service.requestTimeoutSeconds")?.line).to.equal(lineOf(STAGING, /requestTimeoutSeconds:/));
        expect(locator.locate("cloudrun-staging:service.invokers[0]")?.line).to.equal(lineOf(STAGING, /- serviceAccount:api-gateway/));
        expect(locator.locate("cloudrun-staging:vpc.createConnector.ipCidrRange")?.line).to.equal(lineOf(STAGING, /ipCidrRange:/));
        expect(locator.locate("cloudrun-staging:secrets.DATABASE_URL")?.line).to.equal(lineOf(STAGING, /^\s+DATABASE_URL:/));
        expect(locator.locate("gcp:region")).to.deep.equal({ line: lineOf(STAGING, /gcp:region/), column: 3, exact: true });
    });

    it("places a key the file leaves to its default at its nearest written parent, marked inexact", function () {
        expect(locator.locate("cloudrun-staging:service.runtimeServiceAccountId")).to.deep.equal({
            line: lineOf(STAGING, /cloudrun-staging:service:/), column: 3, exact: false,
        });
        expect(locator.locate("cloudrun-staging:nothing.here")).to.equal(undefined);
    });

    it("reads the project's own keys written without their namespace", function () {
        const bare = "config:\n  service:\n    resources:\n      cpu: 1\n";
        expect(new StackFileLocator(bare, "cloudrun-staging").locate("cloudrun-staging:service.resources.cpu")).to.deep.equal({ line: 4, column: 7, exact: true });
    });

    it("splits a key into its top-level key and steps", function () {
        expect(splitConfigKey("cloudrun-staging:service.invokers[1].x")).to.deep.equal({ top: "cloudrun-staging:service", steps: ["invokers", 1, "x"] });
        expect(splitConfigKey("gcp:project")).to.deep.equal({ top: "gcp:project", steps: [] });
    });
});
