// The comparable mapping in a small single-threaded Node.js script: each
// Suricata alert (NDJSON on a file) -> a STIX bundle with random v4 ids for
// SDOs and v5 ids (SHA-1 over the sorted JSON of the value) for the
// addresses, as atio does; no validation. A peer for bench/convert.sh.
// Usage: node map.js IN.ndjson OUT.ndjson
'use strict';
const fs = require('fs');
const crypto = require('crypto');

const NS = Buffer.from('00abedb4aa42466c9c01fed23315a9b7', 'hex');
function uuid5(name) {
  const h = crypto.createHash('sha1').update(NS).update(name).digest();
  h[6] = (h[6] & 0x0f) | 0x50;
  h[8] = (h[8] & 0x3f) | 0x80;
  const x = h.subarray(0, 16).toString('hex');
  return `${x.slice(0, 8)}-${x.slice(8, 12)}-${x.slice(12, 16)}-${x.slice(16, 20)}-${x.slice(20)}`;
}
const sdo = (type, t) => ({type, spec_version: '2.1', id: `${type}--${crypto.randomUUID()}`, created: t, modified: t});
function addr(ip) {
  const type = ip.includes(':') ? 'ipv6-addr' : 'ipv4-addr';
  return {type, spec_version: '2.1', id: `${type}--${uuid5(JSON.stringify({value: ip}))}`, value: ip};
}

function main() {
  const fd = fs.openSync(process.argv[2], 'r');
  const outFd = fs.openSync(process.argv[3], 'w');
  const now = new Date().toISOString();
  let buf = [];
  let pending = '';
  const chunk = Buffer.alloc(1 << 20);
  for (;;) {
    const n = fs.readSync(fd, chunk, 0, chunk.length, null);
    const text = pending + chunk.toString('utf8', 0, n);
    const lines = text.split('\n');
    pending = n === 0 ? '' : lines.pop();
    for (const line of lines) handle(line);
    if (buf.length) { fs.writeSync(outFd, buf.join('\n') + '\n'); buf = []; }
    if (n === 0) break;
  }
  fs.closeSync(outFd);

  function handle(line) {
    if (!line) return;
    let r;
    try { r = JSON.parse(line); } catch (e) { return; }
    if (r.event_type !== 'alert') return;
    const t = new Date(r.timestamp).toISOString();
    const a = r.alert || {};
    const identity = Object.assign(sdo('identity', now), {name: r.host || 'suricata', identity_class: 'system'});
    const src = addr(r.src_ip), dst = addr(r.dest_ip);
    const nt = {type: 'network-traffic', spec_version: '2.1', src_ref: src.id, dst_ref: dst.id,
                src_port: r.src_port, dst_port: r.dest_port, protocols: [String(r.proto).toLowerCase()]};
    nt.id = `network-traffic--${uuid5(JSON.stringify({dst_port: nt.dst_port, dst_ref: nt.dst_ref, protocols: nt.protocols, src_port: nt.src_port, src_ref: nt.src_ref}))}`;
    const ap = Object.assign(sdo('attack-pattern', now), {name: a.signature, description: a.category,
      external_references: [{source_name: 'suricata', external_id: `${a.gid}:${a.signature_id}:${a.rev}`}]});
    const conf = {1: 80, 2: 60, 3: 40}[a.severity] || 20;
    const sighting = Object.assign(sdo('sighting', now), {first_seen: t, last_seen: t, count: 1,
      confidence: conf, sighting_of_ref: ap.id, where_sighted_refs: [identity.id]});
    const objects = [identity, src, dst, nt, ap, sighting];
    const report = Object.assign(sdo('report', now), {name: `Suricata alert: ${a.signature}`, published: t,
      report_types: ['threat-report'], confidence: conf, object_refs: objects.map(o => o.id)});
    objects.push(report);
    buf.push(JSON.stringify({type: 'bundle', id: `bundle--${crypto.randomUUID()}`, objects}));
  }
}
main();
