// IPAM's public API: tenancy networks (VLAN, VNI, subnet) and host IPs, allocated and released transactionally.

export { allocateTenancyNetwork, releaseTenancyNetwork, DEFAULT_TENANCY_MTU, type TenancyNetworkRequest } from './tenancy-network';
export { allocateIp, releaseIp, type IpRequest } from './ip-allocation';
export { AllocationError, CapacityError, type AllocationErrorCode } from '../domain/allocation-error';
export type { IpAllocationRecord, SegmentPoolRecord, TenancyNetworkRecord } from '../store/allocation-store';
