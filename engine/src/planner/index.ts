// The planner's public surface: intent + observed state -> device operations (pure; nothing here does I/O).

export { fabricTree, type FabricTree } from './fabric-tree';
export { memberConfig, type Fabric, type FabricSwitch, type ObservedSwitch, type PlanInput, type PortIntent, type TenancyIntent, type TenancyMember } from './intent';
export { PlanError, type DeviceOperation, type OperationKind } from './operation';
export { planTenancyChanges } from './plan';
export { stretchOf, type Stretch } from './stretch';
export { inventoryIntent, type InventoryIntent, type InventorySnapshot, type ProposedMember, type TenancyProposal } from './inventory-intent';
