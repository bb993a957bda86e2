// Placement's public API: server selection and the server allocation/lifecycle transactions the workflows call.

export { chooseServer, type ServerRequest } from './choose-server';
export { foreignPortHolders, type PortOwnerSource } from './port-holders';
export { allocateServer, releaseServer, setServerState, type AllocateServerRequest, type AllocationHost } from './server-allocation';
export { AllocationError, CapacityError, type AllocationErrorCode } from '../domain/allocation-error';
export type { ServerState } from '../domain/server-lifecycle';
export type { ServerRecord } from '../store/allocation-store';
