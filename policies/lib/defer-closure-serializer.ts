/**
 * Imported by index.ts before anything else, so that it runs before @pulumi/policy loads the SDK: the SDK's
 * closure serializer then loads only if something calls it (deferred-modules.ts).
 */
import * as path from "path";
import { deferClosureSerializer } from "./deferred-modules";

deferClosureSerializer(path.dirname(require.resolve("@pulumi/policy")));
