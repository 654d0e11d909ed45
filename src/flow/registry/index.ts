export {
  FlowRegistry,
  FLOW_FILE_EXTENSIONS,
  fsDirectoryWatcher,
  type DirectoryWatcher,
  type FlowRegistryEvent,
  type FlowRegistryOptions,
} from './flow-registry.js';
