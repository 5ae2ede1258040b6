// STIX 2.1 objects as JSON: every object stays a boost::json::object, so
// unknown properties and custom (x-...) types are carried through untouched;
// typed accessors read the properties atio uses, builders make new objects
// with the common properties the spec requires.
#pragma once

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/value.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace atio::stix {

namespace bj = boost::json;

// What a type is by the spec. Custom object types (x-... or any other name
// the spec does not define) are kCustom: kept, validated only for the common
// properties.
enum class Kind { kSdo, kSco, kSro, kMeta, kBundle, kCustom };

Kind kind_of(std::string_view type);
// "SDO", "SCO", "SRO", "meta object", "bundle", "custom object".
const char* kind_name(Kind kind);

// The type names the spec defines for each kind.
const std::vector<std::string_view>& sdo_types();
const std::vector<std::string_view>& sco_types();

// Read-only typed view of one object. Accessors return an empty view / null
// when the property is absent or of another JSON type.
class ObjectView {
 public:
  explicit ObjectView(const bj::object& o) : o_(&o) {}

  const bj::object& json() const { return *o_; }
  std::string_view type() const { return str("type"); }
  std::string_view id() const { return str("id"); }
  std::string_view spec_version() const { return str("spec_version"); }
  std::string_view created() const { return str("created"); }
  std::string_view modified() const { return str("modified"); }
  std::string_view name() const { return str("name"); }
  Kind kind() const { return kind_of(type()); }

  // The string property `key`, or "" when absent or not a string.
  std::string_view str(std::string_view key) const;
  std::optional<std::int64_t> integer(std::string_view key) const;
  const bj::array* array(std::string_view key) const;
  const bj::object* object(std::string_view key) const;
  // The string elements of an array property (object_refs, labels, ...).
  std::vector<std::string_view> strings(std::string_view key) const;

  // Every id this object references (*_ref and *_refs properties, at any
  // depth, including extensions and granular markings), with the JSON
  // pointer of each reference.
  struct Reference {
    std::string pointer;
    std::string_view id;
  };
  std::vector<Reference> references() const;

 private:
  const bj::object* o_;
};

// The builders below make their objects in `sp` (default: the heap). A
// converter that writes many small documents builds each in a monotonic
// buffer released after the document is written: no frees, no destructor walk.

// New SDO or SRO: type, spec_version "2.1", a random id, created and modified
// set to `timestamp` (a STIX timestamp).
bj::object new_sdo(std::string_view type, std::string_view timestamp, bj::storage_ptr sp = {});

// New relationship `source --relationship_type--> target`.
bj::object new_relationship(std::string_view relationship_type, std::string_view source_ref,
                            std::string_view target_ref, std::string_view timestamp,
                            bj::storage_ptr sp = {});

// An SCO to fill in: type, spec_version and an empty id, in that order, so
// that finish_sco() sets the id in place.
bj::object new_sco(std::string_view type, bj::storage_ptr sp = {});

// Gives an SCO whose properties are filled in its (deterministic where the
// spec says so) id. An object from new_sco() gets it in place; any other
// object gets type, spec_version and id put at its front (a rebuild, in the
// object's own storage). Returns the id.
std::string finish_sco(std::string_view type, bj::object* sco);

// The "id" of an object ("" when absent or not a string). Looks where the
// builders above put it (third) before searching.
std::string_view id_of(const bj::object& o);

// {"type": "bundle", "id": "bundle--<uuid4>", "objects": [...]}, in the
// storage of `objects`.
bj::object new_bundle(bj::array objects);

// An external reference {"source_name": ..., "external_id": ..., "url": ...}
// (empty arguments are left out).
bj::object external_reference(std::string_view source_name, std::string_view external_id,
                              std::string_view url = {}, bj::storage_ptr sp = {});

}  // namespace atio::stix
