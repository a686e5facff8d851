/** cloudrun-service-env, cloudrun-service-required-secret-env and cloudrun-service-secret-version-pinned. */
import { expect } from "chai";
import { T, Tree, UNKNOWN, analyzeResource, checkV2Service, goodV1Service, ofPolicy, secretEnv, secretValue } from "../helpers/policy-harness";

const ENV = "cloudrun-service-env";
const REQUIRED = "cloudrun-service-required-secret-env";
const PINNED = "cloudrun-service-secret-version-pinned";

const check = checkV2Service;

const envs = (props: Tree): Tree[] => props.template.containers[0].envs;
const withEnv = (name: string, value: unknown) => (props: Tree) => { envs(props).push({ name, value }); };
const details = (found: { detail: string }[]) => found.map((d) => d.detail);

describe("cloudrun-service-env", function () {
    it("rejects reserved names", async function () {
        const found = await check(ENV, withEnv("PORT", "8000"));
        expect(found.map((d) => d.enforcementLevel)).to.deep.equal(["mandatory"]);
        expect(found[0].detail).to.equal("containers[0] (api) env PORT: PORT is reserved (Cloud Run sets it itself " +
            "and rejects the revision); remove it and set the container port with ports.containerPort");
        expect(await check(ENV, withEnv("K_REVISION", "x"))).to.have.length(1);
    });

    it("lets a sidecar set PORT (it is injected into the ingress container only), but not K_SERVICE", async function () {
        const sidecar = (env: Tree) => (p: Tree) => {
            p.template.containers.push({ name: "proxy", image: p.template.containers[0].image, envs: [env] });
        };
        expect(await check(ENV, sidecar({ name: "PORT", value: "9000" }))).to.deep.equal([]);
        expect(details(await check(ENV, sidecar({ name: "K_SERVICE", value: "x" })))).to.deep.equal([
            "containers[1] (proxy) env K_SERVICE: K_SERVICE is reserved (Cloud Run sets it itself and rejects the revision); remove it",
        ]);
    });

    it("rejects a job's reserved CLOUD_RUN_* names, and not PORT on a job", async function () {
        const job = (name: string) => ({
            type: T.v2Job, name: "migrate",
            props: { location: "europe-west1", template: { template: { containers: [{ image: "i", envs: [{ name, value: "1" }] }] } } },
        });
        expect(ofPolicy(await analyzeResource(job("CLOUD_RUN_TASK_INDEX")), ENV).map((d) => d.detail)).to.deep.equal([
            "containers[0] env CLOUD_RUN_TASK_INDEX: CLOUD_RUN_TASK_INDEX is reserved (Cloud Run sets it itself and rejects the job); remove it",
        ]);
        expect(ofPolicy(await analyzeResource(job("PORT")), ENV)).to.deep.equal([]);
    });

    it("rejects REDIS_URL=redis://localhost:6379, without showing the value", async function () {
        const found = await check(ENV, withEnv("CACHE_URL", "redis://localhost:6379"));
        expect(details(found)).to.deep.equal([
            "containers[0] (api) env CACHE_URL points at a loopback host, which in a single-container revision is the container itself; " +
            "use the real host (e.g. the Memorystore/Cloud SQL private IP) from a secret",
        ]);
    });

    it("is a team setting: NO_PROXY may name localhost, and rejectLoopbackHosts false accepts any loopback", async function () {
        expect(await check(ENV, withEnv("NO_PROXY", "localhost,127.0.0.1"))).to.deep.equal([]);
        expect(await check(ENV, withEnv("OTEL_EXPORTER_OTLP_ENDPOINT", "http://localhost:4317"), { [ENV]: { rejectLoopbackHosts: false } })).to.deep.equal([]);
    });

    it("accepts a loopback host beside a Cloud SQL socket path, or a bare localhost with Cloud SQL mounted", async function () {
        expect(await check(ENV, withEnv("DATABASE_URL_PLAIN", "mysql://localhost/app?socketPath=/cloudsql/acme:europe-west1:db"))).to.deep.equal([]);
        expect(await check(ENV, (p) => {
            envs(p).push({ name: "DB_HOST", value: "localhost" });
            p.template.volumes = [{ name: "cloudsql", cloudSqlInstance: { instances: ["acme:europe-west1:db"] } }];
        })).to.deep.equal([]);
        expect(await check(ENV, withEnv("DB_HOST", "localhost"))).to.have.length(1);
    });

    it("waits for the ingress container before judging PORT when a sidecar's ports are not known yet", async function () {
        const found = await check(ENV, (p) => {
            p.template.containers.push({ name: "proxy", image: p.template.containers[0].image, ports: UNKNOWN.object, envs: [{ name: "PORT", value: "9000" }] });
        });
        expect(found.map((d) => [d.cantRun, d.enforcementLevel])).to.deep.equal([[true, "advisory"]]);
    });

    it("accepts localhost when a sidecar can serve it (e.g. a Cloud SQL proxy)", async function () {
        expect(await check(ENV, (p) => {
            envs(p).push({ name: "DB_HOST", value: "127.0.0.1:5432" });
            p.template.containers.push({ name: "cloud-sql-proxy", image: p.template.containers[0].image });
        })).to.deep.equal([]);
    });

    for (const value of ["127.0.0.1:5432", "http://127.1.2.3/health", "http://[::1]:8080", "host=localhost dbname=app", "::1"]) {
        it(`rejects the loopback value ${value}`, async function () {
            expect(await check(ENV, withEnv("UPSTREAM", value))).to.have.length(1);
        });
    }

    for (const value of ["https://mylocalhost.example.com", "localhost.example.com", "10.0.0.5:6379", "http://127.0.0.1.nip.io"]) {
        it(`accepts the non-loopback value ${value}`, async function () {
            expect(await check(ENV, withEnv("UPSTREAM", value))).to.deep.equal([]);
        });
    }

    it("rejects a URL with a password without printing the password", async function () {
        const found = await check(ENV, withEnv("ANALYTICS_URL", "postgres://app:hunter2@10.0.0.3:5432/app?password=hunter3"));
        expect(found).to.have.length(1);
        expect(found[0].message).not.to.contain("hunter2");
        expect(found[0].message).not.to.contain("hunter3");
        expect(found[0].message).not.to.contain("10.0.0.3");
        expect(found[0].detail).to.equal("containers[0] (api) env ANALYTICS_URL carries a password in a plain value; move the whole URL to Secret Manager and use a secretKeyRef");
    });

    it("rejects a literal credential by name without printing it", async function () {
        const found = await check(ENV, withEnv("DB_PASSWORD", "s3cr3t-value"));
        expect(details(found)).to.deep.equal([
            "containers[0] (api) env DB_PASSWORD: a name ending _PASSWORD holds a credential but has a plain value; " +
            "store it in Secret Manager and reference it with a secretKeyRef",
        ]);
        expect(found[0].message).not.to.contain("s3cr3t");
    });

    it("sees through secret-wrapped plain values, still without printing them", async function () {
        const found = await check(ENV, withEnv("STRIPE_API_KEY", secretValue("sk_live_123")));
        expect(found).to.have.length(1);
        expect(found[0].message).not.to.contain("sk_live_123");
    });

    it("rejects a literal credential even when its value is not known yet", async function () {
        const found = await check(ENV, withEnv("SESSION_TOKEN", UNKNOWN.string));
        expect(found.map((d) => [d.cantRun, d.enforcementLevel])).to.deep.equal([[false, "mandatory"]]);
    });

    it("accepts credentials from Secret Manager and takes the name suffixes from config", async function () {
        expect(await check(ENV, (p) => { envs(p).push(secretEnv("API_KEY", "api-key")); })).to.deep.equal([]);
        expect(await check(ENV, withEnv("DB_PASSWORD", "x"), { [ENV]: { credentialNameSuffixes: [] } })).to.deep.equal([]);
    });

    it("scans a value of Cloud Run's maximum length in linear time", async function () {
        this.timeout(2_000);
        const started = Date.now();
        for (const value of ["x".repeat(32_768), `a://${"b".repeat(32_760)}`, "redis://".repeat(4_000)]) {
            expect(await check(ENV, withEnv("BLOB", value))).to.deep.equal([]);
        }
        expect(Date.now() - started).to.be.lessThan(1_000);
    });

    it("rejects sslmode on a Cloud SQL socket URL and accepts the URL without it", async function () {
        const found = await check(ENV, withEnv("REPORTING_DSN", "postgresql:///app?host=/cloudsql/acme:europe-west1:db&sslmode=require"));
        expect(found[0].detail).to.match(/Cloud SQL unix-socket URL with sslmode=/);
        expect(await check(ENV, withEnv("REPORTING_DSN", "postgresql:///app?host=/cloudsql/acme:europe-west1:db"))).to.deep.equal([]);
    });

    it("rejects an invalid name, and a variable with both value and secret", async function () {
        expect(details(await check(ENV, withEnv("1ST", "x")))).to.deep.equal([
            "containers[0] (api): an env variable's name is not a valid env name (letters, digits, _; not starting with a digit)",
        ]);
        const both = await check(ENV, (p) => { envs(p)[0].value = "x"; });
        expect(both[0].detail).to.match(/sets both value and a secret reference/);
    });

    it("gives the standard advisory for a plain value not known yet", async function () {
        const found = await check(ENV, withEnv("UPSTREAM", UNKNOWN.string));
        expect(found.map((d) => [d.cantRun, d.enforcementLevel])).to.deep.equal([[true, "advisory"]]);
    });
});

describe("cloudrun-service-required-secret-env", function () {
    it("rejects a serving container without CLICKHOUSE_URL, naming it", async function () {
        const found = await check(REQUIRED, (p) => { p.template.containers[0].envs = envs(p).filter((e) => e.name !== "CLICKHOUSE_URL"); });
        expect(found.map((d) => d.enforcementLevel)).to.deep.equal(["mandatory"]);
        expect(found[0].detail).to.match(/^containers\[0\] \(api\): required env CLICKHOUSE_URL is missing/);
    });

    it("rejects a required variable given as a plain value", async function () {
        const found = await check(REQUIRED, (p) => { envs(p)[0] = { name: "DATABASE_URL", value: "postgres://10.0.0.3/app" }; });
        expect(details(found)).to.deep.equal([
            "containers[0] (api): env DATABASE_URL has a plain value instead of a Secret Manager reference; " +
            "add { name: \"DATABASE_URL\", valueSource: { secretKeyRef: { secret: \"<secret id>\", version: \"<n>\" } } }",
        ]);
    });

    it("accepts v1 valueFrom.secretKeyRef", async function () {
        expect(ofPolicy(await analyzeResource({ type: T.v1Service, name: "v1", props: goodV1Service() }), REQUIRED)).to.deep.equal([]);
    });

    it("takes the list from config", async function () {
        const found = await check(REQUIRED, () => undefined, { [REQUIRED]: { requiredSecretEnv: ["SENTRY_DSN"] } });
        expect(found).to.have.length(1);
        expect(found[0].detail).to.contain("SENTRY_DSN");
    });

    it("accepts a secret reference whose id is not known yet", async function () {
        expect(await check(REQUIRED, (p) => { envs(p)[0].valueSource.secretKeyRef.secret = UNKNOWN.string; })).to.deep.equal([]);
    });

    it("gives the standard advisory when a missing variable could be an env entry whose name is unknown", async function () {
        const found = await check(REQUIRED, (p) => { envs(p)[2].name = UNKNOWN.string; });
        expect(found.map((d) => [d.cantRun, d.enforcementLevel])).to.deep.equal([[true, "advisory"]]);
    });

    it("rejects three missing variables that one unknown name cannot all be", async function () {
        const found = await check(REQUIRED, (p) => {
            p.template.containers[0].envs = [{ name: UNKNOWN.string, valueSource: { secretKeyRef: { secret: "s", version: "1" } } }];
        });
        expect(found.map((d) => [d.cantRun, d.enforcementLevel])).to.deep.equal([[false, "mandatory"]]);
        expect(found[0].detail).to.match(/^containers\[0\] \(api\): required env DATABASE_URL, REDIS_URL, CLICKHOUSE_URL are missing, and the 1 env variable\(s\) whose name is not known yet can be at most 1 of them/);
    });

    it("rejects a missing variable when the only unknown-named entry has a plain value", async function () {
        const found = await check(REQUIRED, (p) => {
            p.template.containers[0].envs = envs(p).filter((e) => e.name !== "CLICKHOUSE_URL");
            envs(p).push({ name: UNKNOWN.string, value: "plain" });
        });
        expect(found.map((d) => [d.cantRun, d.enforcementLevel])).to.deep.equal([[false, "mandatory"]]);
    });

    it("applies to services only (jobs and worker pools serve no requests)", async function () {
        const job = { type: T.v2Job, name: "migrate", props: { template: { template: { containers: [{ image: "i" }] } } } };
        expect(ofPolicy(await analyzeResource(job), REQUIRED)).to.deep.equal([]);
    });
});

describe("cloudrun-service-secret-version-pinned", function () {
    it("advises pinning \"latest\" and unset versions", async function () {
        const found = await check(PINNED, (p) => { envs(p)[0].valueSource.secretKeyRef.version = "latest"; delete envs(p)[1].valueSource.secretKeyRef.version; });
        expect(found.map((d) => d.enforcementLevel)).to.deep.equal(["advisory", "advisory"]);
        expect(details(found)).to.deep.equal([
            "containers[0] (api) env DATABASE_URL reads secret version latest; pin a numbered version",
            "containers[0] (api) env REDIS_URL reads secret version (unset, i.e. latest); pin a numbered version",
        ]);
    });

    it("accepts numbered versions and version aliases, v1 keys included", async function () {
        expect(await check(PINNED, () => undefined)).to.deep.equal([]);
        expect(await check(PINNED, (p) => { envs(p)[0].valueSource.secretKeyRef.version = "current"; })).to.deep.equal([]);
        const props = goodV1Service();
        props.template.spec.containers[0].envs[0].valueFrom.secretKeyRef.key = "latest";
        expect(ofPolicy(await analyzeResource({ type: T.v1Service, name: "v1", props }), PINNED)).to.have.length(1);
    });
});
