// An independent TUF client for Sluice's tests: tuf-js (not written here) refreshes metadata from
// a running Sluice server, starting from a trusted root.json, and downloads one target.
//
//   node client.mjs <metadataBaseUrl> <targetBaseUrl> <metadataDir> <targetDir> <targetPath>
//
// metadataDir must hold the trusted root.json (and keeps tuf-js's state between runs, so rollback
// protection can be tested across refreshes). Prints one JSON line; exit 0 on success, 1 on a
// verification failure (the error's name and message are printed), 2 on bad usage.
import { Updater } from 'tuf-js';
import path from 'node:path';

const [metadataBaseUrl, targetBaseUrl, metadataDir, targetDir, targetPath] = process.argv.slice(2);
if (!targetPath) {
  console.error('usage: node client.mjs <metadataBaseUrl> <targetBaseUrl> <metadataDir> <targetDir> <targetPath>');
  process.exit(2);
}

try {
  const updater = new Updater({ metadataBaseUrl, targetBaseUrl, metadataDir, targetDir });
  await updater.refresh();
  const info = await updater.getTargetInfo(targetPath);
  if (!info) {
    console.log(JSON.stringify({ ok: false, error: 'TargetNotFound', message: targetPath }));
    process.exit(1);
  }
  const file = await updater.downloadTarget(info, path.join(targetDir, path.basename(targetPath)));
  console.log(JSON.stringify({ ok: true, path: file, length: info.length, custom: info.custom ?? null }));
} catch (e) {
  console.log(JSON.stringify({ ok: false, error: e?.constructor?.name ?? 'Error', message: String(e?.message ?? e) }));
  process.exit(1);
}
