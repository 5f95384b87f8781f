// Fails fast when the scripts are not running on the project's pinned Node.js 22.
const [major] = process.versions.node.split('.').map(Number);
if (major !== 22) {
  process.stderr.write(
    `Expected Node.js 22 (the Azure Functions runtime), got ${process.version}. ` +
      'Run the scripts through npm so that node_modules/.bin/node is used.\n',
  );
  process.exit(1);
}
