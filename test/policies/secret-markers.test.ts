/**
 * No diagnostic ever contains a value that could be secret. @pulumi/policy unwraps secrets before policies run,
 * so a message that quotes a property can put a credential in a CI log or a PR comment.
 *
 * A rich stack (every resource type the pack reads, in shapes that make most policies speak) is analyzed with a
 * secret-wrapped marker placed at one string field at a time, for every string field of every resource: no
 * message (description or detail) may contain it. Two markers: one no name pattern accepts (it may stand in
 * any field), and one shaped like a name (an identifier), which only name fields may show (names, emails,
 * secret and connector ids, roles, locations: the pack shows well-formed names by design).
 */
import { expect } from "chai";
import {
    CONNECTOR_ID, GCP_PROJECT, REGION, RUNTIME_SA, T, TestResource, Tree, goodConnector, goodV1Service, previewStack, secretValue, stagingStack, urnOf,
} from "../helpers/policy-harness";

const ANY_FIELD_MARKER = "<s3cr3t marker: 9c1e>";
const NAME_SHAPED_MARKER = "zq7SecretMarkerX";

/** Fields whose values are names the pack may show when well-formed (by key, or by the key of their list). */
const NAME_KEYS = new Set([
    "name", "secretId", "secret", "secretName", "serviceAccount", "serviceAccountName", "email", "member", "members", "accountId",
    "connector", "role", "location", "region", "project", "dependsOns", "run.googleapis.com/vpc-access-connector",
]);

function jobOf(): TestResource {
    return {
        type: T.v2Job, name: "migrate",
        props: {
            name: "migrate", location: REGION,
            template: { template: {
                serviceAccount: "123456789012-compute@developer.gserviceaccount.com",
                timeout: "600s",
                vpcAccess: { connector: CONNECTOR_ID, networkInterfaces: [{ network: "default" }] },
                containers: [{
                    name: "migrate", image: "migrate:latest",
                    resources: { limits: { cpu: "3", memory: "64Gi" } },
                    startupProbe: { tcpSocket: { port: 9 }, periodSeconds: 300 },
                    envs: [
                        { name: "CLOUD_RUN_TASK_INDEX", value: "1" },
                        { name: "DB_PASSWORD", value: "hunter2" },
                        { name: "DATABASE_URL", value: "postgres://app:pw@localhost/app" },
                        { name: "TOKEN", valueSource: { secretKeyRef: { secret: "missing-secret", version: "latest" } } },
                    ],
                }],
                volumes: [{ name: "cfg", secret: { secret: "projects/other-project/secrets/cfg" } }],
            } },
        },
    };
}

function workerPoolOf(): TestResource {
    return {
        type: T.v2WorkerPool, name: "worker",
        props: {
            name: "worker", location: REGION,
            scaling: { minInstanceCount: 5, maxInstanceCount: 2, scalingMode: "AUTOMATIC" },
            template: {
                nodeSelector: { accelerator: "nvidia-l4" },
                containers: [
                    { name: "app", image: "worker:1", dependsOns: ["helper"], resources: { limits: { cpu: "2", memory: "8Gi" } },
                        livenessProbe: { httpGet: { path: "/healthz", httpHeaders: [{ name: "X-Token", value: "abc" }] }, periodSeconds: 5, timeoutSeconds: 9 } },
                    { name: "helper", image: "helper:1", envs: [{ name: "REDIS_URL", value: "redis://localhost:6379" }] },
                ],
            },
        },
    };
}

function rejectedV2Props(): Tree {
    const stack = stagingStack();
    const props = structuredClone(stack[stack.length - 1].props) as Tree;
    props.ingress = "INGRESS_TRAFFIC_ALL";
    props.invokerIamDisabled = true;
    props.template.timeout = "9000s";
    props.template.executionEnvironment = "EXECUTION_ENVIRONMENT_GEN2";
    props.template.maxInstanceRequestConcurrency = 2000;
    props.template.scaling = { minInstanceCount: 4, maxInstanceCount: 2 };
    props.template.vpcAccess = { connector: "projects/acme-backend-staging/locations/us-east1/connectors/elsewhere", egress: "SOMETIMES" };
    const api = props.template.containers[0];
    api.image = "api:latest";
    api.resources.limits = { cpu: "0.5", memory: "4Gi" };
    api.ports = { containerPort: 70000 };
    api.startupProbe = { httpGet: { path: "/ready", port: 9000 }, timeoutSeconds: 480, periodSeconds: 240 };
    api.envs = [
        ...api.envs.filter((e: Tree) => e.name !== "REDIS_URL"),
        { name: "PORT", value: "8000" },
        { name: "REDIS_URL", value: "redis://:pw@127.0.0.1:6379" },
        { name: "API_KEY", value: "sk_live_1" },
        { name: "REPORT_DSN", value: "postgresql:///app?host=/cloudsql/acme:europe-west1:db&sslmode=require" },
        { name: "1BAD", value: "x" },
        { name: "BOTH", value: "x", valueSource: { secretKeyRef: { secret: "backend-redis-url", version: "latest" } } },
    ];
    return props;
}

function richStack(): TestResource[] {
    const stack = stagingStack({ withoutGrantFor: ["REDIS_URL"] });
    stack[stack.length - 1].props = rejectedV2Props();
    const v1 = goodV1Service();
    v1.metadata.annotations["run.googleapis.com/ingress"] = "all";
    v1.template.metadata.annotations["run.googleapis.com/secrets"] = `db:projects/${GCP_PROJECT}/secrets/backend-database-url`;
    v1.template.metadata.annotations["run.googleapis.com/container-dependencies"] = JSON.stringify({ app: ["proxy"] });
    v1.template.spec.containers[0].envs.push({ name: "CACHE", value: "localhost:11211" });
    v1.template.spec.containers[0].image = "v1:tag";
    v1.template.spec.serviceAccountName = "";
    const iam = (type: string, name: string, props: Tree): TestResource => ({ type, name, props });
    const policyData = JSON.stringify({ bindings: [{ role: "roles/run.invoker", members: ["allUsers", "user:a@acme.dev"] }] });
    const connector = goodConnector();
    return [
        ...stack.map((r) => (r.type === T.connector ? { ...r, props: { ...connector, ipCidrRange: "10.8.0.0/24", machineType: "n1-standard-1", name: "Bad_Name" } } : r)),
        { type: T.v1Service, name: "legacy", props: v1 },
        jobOf(),
        workerPoolOf(),
        iam(T.v2IamMember, "m", { name: "backend", location: REGION, role: "roles/run.invoker", member: "allUsers" }),
        iam(T.v2IamBinding, "b", { name: "backend", location: REGION, role: "roles/run.developer", members: ["allAuthenticatedUsers"] }),
        iam(T.v2IamPolicy, "p", { name: "backend", location: REGION, policyData }),
        iam(T.v1IamMember, "v1m", { service: "legacy", location: REGION, role: "roles/run.invoker", member: "allUsers" }),
        iam(T.v1IamPolicy, "v1p", { service: "legacy", location: REGION, policyData: "{not json" }),
        iam("gcp:cloudrunv2/jobIamMember:JobIamMember", "jm", { name: "migrate", location: REGION, role: "roles/run.invoker", member: "allUsers" }),
        iam(T.secretIamBinding, "sb", { secretId: "backend-clickhouse-url", role: "roles/secretmanager.secretAccessor", members: [`serviceAccount:${RUNTIME_SA}`] }),
        iam(T.secretIamPolicy, "sp", { secretId: "backend-database-url", policyData: JSON.stringify({ bindings: [{ role: "roles/secretmanager.secretAccessor", members: ["user:x@acme.dev"] }] }) }),
        iam(T.projectIamMember, "pm", { project: GCP_PROJECT, role: "roles/viewer", member: `serviceAccount:${RUNTIME_SA}` }),
        iam(T.projectIamPolicy, "pp", { project: GCP_PROJECT, policyData: JSON.stringify({ bindings: [{ role: "roles/editor", members: ["user:x@acme.dev"] }] }) }),
        { type: T.regionalSecret, name: "regional", props: { secretId: "regional-one", location: REGION, project: GCP_PROJECT } },
        { type: "gcp:secretmanager/regionalSecretIamMember:RegionalSecretIamMember", name: "rm", props: { secretId: "regional-one", location: REGION, role: "roles/secretmanager.secretAccessor", member: "allUsers" } },
    ].map((r) => ({ ...r, urn: urnOf(r.type, r.name) }));
}

/** Every string leaf of a tree, as a path. */
function stringPaths(value: unknown, path: (string | number)[] = []): (string | number)[][] {
    if (typeof value === "string") {
        return [path];
    }
    if (Array.isArray(value)) {
        return value.flatMap((item, i) => stringPaths(item, [...path, i]));
    }
    if (typeof value === "object" && value !== null) {
        return Object.entries(value).flatMap(([key, item]) => stringPaths(item, [...path, key]));
    }
    return [];
}

function getAt(tree: Tree, path: (string | number)[]): string {
    return path.reduce((node: Tree, key) => node[key], tree) as unknown as string;
}

function setAt(tree: Tree, path: (string | number)[], value: unknown): void {
    let node: Tree = tree;
    for (const key of path.slice(0, -1)) {
        node = node[key];
    }
    node[path[path.length - 1]] = value;
}

/** The key a value is held under: its own, or its list's for a list item. */
function fieldKey(path: (string | number)[]): string {
    const last = path[path.length - 1];
    return typeof last === "number" ? String(path[path.length - 2]) : last;
}

describe("no diagnostic echoes a value that could be secret", function () {
    this.timeout(120_000);

    it("the rich stack makes most policies speak (so the markers are tested where messages are written)", async function () {
        const diagnostics = await previewStack(richStack());
        const speaking = new Set(diagnostics.filter((d) => !d.cantRun).map((d) => d.policyName));
        expect(speaking.size).to.be.at.least(18);
    });

    const everywhere = () => true;
    const notNames = (path: (string | number)[]) => !NAME_KEYS.has(fieldKey(path));
    const replace = (_original: string, marker: string) => marker;
    // Inside the value, so what made it a finding (a password, localhost, sslmode) is still there around the marker.
    const embed = (original: string, marker: string) => `${original}${marker}`;
    for (const [label, marker, applies, place] of [
        ["a marker no name pattern accepts, at every string field", ANY_FIELD_MARKER, everywhere, replace],
        ["a marker no name pattern accepts, inside every string field", ANY_FIELD_MARKER, everywhere, embed],
        ["a name-shaped marker, at every string field that is not a name", NAME_SHAPED_MARKER, notNames, replace],
        ["a name-shaped marker, inside every string field that is not a name", NAME_SHAPED_MARKER, notNames, embed],
    ] as const) {
        it(`${label} of every resource type`, async function () {
            const base = richStack();
            let fields = 0;
            for (const [index, resource] of base.entries()) {
                for (const path of stringPaths(resource.props).filter(applies)) {
                    const stack = structuredClone(base);
                    setAt(stack[index].props, path, secretValue(place(getAt(resource.props, path), marker)));
                    const leaked = (await previewStack(stack)).filter((d) => d.message.includes(marker));
                    expect(leaked.map((d) => `${d.policyName}: ${d.detail}`), `${resource.type} ${path.join(".")}`).to.deep.equal([]);
                    fields++;
                }
            }
            expect(fields, "string fields tried").to.be.at.least(marker === ANY_FIELD_MARKER ? 150 : 50);
        });
    }
});
