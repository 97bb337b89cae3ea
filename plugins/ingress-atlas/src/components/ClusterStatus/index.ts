export {
  ClusterProblems,
  ClusterStatusLabel,
  SnapshotTime,
} from './ClusterStatus';
