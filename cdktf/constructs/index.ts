// Constructs for app teams, built on the generated maestro provider bindings (cdktf/maestro-provider).
export { AppCluster, APP_CLUSTER_DEFAULTS, validateAppClusterProps } from './app-cluster';
export type { AppClusterProps, AppClusterTenancy, AppClusterTenancySettings } from './app-cluster';
