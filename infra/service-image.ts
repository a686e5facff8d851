/**
 * The image the revision runs: built from the repo and pushed to an Artifact Registry repository created here,
 * then deployed by digest; or a prebuilt image already pinned by digest. A tag alone is never deployed, so a
 * revision always runs exactly the image that was reviewed.
 */
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import { Image } from "@pulumi/docker/image";
import { Repository } from "@pulumi/gcp/artifactregistry/repository";
import { getClientConfigOutput } from "@pulumi/gcp/organizations/getClientConfig";
import type { ImagePlan } from "./config";
import { recordConfigSources } from "./config-sources";

export interface ServiceImageArgs {
    project: string;
    region: string;
    serviceName: string;
    /** Tag pushed next to the digest (the stack name), for people browsing the registry. */
    tag: string;
    image: ImagePlan;
    labels: Record<string, string>;
}

export class ServiceImage extends pulumi.ComponentResource {
    /** The image reference to deploy: <repository>@sha256:<digest>. */
    public readonly imageRef: pulumi.Output<string>;
    /** The sha256 digest alone. */
    public readonly digest: pulumi.Output<string>;

    constructor(name: string, args: ServiceImageArgs, opts?: pulumi.ComponentResourceOptions) {
        super("cloudrun-staging:infra:ServiceImage", name, {}, opts);
        this.imageRef = args.image.kind === "ref"
            ? pulumi.output(args.image.ref)
            : buildAndPush(this, name, args, args.image);
        this.digest = this.imageRef.apply((ref) => ref.slice(ref.indexOf("@") + 1));
        this.registerOutputs({ imageRef: this.imageRef, digest: this.digest });
    }
}

function buildAndPush(
    parent: pulumi.Resource, name: string, args: ServiceImageArgs, build: Extract<ImagePlan, { kind: "build" }>,
): pulumi.Output<string> {
    const repository = new Repository(name, {
        project: args.project,
        location: args.region,
        repositoryId: build.repositoryId,
        format: "DOCKER",
        description: `Images of the ${args.serviceName} Cloud Run service`,
        labels: args.labels,
    }, { parent });
    recordConfigSources(repository, pulumi.getProject(), { "": "image.build", repositoryId: "image.build.repositoryId" });
    const registryServer = `${args.region}-docker.pkg.dev`;
    // Push with the deployer's own Google credentials: no key files, nothing stored in config.
    const accessToken = getClientConfigOutput({ parent }).accessToken;
    const image = new Image(name, {
        imageName: pulumi.interpolate`${registryServer}/${args.project}/${repository.repositoryId}/${args.serviceName}:${args.tag}`,
        build: {
            context: build.context,
            dockerfile: path.join(build.context, build.dockerfile),
            platform: build.platform,
        },
        registry: { server: registryServer, username: "oauth2accesstoken", password: pulumi.secret(accessToken) },
    }, { parent });
    recordConfigSources(image, pulumi.getProject(), { "": "image.build", build: "image.build" });
    return image.repoDigest;
}
