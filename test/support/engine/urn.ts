/**
 * Resource URNs the way the Pulumi engine builds them, and alias resolution.
 * `urn:pulumi:<stack>::<project>::<qualified type>::<name>`, where the qualified type is the parent's
 * qualified type joined with `$`, except that children of the stack do not carry the stack's type.
 */

/** The type of the root stack resource every program registers first. */
export const rootStackType = "pulumi:pulumi:Stack";

/** An alias given as a spec: the parts of the old URN that differ from the new one. */
export interface AliasSpec {
  name?: string;
  type?: string;
  stack?: string;
  project?: string;
  /** The old parent's URN, when the alias names one. */
  parentUrn?: string;
  /** True when the old resource had no parent at all. */
  noParent: boolean;
}

/** The parts a URN is made of. */
export interface UrnParts {
  stack: string;
  project: string;
  qualifiedType: string;
  name: string;
}

/** Builds a URN from its parts. */
export function formatUrn(parts: UrnParts): string {
  return `urn:pulumi:${parts.stack}::${parts.project}::${parts.qualifiedType}::${parts.name}`;
}

/** Splits a URN into its parts; the name may itself contain `::`. */
export function parseUrn(urn: string): UrnParts {
  const [prefix, project, qualifiedType, ...nameParts] = urn.split("::");
  return { stack: prefix.replace(/^urn:pulumi:/, ""), project, qualifiedType, name: nameParts.join("::") };
}

/** The qualified type a child of `parentUrn` gets for its own `type`. */
export function qualifiedTypeOf(type: string, parentUrn: string): string {
  if (!parentUrn) {
    return type;
  }
  const parentType = parseUrn(parentUrn).qualifiedType;
  return parentType === rootStackType ? type : `${parentType}$${type}`;
}

/** The URN of a resource registered with this type, name and parent. */
export function resourceUrn(
  stack: string,
  project: string,
  type: string,
  name: string,
  parentUrn: string,
): string {
  return formatUrn({ stack, project, qualifiedType: qualifiedTypeOf(type, parentUrn), name });
}

/**
 * The URNs a registration's aliases stand for. Unset parts of a spec default to the new resource's
 * own, and a spec without a parent keeps the new resource's parent, as the engine does.
 */
export function aliasUrns(
  resource: { stack: string; project: string; type: string; name: string; parentUrn: string },
  specs: AliasSpec[],
): string[] {
  return specs.map((spec) => {
    const parentUrn = spec.noParent ? "" : (spec.parentUrn ?? resource.parentUrn);
    return resourceUrn(
      spec.stack ?? resource.stack,
      spec.project ?? resource.project,
      spec.type ?? resource.type,
      spec.name ?? resource.name,
      parentUrn,
    );
  });
}
