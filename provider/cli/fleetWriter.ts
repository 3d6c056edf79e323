import { stringify } from "yaml";
import type { FleetFormat } from "../fleet";
import type { LocationProfile } from "../client";
import { locationResourceName } from "../fleet/naming";
import { LOCATION_SERVICE_TOKEN } from "../native/schema";

/** One location as an exported fleet file holds it: the four fields of a fleet entry, nothing else. */
export interface ExportedEntry {
  customerId: string;
  locationId: string;
  serviceId: string;
  profile: LocationProfile;
}

const FIELDS = ["customerId", "locationId", "serviceId", "profile"] as const;

/**
 * The text of a fleet file holding `entries`, in `format`, as the loader reads it (docs/fleet.md): YAML and
 * JSON as `locations:` lists, CSV with a `customerId,locationId,serviceId,profile` header. Every value is
 * written as text, quoted where the format needs it, so an id such as `00123` or `1e3` reads back the same.
 */
export function formatFleet(entries: readonly ExportedEntry[], format: FleetFormat): string {
  const rows = entries.map((entry) => ({
    customerId: entry.customerId,
    locationId: entry.locationId,
    serviceId: entry.serviceId,
    profile: entry.profile,
  }));
  if (format === "json") return `${JSON.stringify({ locations: rows }, null, 2)}\n`;
  if (format === "csv") {
    return [FIELDS.join(","), ...rows.map((row) => FIELDS.map((field) => csvField(row[field])).join(","))]
      .map((line) => `${line}\n`)
      .join("");
  }
  return stringify({ locations: rows }, { lineWidth: 0 });
}

/** A CSV field (RFC 4180): in double quotes, with quotes doubled, when it holds a comma, quote or line break. */
function csvField(value: string): string {
  return /[",\r\n]/.test(value) || value !== value.trim() ? `"${value.replace(/"/g, '""')}"` : value;
}

/**
 * The file `pulumi import --file` takes to adopt `entries` as native `plume:index:LocationService` resources:
 * each named as the fleet program names a location (`loc-<customerId>-<locationId>`), with the resource id
 * `<customerId>/<locationId>`. The import reads each location and writes nothing to Plume.
 */
export function formatImportFile(entries: readonly ExportedEntry[]): string {
  const resources = entries.map((entry) => ({
    type: LOCATION_SERVICE_TOKEN,
    name: locationResourceName(entry.customerId, entry.locationId),
    id: `${entry.customerId}/${entry.locationId}`,
  }));
  return `${JSON.stringify({ resources }, null, 2)}\n`;
}
