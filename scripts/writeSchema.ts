// `npm run schema`: writes the native provider's package schema (provider/native/schema.ts) to schema.json at
// the repository root, where SDK generation reads it. Run it after changing a setting, a field or the version.
import { writeFileSync } from "node:fs";
import * as path from "node:path";
import { packageSchemaText } from "../provider/native/schema";

const target = path.join(__dirname, "..", "schema.json");
writeFileSync(target, packageSchemaText());
console.log(`wrote ${path.relative(process.cwd(), target) || target}`);
