// Node-RED settings for the benchmark peer: HTTP on 127.0.0.1 only, no editor, flows from
// flow.json, user directory in the run's temp dir (NODE_RED_USER_DIR), quiet logging.
module.exports = {
  uiHost: "127.0.0.1",
  uiPort: Number(process.env.NODE_RED_PORT),
  userDir: process.env.NODE_RED_USER_DIR,
  flowFile: __dirname + "/flow.json",
  flowFilePretty: false,
  readOnly: true,
  httpAdminRoot: false,
  credentialSecret: false,
  disableEditor: true,
  externalModules: { autoInstall: false },
  telemetry: { enabled: false },
  diagnostics: { enabled: false },
  runtimeState: { enabled: false },
  logging: { console: { level: "warn", metrics: false, audit: false } },
};
