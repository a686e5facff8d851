/**
 * The config both exposure policies share: Cloud Run services the team has decided are public (a website
 * behind a load balancer), by their Cloud Run name.
 */
import { ConfigProperty, patternedString } from "./config";
import { PropNode, asString, isUnknown } from "./props";

export const PUBLIC_SERVICES_PROPERTY: ConfigProperty<string[]> = {
    type: "array",
    items: patternedString("^[a-z]([-a-z0-9]{0,61}[a-z0-9])?$",
        'a Cloud Run service name such as "backend" (1-63 lowercase letters, digits or hyphens, starting with a letter, not ending with a hyphen)'),
    default: [],
    description: "Cloud Run services (by service name) that are meant to be public, e.g. a site behind a load balancer.",
};

/** Whether the named service is listed public: yes, no, or not known yet (its name is an unknown output). */
export function listedPublic(name: PropNode, publicServices: readonly unknown[]): boolean | "unknown" {
    if (publicServices.length === 0) {
        return false;
    }
    if (isUnknown(name)) {
        return "unknown";
    }
    const text = asString(name);
    return text !== undefined && publicServices.includes(text);
}
