// Loaded into the real server with `node --require`: when its first HTTP request arrives, writes the
// files it has loaded so far (require.cache) to $LOADED_MODULES_REPORT as a JSON array.
const fs = require("node:fs");
const diagnostics = require("node:diagnostics_channel");

const requestStart = diagnostics.channel("http.server.request.start");
function onFirstRequest() {
  requestStart.unsubscribe(onFirstRequest);
  fs.writeFileSync(process.env.LOADED_MODULES_REPORT, JSON.stringify(Object.keys(require.cache)));
}
requestStart.subscribe(onFirstRequest);
