import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { topicManifest } from '@clinic/contracts';

/** terraform/topics.json: the topic manifest as terraform reads it (jsondecode in modules/msk). */
export const topicsJsonPath = path.resolve(__dirname, '..', '..', 'terraform', 'topics.json');

export function topicsJson(): string {
  const topics = topicManifest().map((topic) => ({
    name: topic.name,
    partitions: topic.partitions,
    retention_ms: topic.retentionHours * 3_600_000,
  }));
  return `${JSON.stringify({ generatedFrom: 'libs/contracts/src/events/topics.ts (npm run topics)', topics }, null, 2)}\n`;
}

if (require.main === module) {
  writeFileSync(topicsJsonPath, topicsJson());
  console.log(`wrote ${path.relative(process.cwd(), topicsJsonPath)}`);
}
