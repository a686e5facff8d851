/** cloudrun-secret-refs-resolve and cloudrun-secret-accessor-grants (stack policies). */
import { expect } from "chai";
import {
    ACCESSOR_ROLE, GCP_PROJECT, PackConfig, RUNTIME_SA, T, TestResource, UNKNOWN, analyzeStack, goodV1Service, ofPolicy, stagingStack, urnOf,
} from "../helpers/policy-harness";

const RESOLVE = "cloudrun-secret-refs-resolve";
const GRANTS = "cloudrun-secret-accessor-grants";
const SERVICE_URN = urnOf(T.v2Service, "backend");

async function check(policy: string, stack: TestResource[], config: PackConfig = {}) {
    return ofPolicy(await analyzeStack(stack, config), policy);
}

const details = (found: { detail: string }[]) => found.map((d) => d.detail);
const serviceOf = (stack: TestResource[]) => stack.find((r) => r.type === T.v2Service)!;
const grantsOf = (stack: TestResource[]) => stack.filter((r) => r.type === T.secretIamMember);

describe("cloudrun-secret-refs-resolve", function () {
    it("accepts secrets created in the stack", async function () {
        expect(await check(RESOLVE, stagingStack())).to.deep.equal([]);
    });

    it("rejects a secret the stack does not create, on the service", async function () {
        const found = await check(RESOLVE, stagingStack({ withoutSecretFor: ["REDIS_URL"] }));
        expect(found.map((d) => [d.enforcementLevel, d.urn])).to.deep.equal([["mandatory", SERVICE_URN]]);
        expect(found[0].detail).to.equal("containers[0] (api) env REDIS_URL reads secret backend-redis-url, which is neither a " +
            "Secret Manager secret in this stack nor listed in externalSecrets; create it in the stack or list it");
    });

    it("accepts a secret listed in externalSecrets, bare or by path", async function () {
        const stack = () => stagingStack({ withoutSecretFor: ["REDIS_URL"] });
        expect(await check(RESOLVE, stack(), { [RESOLVE]: { externalSecrets: ["backend-redis-url"] } })).to.deep.equal([]);
        expect(await check(RESOLVE, stack(), { [RESOLVE]: { externalSecrets: [`projects/${GCP_PROJECT}/secrets/backend-redis-url`] } })).to.deep.equal([]);
        expect(await check(RESOLVE, stack(), { [RESOLVE]: { externalSecrets: ["projects/other/secrets/backend-redis-url"] } })).to.have.length(1);
    });

    it("matches references by path, including the project", async function () {
        const byPath = (project: string) => stagingStack({ service: (p) => {
            p.template.containers[0].envs[0].valueSource.secretKeyRef.secret = `projects/${project}/secrets/backend-database-url`;
        } });
        expect(await check(RESOLVE, byPath(GCP_PROJECT))).to.deep.equal([]);
        expect(await check(RESOLVE, byPath("another-project"))).to.have.length(1);
    });

    it("rejects a reference that is not a secret name", async function () {
        const found = await check(RESOLVE, stagingStack({ service: (p) => { p.template.containers[0].envs[0].valueSource.secretKeyRef.secret = ""; } }));
        expect(details(found)).to.deep.equal(["containers[0] (api) env DATABASE_URL: the secret reference is not a secret id or projects/<p>/secrets/<id>"]);
    });

    it("checks secrets mounted as volumes", async function () {
        const found = await check(RESOLVE, stagingStack({ service: (p) => { p.template.volumes = [{ name: "cfg", secret: { secret: "backend-config" } }]; } }));
        expect(found[0].detail).to.match(/^volumes\[0\] reads secret backend-config/);
    });

    it("resolves references unknown in preview through the template's dependencies, and says so when it cannot", async function () {
        expect(await check(RESOLVE, stagingStack({ freshPreview: true }))).to.deep.equal([]);
        const stack = stagingStack({ freshPreview: true });
        serviceOf(stack).propertyDependencies = { template: [] };
        const found = await check(RESOLVE, stack);
        expect(found.map((d) => [d.cantRun, d.enforcementLevel])).to.deep.equal([[false, "mandatory"]]);
        expect(found[0].detail).to.match(/^could not verify the secret references at containers\[0\] \(api\) env DATABASE_URL/);
    });

    it("checks v1 services and their secret aliases", async function () {
        const v1 = goodV1Service();
        v1.template.metadata.annotations["run.googleapis.com/secrets"] = `db:projects/${GCP_PROJECT}/secrets/backend-database-url`;
        v1.template.spec.containers[0].envs[0].valueFrom.secretKeyRef.name = "db";
        expect(await check(RESOLVE, [...stagingStack(), { type: T.v1Service, name: "v1", props: v1 }])).to.deep.equal([]);
        v1.template.spec.containers[0].envs[1].valueFrom.secretKeyRef.name = "nope";
        expect(await check(RESOLVE, [...stagingStack(), { type: T.v1Service, name: "v1", props: v1 }])).to.have.length(1);
    });
});

describe("cloudrun-secret-accessor-grants", function () {
    it("accepts a runtime service account granted every secret", async function () {
        expect(await check(GRANTS, stagingStack())).to.deep.equal([]);
    });

    it("rejects a secret without a grant, naming the secret and the service account", async function () {
        const found = await check(GRANTS, stagingStack({ withoutGrantFor: ["CLICKHOUSE_URL"] }));
        expect(found.map((d) => [d.enforcementLevel, d.urn])).to.deep.equal([["mandatory", SERVICE_URN]]);
        expect(found[0].detail).to.match(new RegExp(`^${RUNTIME_SA.replace(/\./g, "\\.")} \\(the service's runtime service account\\) has no ` +
            "roles/secretmanager\\.secretAccessor on secret backend-clickhouse-url"));
    });

    it("rejects grants with another role or to another member", async function () {
        const wrongRole = stagingStack();
        grantsOf(wrongRole)[0].props.role = "roles/secretmanager.viewer";
        expect(await check(GRANTS, wrongRole)).to.have.length(1);
        const wrongMember = stagingStack();
        grantsOf(wrongMember)[1].props.member = `serviceAccount:someone-else@${GCP_PROJECT}.iam.gserviceaccount.com`;
        expect(await check(GRANTS, wrongMember)).to.have.length(1);
    });

    it("accepts a SecretIamBinding whose members include the service account", async function () {
        const stack = stagingStack({ withoutGrantFor: ["DATABASE_URL"] });
        stack.push({ type: T.secretIamBinding, name: "db-binding", props: { secretId: "backend-database-url", role: ACCESSOR_ROLE, members: ["group:x@acme.dev", `serviceAccount:${RUNTIME_SA}`] } });
        expect(await check(GRANTS, stack)).to.deep.equal([]);
    });

    it("accepts grants declared in externalGrants", async function () {
        const stack = () => stagingStack({ withoutGrantFor: ["DATABASE_URL", "REDIS_URL"] });
        expect(await check(GRANTS, stack(), { [GRANTS]: { externalGrants: [{ secret: "*", member: `serviceAccount:${RUNTIME_SA}` }] } })).to.deep.equal([]);
        expect(await check(GRANTS, stack(), { [GRANTS]: { externalGrants: [{ secret: "backend-database-url", member: "*" }] } })).to.have.length(1);
    });

    it("holds the default compute service account to the same rule when serviceAccount is unset", async function () {
        const found = await check(GRANTS, stagingStack({ service: (p) => { delete p.template.serviceAccount; } }));
        expect(found).to.have.length(3);
        expect(found[0].detail).to.match(/^the default compute service account \(the service's runtime service account\) has no/);
    });

    it("gives a verdict in a fresh-stack preview where ids, email and members are unknown", async function () {
        const good = await check(GRANTS, stagingStack({ freshPreview: true }));
        expect(good).to.deep.equal([]);
        const missing = await check(GRANTS, stagingStack({ freshPreview: true, withoutGrantFor: ["REDIS_URL"] }));
        expect(missing.map((d) => [d.cantRun, d.enforcementLevel])).to.deep.equal([[false, "mandatory"]]);
        expect(missing[0].detail).to.match(/^Account backend-runtime \(the service's runtime service account\) has no roles\/secretmanager\.secretAccessor on secret backend-redis-url/);
    });

    it("matches a known service account email to a grant whose member is an unknown Account output", async function () {
        const stack = stagingStack();
        for (const grant of grantsOf(stack)) {
            grant.props.member = UNKNOWN.string;
        }
        stack[0].props.email = UNKNOWN.string; // email derived from accountId and project
        expect(await check(GRANTS, stack)).to.deep.equal([]);
    });

    it("says it could not verify when the runtime service account cannot be traced", async function () {
        const stack = stagingStack({ freshPreview: true });
        const service = serviceOf(stack);
        service.propertyDependencies = { template: service.propertyDependencies!.template.filter((u) => !u.includes(T.account)) };
        const found = await check(GRANTS, stack);
        expect(found.map((d) => [d.cantRun, d.enforcementLevel])).to.deep.equal([[false, "mandatory"]]);
        expect(found[0].detail).to.match(/^could not verify access to backend-database-url, backend-redis-url, backend-clickhouse-url: the runtime service account is not known/);
    });

    it("requires grants for every candidate when the template depends on several accounts", async function () {
        const stack = stagingStack({ freshPreview: true });
        const other: TestResource = { type: T.account, name: "deployer", props: { accountId: "deployer", email: UNKNOWN.string } };
        stack.unshift(other);
        serviceOf(stack).propertyDependencies!.template.push(urnOf(T.account, "deployer"));
        const found = await check(GRANTS, stack);
        expect(found).to.have.length(3);
        expect(found.every((d) => d.detail.startsWith("Account deployer"))).to.equal(true);
    });
});
