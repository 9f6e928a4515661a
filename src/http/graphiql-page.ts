/** The /graphiql page and its script (see graphiql.ts); kept in code so the compiled server needs no asset files. */

export const PAGE = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>GraphQL, offline — Account platform</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>
  body { font: 15px/1.5 system-ui, sans-serif; max-width: 60rem; margin: 2rem auto; padding: 0 1rem; color: #1d2330; }
  textarea, input, pre { width: 100%; box-sizing: border-box; font: 13px/1.4 ui-monospace, monospace; }
  textarea { height: 12rem; } #variables { height: 5rem; }
  pre { background: #f4f5f7; padding: .75rem; overflow: auto; white-space: pre-wrap; }
  button { font: inherit; padding: .3rem 1.2rem; }
  label { display: block; margin-top: .75rem; font-weight: 600; }
</style>
</head>
<body>
<h1>GraphQL, without Apollo's CDN</h1>
<p>Apollo Sandbox at <a href="/graphql">/graphql</a> loads its UI from Apollo's CDN; this page needs no network.
  The schema: <a href="/graphiql/schema.graphql">schema.graphql</a>. The account center: <a href="/">/</a>.</p>
<label for="query">Query</label>
<textarea id="query" spellcheck="false">{ providers { kind enabled } }</textarea>
<label for="variables">Variables (JSON)</label>
<textarea id="variables" spellcheck="false">{}</textarea>
<label for="token">Bearer token (a session token from <code>login</code>/<code>register</code>, or an API key)</label>
<input id="token" autocomplete="off">
<p><button id="run" type="button">Run</button></p>
<pre id="result">The answer shows here.</pre>
<h2>The same with curl</h2>
<pre id="curl">curl -s __ORIGIN__/graphql -H 'content-type: application/json' \\
  -H "authorization: Bearer $TOKEN" \\
  -d '{"query":"{ me { id username } }"}'</pre>
<script src="/graphiql/runner.js"></script>
</body>
</html>
`;

export const RUNNER = `// Runs the query of /graphiql against /graphql on this origin; no library, so nothing to download.
"use strict";
const field = (id) => document.getElementById(id);

field("run").addEventListener("click", async () => {
  const result = field("result");
  let variables;
  try {
    variables = JSON.parse(field("variables").value || "{}");
  } catch {
    result.textContent = "The variables are not valid JSON.";
    return;
  }
  const token = field("token").value.trim();
  const headers = { "content-type": "application/json" };
  if (token) headers.authorization = "Bearer " + token;
  result.textContent = "…";
  try {
    const response = await fetch("/graphql", { method: "POST", headers, body: JSON.stringify({ query: field("query").value, variables }) });
    result.textContent = "HTTP " + response.status + "\\n" + JSON.stringify(await response.json(), null, 2);
  } catch (error) {
    result.textContent = String(error);
  }
});
`;
