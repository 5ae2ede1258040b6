// atio's REST API called with the admin key, for the end-to-end tests' setup
// (what a test arranges through the API before it looks at the page), and
// a deadline-bound wait for a condition that the server reaches by itself.

export async function rest(env, method, path, body) {
  const res = await fetch(env.url + '/api/v1' + path, {
    method,
    headers: { Authorization: `Bearer ${env.adminKey}`, 'Content-Type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  let json = null;
  try {
    json = text ? JSON.parse(text) : null;
  } catch {
    json = text;
  }
  if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${text}`);
  return json;
}

// Calls `probe` until it returns a truthy value (returned), or fails after `ms`.
export async function until(what, probe, ms = 30_000) {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = await probe();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
