# The comparable mapping in jq: each Suricata alert -> a STIX-shaped bundle
# (identity, actor/target addresses, network-traffic, attack-pattern,
# sighting, report). jq has no UUIDs, so ids are derived from the flow id and
# record number; no validation. Used by bench/convert.sh as a peer.
select(.event_type == "alert")
| (.flow_id | tostring) as $f
| (.timestamp) as $t
| {
    type: "bundle",
    id: ("bundle--" + $f),
    objects: [
      {type: "identity", spec_version: "2.1", id: ("identity--" + $f), created: $t, modified: $t,
       name: (.host // "suricata"), identity_class: "system"},
      {type: (if (.src_ip | contains(":")) then "ipv6-addr" else "ipv4-addr" end), spec_version: "2.1",
       id: ("ipv4-addr--src-" + $f), value: .src_ip},
      {type: (if (.dest_ip | contains(":")) then "ipv6-addr" else "ipv4-addr" end), spec_version: "2.1",
       id: ("ipv4-addr--dst-" + $f), value: .dest_ip},
      {type: "network-traffic", spec_version: "2.1", id: ("network-traffic--" + $f),
       src_ref: ("ipv4-addr--src-" + $f), dst_ref: ("ipv4-addr--dst-" + $f),
       src_port: .src_port, dst_port: .dest_port, protocols: [(.proto | ascii_downcase)]},
      {type: "attack-pattern", spec_version: "2.1", id: ("attack-pattern--" + $f), created: $t, modified: $t,
       name: .alert.signature, description: .alert.category,
       external_references: [{source_name: "suricata",
         external_id: ((.alert.gid | tostring) + ":" + (.alert.signature_id | tostring) + ":" + (.alert.rev | tostring))}]},
      {type: "sighting", spec_version: "2.1", id: ("sighting--" + $f), created: $t, modified: $t,
       first_seen: $t, last_seen: $t, count: 1, sighting_of_ref: ("attack-pattern--" + $f),
       where_sighted_refs: [("identity--" + $f)],
       confidence: ({"1": 80, "2": 60, "3": 40}[(.alert.severity | tostring)] // 20)},
      {type: "report", spec_version: "2.1", id: ("report--" + $f), created: $t, modified: $t,
       name: ("Suricata alert: " + .alert.signature), published: $t, report_types: ["threat-report"],
       object_refs: [("identity--" + $f), ("attack-pattern--" + $f), ("sighting--" + $f)]}
    ]
  }
