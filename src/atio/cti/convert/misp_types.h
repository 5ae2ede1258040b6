// The MISP vocabulary both MISP converters share (misp_to_stix, stix_to_misp):
// hash names, galaxy types, TLP marking definitions, MISP timestamps, STIX
// pattern quoting and the MISP UUID namespace. Everything here is a pure
// function of its arguments, so both directions agree by construction.
#pragma once

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>

#include <optional>
#include <string>
#include <string_view>

#include "atio/cti/stix/time.h"

namespace atio::convert::misp {

namespace bj = boost::json;

// MISP's UUIDv5 namespace; misp-stix derives relationship ids from it
// (uuid5(ns, "source - type - target")), so atio's ids match misp-stix's.
inline constexpr std::string_view kMispNamespace = "76beed5f-7251-457e-8c2a-b45f7b589d3d";

// "relationship--<uuid5 of 'source - type - target'>".
std::string relationship_id(std::string_view source, std::string_view type,
                            std::string_view target);

// A MISP string or number field as text ("1603642920", 1603642920, true -> "").
std::string text(const bj::object& o, std::string_view key);
// MISP booleans arrive as true, "1", 1 or "true".
bool flag(const bj::object& o, std::string_view key, bool dflt = false);

// MISP's default to_ids for an attribute type (what MISP sets when an
// attribute is created without one): true for the network and file
// indicators, false for context (AS, link, text, vulnerability, ...).
bool default_to_ids(std::string_view type);

// MISP epoch seconds ("1603642920") as a time point; nullopt when malformed.
std::optional<stix::TimePoint> epoch(std::string_view seconds);
// STIX timestamps: with milliseconds (created, modified) and without
// (first_observed, valid_from), as misp-stix writes them.
std::string stix_time(stix::TimePoint t);
std::string stix_time_seconds(stix::TimePoint t);
// A STIX timestamp as MISP epoch seconds text ("" when malformed).
std::string epoch_text(std::string_view stix_time);
// A MISP datetime attribute value ("2020-10-25T16:22:00+00:00") as a STIX
// timestamp in seconds; the value itself when it cannot be read.
std::string datetime_value(std::string_view value);

// The STIX hashes key of a MISP hash type: md5 -> MD5, sha256 -> SHA-256,
// ssdeep -> SSDEEP, ... Empty when `misp_type` is not a hash type.
std::string_view hash_key(std::string_view misp_type);
// The reverse: MD5 -> md5, SHA-256 -> sha256 (keys are matched without
// regard to case or dashes). Empty when unknown.
std::string_view hash_type(std::string_view stix_key);
// True when `value` has the form the STIX hashes-type schema requires for
// `stix_key` (hex of the right length, SSDEEP and TLSH alphabets); other
// keys only refuse blanks and control characters. misp-stix keeps a hash
// that fails this as a custom property, and so does atio.
bool valid_hash(std::string_view stix_key, std::string_view value);
// A hashes key as a pattern path segment: MD5, 'SHA-256'.
std::string hash_path(std::string_view stix_key);

// Quotes a value for a STIX pattern string literal (backslash and quote).
std::string quote(std::string_view value);

// Splits a composite MISP value ("a|b") at its first '|'. False when there is
// none.
bool split_composite(std::string_view value, std::string* first, std::string* second);

// The STIX object type misp-stix makes of a galaxy cluster of `galaxy_type`
// (mitre-attack-pattern -> attack-pattern, threat-actor -> threat-actor,
// banker -> malware, ...); empty for galaxies it keeps as
// x-misp-galaxy-cluster.
std::string_view galaxy_stix_type(std::string_view galaxy_type);

// The standard TLP 1.0 marking definitions of STIX 2.1 section 7.2.1.4.
// nullopt when `tag` is not tlp:white/green/amber/red (any case).
std::optional<bj::object> tlp_marking(std::string_view tag);
// "tlp:amber" for the id of the TLP:AMBER definition; empty otherwise.
std::string_view tlp_tag(std::string_view marking_id);

// The uuid part of "type--uuid" ("" when it has no "--").
std::string_view id_uuid(std::string_view stix_id);

}  // namespace atio::convert::misp
