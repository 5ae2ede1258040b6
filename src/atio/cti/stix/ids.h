// STIX 2.1 identifiers: `type--UUID`.
//
// SDOs, SROs and meta objects get a random (v4) UUID. SCOs get a
// deterministic v5 UUID in the STIX namespace from the JCS canonical form of
// their ID-contributing properties (STIX 2.1 section 2.9), so the same
// observable always gets the same id wherever it is produced.
#pragma once

#include <boost/json/object.hpp>

#include <string>
#include <string_view>

namespace atio::stix {

// 00abedb4-aa42-466c-9c01-fed23315a9b7
inline constexpr std::string_view kStixNamespace = "00abedb4-aa42-466c-9c01-fed23315a9b7";

// RFC 9562 name-based UUID (SHA-1) of `name` in `namespace_uuid` (canonical
// text form). REQUIRES: namespace_uuid is a canonical UUID.
std::string uuid_v5(std::string_view namespace_uuid, std::string_view name);
// The same, written as 36 characters at `out` (no allocation).
void uuid_v5_into(std::string_view namespace_uuid, std::string_view name, char* out);

// "type--<uuid v4>".
std::string random_id(std::string_view type);

// The id of an SCO of `type` with the properties in `sco` (other members such
// as id, type and spec_version are ignored). Falls back to a v4 UUID when the
// type has no ID-contributing properties (process) or none of them is present;
// unknown and custom SCO types use a v4 UUID too (their contributing
// properties are unknown).
std::string sco_id(std::string_view type, const boost::json::object& sco);

// Splits "type--uuid"; false when it does not have that shape (the type part
// non-empty, the uuid part a canonical UUID).
bool split_id(std::string_view id, std::string_view* type, std::string_view* uuid);

}  // namespace atio::stix
