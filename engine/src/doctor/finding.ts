// What `maestro doctor` reports: one finding per orphaned or inconsistent object, with why.

export type FindingKind =
  /** A VLAN configured on a switch that no tenancy holds and no owned port uses. */
  | 'orphan_vlan'
  /** An unowned switch port carrying a tenancy's VLAN. */
  | 'orphan_port'
  /** An allocated IP whose owner holds no server (and is not the tenancy itself). */
  | 'orphan_ip'
  /** A server allocated, provisioning or active without an owner, or for a tenancy that has no network. */
  | 'orphan_server'
  /** A server `available` although it was not cleaned since it was last allocated. */
  | 'uncleaned_server'
  /** A switch the doctor could not read, so its VLANs and ports went unchecked. */
  | 'switch_unreachable';

export interface Finding {
  kind: FindingKind;
  /** The device or object at fault, e.g. `leaf1 VLAN 300`, `leaf1/Ethernet3`, `server r01-gpu-01`. */
  object: string;
  /** Why it is reported, in words an operator can act on. */
  why: string;
}

export interface DoctorReport {
  findings: Finding[];
  /** How much was looked at, so "no findings" is not mistaken for "nothing checked". */
  checked: { switches: number; ports: number; servers: number; tenancies: number; ips: number };
}
