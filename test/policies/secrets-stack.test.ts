/** cloudrun-secret-refs-resolve and cloudrun-secret-accessor-grants (stack policies). */
import { expect } from "chai";
import {
    ACCESSOR_ROLE, GCP_PROJECT, PackConfig, REGION, RUNTIME_SA, T, TestResource, Tree, UNKNOWN, analyzeStack, goodV1Service, ofPolicy, stagingStack, urnOf,
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

    it("resolves references unknown in preview through the template's dependencies, and advises (no guessed verdict) when it cannot", async function () {
        expect(await check(RESOLVE, stagingStack({ freshPreview: true }))).to.deep.equal([]);
        const stack = stagingStack({ freshPreview: true });
        serviceOf(stack).propertyDependencies = { template: [] };
        const found = await check(RESOLVE, stack);
        expect(found.map((d) => [d.cantRun, d.enforcementLevel])).to.deep.equal([[true, "advisory"]]);
        expect(found[0].message).to.contain("template.containers.0.envs.0.valueSource.secretKeyRef.secret can't be known during preview");
    });

    it("still reports what it can decide when another reference is not known yet", async function () {
        const stack = stagingStack({ freshPreview: true, withoutSecretFor: ["REDIS_URL"], service: (p) => {
            p.template.containers[0].envs[1].valueSource.secretKeyRef.secret = "backend-redis-url";
        } });
        serviceOf(stack).propertyDependencies = { template: [] };
        const found = await check(RESOLVE, stack);
        expect(found.map((d) => [d.cantRun, d.enforcementLevel])).to.deep.equal([[false, "mandatory"], [true, "advisory"]]);
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

    it("reports a secret read several times once, the first reference as written, and another project's secret apart", async function () {
        const stack = stagingStack({ withoutGrantFor: ["DATABASE_URL"], service: (p) => {
            const envs = p.template.containers[0].envs;
            const byPath = (name: string, project: string) => ({ name, valueSource: { secretKeyRef: { secret: `projects/${project}/secrets/backend-database-url`, version: "1" } } });
            envs.push(byPath("DATABASE_URL_AGAIN", GCP_PROJECT), byPath("OTHER_PROJECT_DB", "another-project"), byPath("DATABASE_URL_THIRD", GCP_PROJECT));
        } });
        const found = details(await check(GRANTS, stack)).map((d) => d.replace(/; add a SecretIamMember.*$/, ""));
        expect(found).to.deep.equal([
            `${RUNTIME_SA} (the service's runtime service account) has no ${ACCESSOR_ROLE} on secret backend-database-url`,
            `${RUNTIME_SA} (the service's runtime service account) has no ${ACCESSOR_ROLE} on secret projects/another-project/secrets/backend-database-url`,
        ]);
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

    it("advises (no guessed verdict) when the runtime service account cannot be traced", async function () {
        const stack = stagingStack({ freshPreview: true });
        const service = serviceOf(stack);
        service.propertyDependencies = { template: service.propertyDependencies!.template.filter((u) => !u.includes(T.account)) };
        const found = await check(GRANTS, stack);
        expect(found.map((d) => [d.cantRun, d.enforcementLevel])).to.deep.equal([[true, "advisory"]]);
        expect(found[0].message).to.contain("template.serviceAccount can't be known during preview");
    });

    it("when the template depends on several accounts, rejects only a secret none of them can read", async function () {
        const stack = stagingStack({ freshPreview: true, withoutGrantFor: ["REDIS_URL"] });
        const other: TestResource = { type: T.account, name: "deployer", props: { accountId: "deployer", email: UNKNOWN.string } };
        stack.unshift(other);
        serviceOf(stack).propertyDependencies!.template.push(urnOf(T.account, "deployer"));
        const found = await check(GRANTS, stack);
        expect(details(found)).to.have.length(1);
        expect(found[0].detail).to.match(/^Account deployer or Account backend-runtime \(the service's runtime service account\) has no .* on secret backend-redis-url/);
    });

    describe("every IAM form that can grant access", function () {
        const withoutDbGrant = () => stagingStack({ withoutGrantFor: ["DATABASE_URL"] });
        const accessor = JSON.stringify({ bindings: [{ role: ACCESSOR_ROLE, members: [`serviceAccount:${RUNTIME_SA}`] }] });

        it("a SecretIamPolicy whose policyData binds the account", async function () {
            const stack = withoutDbGrant();
            stack.push({ type: T.secretIamPolicy, name: "db-policy", props: { secretId: `projects/${GCP_PROJECT}/secrets/backend-database-url`, policyData: accessor } });
            expect(await check(GRANTS, stack)).to.deep.equal([]);
            const viewer = withoutDbGrant();
            viewer.push({ type: T.secretIamPolicy, name: "db-policy", props: { secretId: "backend-database-url", policyData: accessor.replace(ACCESSOR_ROLE, "roles/viewer") } });
            expect(await check(GRANTS, viewer)).to.have.length(1);
        });

        it("a project-level grant (IAMMember, IAMBinding, IAMPolicy): not a violation", async function () {
            const forms: TestResource[] = [
                { type: T.projectIamMember, name: "pm", props: { project: GCP_PROJECT, role: ACCESSOR_ROLE, member: `serviceAccount:${RUNTIME_SA}` } },
                { type: T.projectIamBinding, name: "pb", props: { project: GCP_PROJECT, role: ACCESSOR_ROLE, members: [`serviceAccount:${RUNTIME_SA}`] } },
                { type: T.projectIamPolicy, name: "pp", props: { project: GCP_PROJECT, policyData: accessor } },
            ];
            for (const grant of forms) {
                const stack = stagingStack({ withoutGrantFor: ["DATABASE_URL", "REDIS_URL", "CLICKHOUSE_URL"] });
                stack.push(grant);
                expect(await check(GRANTS, stack), grant.type).to.deep.equal([]);
            }
            const otherProject = stagingStack({ withoutGrantFor: ["DATABASE_URL"] });
            otherProject.push({ ...forms[0], props: { ...forms[0].props, project: "another-project" } });
            expect(await check(GRANTS, otherProject)).to.have.length(1);
        });

        it("a project-level grant to an account whose member is not known yet (fresh preview)", async function () {
            const stack = stagingStack({ freshPreview: true, withoutGrantFor: ["DATABASE_URL", "REDIS_URL", "CLICKHOUSE_URL"] });
            stack.push({
                type: T.projectIamMember, name: "pm", props: { project: GCP_PROJECT, role: ACCESSOR_ROLE, member: UNKNOWN.string },
                propertyDependencies: { member: [urnOf(T.account, "backend-runtime")] },
            });
            expect(await check(GRANTS, stack)).to.deep.equal([]);
        });
    });

    it("regional secrets are secrets, with regional grants", async function () {
        const stack = stagingStack();
        (serviceOf(stack).props as Tree).template.volumes = [{ name: "cfg", secret: { secret: `projects/${GCP_PROJECT}/locations/${REGION}/secrets/app-config` } }];
        expect((await check(RESOLVE, stack)).map((d) => d.detail)).to.have.length(1);
        expect(await check(GRANTS, stack)).to.have.length(1);
        stack.push({ type: T.regionalSecret, name: "app-config", props: { secretId: "app-config", location: REGION, project: GCP_PROJECT } });
        stack.push({
            type: "gcp:secretmanager/regionalSecretIamMember:RegionalSecretIamMember", name: "app-config-access",
            props: { secretId: "app-config", location: REGION, project: GCP_PROJECT, role: ACCESSOR_ROLE, member: `serviceAccount:${RUNTIME_SA}` },
        });
        expect(await check(RESOLVE, stack)).to.deep.equal([]);
        expect(await check(GRANTS, stack)).to.deep.equal([]);
    });

    it("a reference taken from a SecretVersion's output resolves to its Secret in a fresh preview", async function () {
        const stack = stagingStack({ freshPreview: true });
        const versionUrn = urnOf(T.secretVersion, "db-v3");
        stack.unshift({
            type: T.secretVersion, name: "db-v3", props: { secret: UNKNOWN.string },
            dependencies: [urnOf(T.secret, "backend-database-url")], propertyDependencies: { secret: [urnOf(T.secret, "backend-database-url")] },
        });
        const service = serviceOf(stack);
        service.propertyDependencies = { template: [urnOf(T.account, "backend-runtime"), versionUrn, urnOf(T.connector, "backend-staging")] };
        expect(await check(RESOLVE, stack)).to.deep.equal([]);
        expect(await check(GRANTS, stack)).to.deep.equal([]);
    });

    it("checks jobs and worker pools like services", async function () {
        const job: TestResource = {
            type: T.v2Job, name: "migrate",
            props: { location: REGION, project: GCP_PROJECT, template: { template: {
                serviceAccount: RUNTIME_SA,
                containers: [{ image: "i", envs: [{ name: "DATABASE_URL", valueSource: { secretKeyRef: { secret: "backend-database-url", version: "3" } } }] }],
            } } },
        };
        expect(await check(GRANTS, [...stagingStack(), job])).to.deep.equal([]);
        const found = await check(GRANTS, [...stagingStack({ withoutGrantFor: ["DATABASE_URL"] }), job]);
        expect(found.map((d) => d.urn)).to.deep.equal([SERVICE_URN, urnOf(T.v2Job, "migrate")]);
        expect(found[1].detail).to.contain("(the job's runtime service account)");
        const pool: TestResource = {
            type: T.v2WorkerPool, name: "worker",
            props: { location: REGION, template: { serviceAccount: RUNTIME_SA, containers: [{ image: "i", envs: [{ name: "X", valueSource: { secretKeyRef: { secret: "nowhere", version: "1" } } }] }] } },
        };
        expect(details(await check(RESOLVE, [...stagingStack(), pool]))).to.deep.equal([
            "containers[0] env X reads secret nowhere, which is neither a Secret Manager secret in this stack nor listed in externalSecrets; create it in the stack or list it",
        ]);
    });

    it("reads engine outputs: a Secret's name with the project number, zero values for unset env fields", async function () {
        const stack = stagingStack();
        for (const secret of stack.filter((r) => r.type === T.secret)) {
            delete secret.props.secretId; // only the provider-normalised name output is left
        }
        const env: Tree[] = (serviceOf(stack).props as Tree).template.containers[0].envs;
        env.push({ name: "LOG_FORMAT", value: "json", valueSource: null });
        for (const e of env) {
            e.value ??= "";
        }
        expect(await check(RESOLVE, stack)).to.deep.equal([]);
        expect(await check(GRANTS, stack)).to.deep.equal([]);
    });
});
