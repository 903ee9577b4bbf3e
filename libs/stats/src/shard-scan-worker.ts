// Worker thread of the stats scan: one shard per task (shard-scan.ts); results are plain counts.
import { loadCatalog } from '@qoq/catalog';
import { serveWorker } from '@qoq/runtime';
import { scanShard, type ShardScanOutcome, type ShardScanTask } from './shard-scan';

const catalog = loadCatalog();
serveWorker<ShardScanTask, ShardScanOutcome>((task) => scanShard(task, catalog));
