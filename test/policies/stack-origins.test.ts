/**
 * Values a preview cannot know yet, decided from the stack by cloudrun-identity-and-image-from-stack: a service account
 * created in the same run and an image built and pushed in the same run.
 * Analyze carries no propertyDependencies, so the resource policies leave exactly those unknowns to the stack
 * policies; anything the stack cannot trace still gets the engine's "can't run during preview" advisory, and every
 * known value keeps its verdict.
 */
import { expect } from "chai";
import {
    DIGEST_IMAGE, Diagnostic, IMAGE_TAG, RUNTIME_SA, T, TestResource, Tree, UNKNOWN, goodV1Service, goodV2Service, previewStack, stagingImage, stagingStack,
    urnOf, COST_POLICY, withoutCostEstimates,
} from "../helpers/policy-harness";

const IDENTITY = "cloudrun-service-identity-and-ingress";
const FROM_STACK = "cloudrun-identity-and-image-from-stack";
const IMAGE = "cloudrun-service-image-digest";
const WATCHED = [IDENTITY, IMAGE, FROM_STACK];

/** One line per diagnostic of the three policies: level, policy, and "can't run" or what is wrong. */
function verdicts(diagnostics: readonly Diagnostic[], policies: readonly string[] = WATCHED): string[] {
    return diagnostics
        .filter((d) => policies.includes(d.policyName))
        .map((d) => `${d.enforcementLevel} ${d.policyName}: ${d.cantRun ? "can't run" : d.detail}`);
}

const cantRun = (policy: string) => `advisory ${policy}: can't run`;

const ACCOUNT_URN = urnOf(T.account, "runtime");
const IMAGE_URN = urnOf(T.dockerImage, "backend");

/** The runtime Account; its email unknown until it is created. */
function account(email: unknown = UNKNOWN.string): TestResource {
    return { type: T.account, name: "runtime", props: { accountId: "runtime", project: "acme-backend-staging", email } };
}

/** A workload whose `template` was computed from the given resources (the engine's propertyDependencies). */
function workload(type: string, props: Tree, templateFrom: readonly string[], name = "w"): TestResource {
    return { type, name, props, dependencies: [...templateFrom], propertyDependencies: templateFrom.length > 0 ? { template: [...templateFrom] } : {} };
}

/** The three shapes that carry a service account and containers, with the service account set by `account`. */
const SHAPES: readonly { label: string; type: string; props: (serviceAccount: unknown, image: unknown) => Tree }[] = [
    {
        label: "v2 service",
        type: T.v2Service,
        props: (serviceAccount, image) => {
            const props = goodV2Service();
            props.template.serviceAccount = serviceAccount;
            props.template.containers[0].image = image;
            return props;
        },
    },
    {
        label: "v1 service",
        type: T.v1Service,
        props: (serviceAccount, image) => {
            const props = goodV1Service();
            props.template.spec.serviceAccountName = serviceAccount;
            props.template.spec.containers[0].image = image;
            return props;
        },
    },
    {
        label: "v2 job",
        type: T.v2Job,
        props: (serviceAccount, image) => ({
            name: "migrate", location: "europe-west1",
            template: { template: { serviceAccount, containers: [{ name: "migrate", image, resources: { limits: { cpu: "2", memory: "4Gi" } } }] } },
        }),
    },
];

describe("the staging stack in preview and after apply", function () {
    it("has no diagnostic at all but the cost estimate, not even \"can't run\": the account's email and the image's digest are traced to the stack", async function () {
        const fresh = await previewStack(stagingStack({ freshPreview: true }));
        expect(fresh.map((d) => `${d.enforcementLevel} ${d.policyName}`)).to.deep.equal([`advisory ${COST_POLICY}`]);
        expect(withoutCostEstimates(await previewStack(stagingStack()))).to.deep.equal([]);
    });

    it("also when the provider reports no digest and no email in preview (outputs that are only the inputs)", async function () {
        const stack = stagingStack({ freshPreview: true });
        delete stack.find((r) => r.type === T.dockerImage)!.props.repoDigest;
        delete stack.find((r) => r.type === T.account)!.props.email;
        expect((await previewStack(stack)).map((d) => `${d.enforcementLevel} ${d.policyName}`)).to.deep.equal([`advisory ${COST_POLICY}`]);
    });
});

describe("cloudrun-identity-and-image-from-stack: the service account", function () {
    for (const shape of SHAPES) {
        it(`${shape.label}: a pending service account from an Account created in the stack passes; one the stack cannot trace is advised`, async function () {
            const traced = await previewStack([account(), workload(shape.type, shape.props(UNKNOWN.string, DIGEST_IMAGE), [ACCOUNT_URN])]);
            expect(verdicts(traced)).to.deep.equal([]);
            const untraced = await previewStack([account(), workload(shape.type, shape.props(UNKNOWN.string, DIGEST_IMAGE), [])]);
            expect(verdicts(untraced)).to.deep.equal([cantRun(FROM_STACK)]);
            expect(untraced.find((d) => d.policyName === FROM_STACK)!.message).to.match(/value at \.template\.(spec\.|template\.)?serviceAccount(Name)? can't be known/);
        });
    }

    it("does not take an Account whose email is already known as the origin of an unknown service account", async function () {
        const stack = [account(RUNTIME_SA), workload(T.v2Service, SHAPES[0].props(UNKNOWN.string, DIGEST_IMAGE), [ACCOUNT_URN])];
        expect(verdicts(await previewStack(stack))).to.deep.equal([cantRun(FROM_STACK)]);
    });

    it("takes over only a service account that is itself unknown: a template unknown as a whole stays the resource policy's advisory", async function () {
        const pending = SHAPES[0].props(UNKNOWN.string, DIGEST_IMAGE);
        expect(verdicts(await previewStack([account(), workload(T.v2Service, pending, [ACCOUNT_URN])]))).to.deep.equal([]);
        const whole = { ...goodV2Service(), template: UNKNOWN.object };
        const found = verdicts(await previewStack([account(), workload(T.v2Service, whole, [ACCOUNT_URN])]), [IDENTITY, FROM_STACK]);
        expect(found).to.deep.equal([cantRun(IDENTITY)]);
    });

    it("still rejects a known default compute account, even with an Account among the template's dependencies", async function () {
        const defaultAccount = "123456789012-compute@developer.gserviceaccount.com";
        const found = await previewStack([
            account(),
            workload(T.v2Service, SHAPES[0].props(defaultAccount, DIGEST_IMAGE), [ACCOUNT_URN], "uses-default"),
            workload(T.v2Service, SHAPES[0].props(UNKNOWN.string, DIGEST_IMAGE), [ACCOUNT_URN], "uses-runtime"),
        ]);
        expect(verdicts(found)).to.deep.equal([
            `mandatory ${IDENTITY}: template.serviceAccount is the default compute service account ${defaultAccount} (project Editor); ` +
            "use a dedicated least-privilege service account",
        ]);
    });
});

describe("cloudrun-identity-and-image-from-stack: the images", function () {
    /** A @pulumi/docker-build Image pushing under known tags; its digest unknown until pushed. */
    function dockerBuildImage(props: Tree = {}): TestResource {
        return { type: T.dockerBuildImage, name: "backend", props: { push: true, tags: [IMAGE_TAG], digest: UNKNOWN.string, ref: UNKNOWN.string, ...props } };
    }
    const DOCKER_BUILD_URN = urnOf(T.dockerBuildImage, "backend");

    for (const shape of SHAPES) {
        it(`${shape.label}: a pending image from a docker Image the stack pushes passes; one the stack cannot trace is advised`, async function () {
            const traced = await previewStack([stagingImage(true), workload(shape.type, shape.props(RUNTIME_SA, UNKNOWN.string), [IMAGE_URN])]);
            expect(verdicts(traced)).to.deep.equal([]);
            const untraced = await previewStack([stagingImage(true), workload(shape.type, shape.props(RUNTIME_SA, UNKNOWN.string), [])]);
            expect(verdicts(untraced)).to.deep.equal([cantRun(FROM_STACK)]);
            expect(untraced.find((d) => d.policyName === FROM_STACK)!.message).to.match(/value at \.template\.(spec\.|template\.)?containers\.0\.image can't be known/);
        });
    }

    it("does not trace an image to a docker Image whose tag is unknown too, that skips the push, or whose digest is known", async function () {
        const cases: [string, (image: TestResource) => void][] = [
            ["imageName unknown", (image) => { image.props.imageName = UNKNOWN.string; }],
            ["skipPush", (image) => { image.props.skipPush = true; }],
            ["repoDigest known", (image) => { image.props.repoDigest = DIGEST_IMAGE; }],
        ];
        for (const [label, change] of cases) {
            const image = stagingImage(true);
            change(image);
            const found = await previewStack([image, workload(T.v2Service, SHAPES[0].props(RUNTIME_SA, UNKNOWN.string), [IMAGE_URN])]);
            expect(verdicts(found), label).to.deep.equal([cantRun(FROM_STACK)]);
        }
    });

    it("traces a @pulumi/docker-build Image that pushes under known tags, and no other", async function () {
        const service = () => workload(T.v2Service, SHAPES[0].props(RUNTIME_SA, UNKNOWN.string), [DOCKER_BUILD_URN]);
        expect(verdicts(await previewStack([dockerBuildImage(), service()]))).to.deep.equal([]);
        for (const [label, props] of [["push false", { push: false }], ["tags unknown", { tags: [UNKNOWN.string] }]] as const) {
            expect(verdicts(await previewStack([dockerBuildImage(props), service()])), label).to.deep.equal([cantRun(FROM_STACK)]);
        }
    });

    it("takes over only an image that is itself unknown: a container unknown as a whole stays the resource policy's advisory", async function () {
        const pending = SHAPES[0].props(RUNTIME_SA, UNKNOWN.string);
        expect(verdicts(await previewStack([stagingImage(true), workload(T.v2Service, pending, [IMAGE_URN])]))).to.deep.equal([]);
        const whole = SHAPES[0].props(RUNTIME_SA, DIGEST_IMAGE);
        whole.template.containers[0] = UNKNOWN.object;
        const found = verdicts(await previewStack([stagingImage(true), workload(T.v2Service, whole, [IMAGE_URN])]), [IMAGE, FROM_STACK]);
        expect(found).to.deep.equal([cantRun(IMAGE)]);
    });

    it("still rejects a known mutable tag, also the docker Image's own imageName, next to a pending digest that passes", async function () {
        const byTag = SHAPES[0].props(RUNTIME_SA, IMAGE_TAG);
        const found = await previewStack([
            stagingImage(true),
            workload(T.v2Service, byTag, [IMAGE_URN], "by-tag"),
            workload(T.v2Service, SHAPES[0].props(RUNTIME_SA, UNKNOWN.string), [IMAGE_URN], "by-digest"),
        ]);
        expect(verdicts(found)).to.deep.equal([
            `mandatory ${IMAGE}: containers[0] (api): the image is not pinned by digest (a tag or a bare name); ` +
            "use <registry>/<repo>@sha256:<64 hex> (e.g. the docker Image's repoDigest output)",
        ]);
    });
});
