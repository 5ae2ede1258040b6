// Building blocks of the STIX validator, shared by the validate*.cc files
// only: where a value is (Path), where problems go (Ctx), property tables
// (Prop, TypeRules) and the value checks those tables point to.
//
// The checks mirror the OASIS JSON schemas keyword by keyword (rule ids
// "schema.*") and add the STIX 2.1 MUSTs the schemas cannot see ("spec.*").
// Nothing allocates unless a problem is reported.
#pragma once

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/value.hpp>
#include <array>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>

#include "atio/cti/stix/object.h"
#include "atio/cti/stix/validate.h"

namespace atio::stix::check {

namespace bj = boost::json;

// Where a value sits below the object being validated. Lives on the stack;
// becomes a JSON pointer only when a problem is reported.
struct Path {
  static constexpr std::size_t kNoIndex = static_cast<std::size_t>(-1);
  const Path* parent = nullptr;  // nullptr: the object itself
  std::string_view key;
  std::size_t index = kNoIndex;

  Path operator/(std::string_view k) const { return Path{this, k, kNoIndex}; }
  Path operator/(std::size_t i) const { return Path{this, {}, i}; }
};

// Where problems of one object go.
class Ctx {
 public:
  Ctx(Validation* out, std::string_view base) : out_(out), base_(base) {}

  void error(const Path& at, std::string_view rule, std::string message) {
    add(Problem::Severity::kError, at, rule, std::move(message));
  }
  void warning(const Path& at, std::string_view rule, std::string message) {
    add(Problem::Severity::kWarning, at, rule, std::move(message));
  }
  std::string pointer(const Path& at) const;

  std::string_view type;  // the object's type
  // A custom (not spec-defined) type: id/type agreement is the text's rule.
  bool custom = false;
  // Inside observed-data "objects": references name keys of that dictionary,
  // not STIX identifiers.
  bool embedded = false;
  // Checking a property the schemas leave untyped but the text types: its
  // schema.* rules are reported as spec.property-format.
  bool spec_only = false;

 private:
  void add(Problem::Severity severity, const Path& at, std::string_view rule, std::string message);
  Validation* out_;
  std::string_view base_;
};

// Joins pieces into a message (only called when a problem is reported).
std::string cat(std::initializer_list<std::string_view> parts);

using CheckFn = void (*)(const bj::value& value, const Path& at, Ctx& ctx);

// Runs `kCheck` as a rule of the STIX text only (see Ctx::spec_only).
template <CheckFn kCheck>
void spec_typed(const bj::value& v, const Path& at, Ctx& ctx) {
  const bool was = ctx.spec_only;
  ctx.spec_only = true;
  kCheck(v, at, ctx);
  ctx.spec_only = was;
}

enum PropFlag : std::uint8_t { kOptional = 0, kRequired = 1 };

struct Prop {
  std::string_view name;
  CheckFn check;
  std::uint8_t flags = kOptional;
};

// validate_object for the object at `root` below `base` (the objects of a
// bundle are validated without building each one's pointer string first).
void validate_object_at(const bj::object& object, std::string_view base, const Path& root,
                        Validation* out);

// Index of `name` in `props`, or -1.
int find_prop(std::span<const Prop> props, std::string_view name);

// What keys outside a property table must look like.
enum class Others {
  kStix,        // STIX properties (properties.json): custom-name rules, no null, no []
  kDictionary,  // dictionary.json keys and values
  kClosed,      // not allowed (additionalProperties: false)
  kAny,         // anything
};

// Checks every member of `o` against `props` (and `others` for the rest);
// reports missing required properties. Returns a mask of the props present
// (bit i for props[i]; tables have at most 64 entries).
std::uint64_t check_members(const bj::object& o, std::span<const Prop> props, const Path& at,
                            Ctx& ctx, Others others = Others::kAny);

// anyOf of "required" lists: at least one of `names` is present.
void require_any(const bj::object& o, std::initializer_list<std::string_view> names, const Path& at,
                 Ctx& ctx);

// properties.json / dictionary.json: a value is never null or an empty list.
// Returns false after reporting (rule schema.* when `schema`, else spec.*).
bool check_present_value(const bj::value& v, const Path& at, Ctx& ctx, bool schema);
// A property no table defines: its name, and _bin/_hex values.
void check_custom_member(std::string_view key, const bj::value& v, const Path& at, Ctx& ctx,
                         bool schema);

// The rules of one object type.
enum class Base { kCore, kObservable, kOwn };
struct TypeRules {
  std::string_view type;
  Base base;
  std::span<const Prop> props;
  // Constraints across properties (oneOf/anyOf, time orders); may be null.
  void (*extra)(const bj::object& o, const Path& at, Ctx& ctx);
};
const TypeRules* find_sdo_rules(std::string_view type);   // SDOs, SROs
const TypeRules* find_meta_rules(std::string_view type);  // marking, language, extension
const TypeRules* find_sco_rules(std::string_view type);
std::span<const Prop> core_props();        // common properties of SDOs/SROs (core.json)
std::span<const Prop> observable_props();  // of SCOs (cyber-observable-core.json)

// Validates an SCO's members and cross-property rules (used at the top level
// and for the objects embedded in observed-data).
void check_object_body(const bj::object& o, const TypeRules* rules, const Path& at, Ctx& ctx);

// ---- names ----------------------------------------------------------------

// Custom property name: the OASIS pattern and the spec's [a-z0-9_]{3,250}.
void check_property_name(std::string_view name, const Path& at, Ctx& ctx);
// Object type name: the OASIS pattern and the spec's [a-z0-9-]{3,250}, no "--".
void check_type_name(std::string_view type, const Path& at, Ctx& ctx);
bool has_toplevel_property_extension(const bj::object& o);

// ---- values ---------------------------------------------------------------

void any(const bj::value&, const Path&, Ctx&);
void string(const bj::value& v, const Path& at, Ctx& ctx);
void boolean(const bj::value& v, const Path& at, Ctx& ctx);
void integer(const bj::value& v, const Path& at, Ctx& ctx);
void number(const bj::value& v, const Path& at, Ctx& ctx);
void object(const bj::value& v, const Path& at, Ctx& ctx);
void check_integer(const bj::value& v, const Path& at, Ctx& ctx, double lo, double hi);
void check_number(const bj::value& v, const Path& at, Ctx& ctx, double lo, double hi);
template <long long kLo, long long kHi>
void integer_in(const bj::value& v, const Path& at, Ctx& ctx) {
  check_integer(v, at, ctx, static_cast<double>(kLo), static_cast<double>(kHi));
}
template <long long kLo, long long kHi>
void number_in(const bj::value& v, const Path& at, Ctx& ctx) {
  check_number(v, at, ctx, static_cast<double>(kLo), static_cast<double>(kHi));
}
inline constexpr long long kUnbounded = 1LL << 60;
bool is_integer(const bj::value& v);
bool is_number(const bj::value& v);
double as_double(const bj::value& v);

void string_list(const bj::value& v, const Path& at, Ctx& ctx);       // array of strings
void string_list_min1(const bj::value& v, const Path& at, Ctx& ctx);  // ... at least one
void timestamp(const bj::value& v, const Path& at, Ctx& ctx);
void timestamp_ms(const bj::value& v, const Path& at, Ctx& ctx);  // created, modified
void hex(const bj::value& v, const Path& at, Ctx& ctx);
void binary(const bj::value& v, const Path& at, Ctx& ctx);
void hashes(const bj::value& v, const Path& at, Ctx& ctx);
void dictionary(const bj::value& v, const Path& at, Ctx& ctx);
void kill_chain_phases(const bj::value& v, const Path& at, Ctx& ctx);
void external_references(const bj::value& v, const Path& at, Ctx& ctx);
void granular_markings(const bj::value& v, const Path& at, Ctx& ctx);
void extensions(const bj::value& v, const Path& at, Ctx& ctx);        // core.json "extensions"
void extension_object(const bj::value& v, const Path& at, Ctx& ctx);  // extension.json
bool extension_definition_id(std::string_view key);
void identifier(const bj::value& v, const Path& at, Ctx& ctx);  // any STIX id
void identifier_list(const bj::value& v, const Path& at, Ctx& ctx);

// Timestamps: true when `s` has the shape of the OASIS timestamp pattern.
bool timestamp_shape(std::string_view s);
// Compares two valid timestamps as instants: <0, 0, >0.
int compare_timestamps(std::string_view a, std::string_view b);
// Reports `later` < `earlier` (or <= when `strict`) when both are valid timestamps.
void check_order(const bj::object& o, std::string_view earlier, std::string_view later, bool strict,
                 const Path& at, Ctx& ctx);
// The same for two values already at hand.
void check_order(const bj::value& earlier_value, const bj::value& later_value,
                 std::string_view earlier, std::string_view later, bool strict, const Path& at,
                 Ctx& ctx);

// Identifiers: true when `id` matches the OASIS identifier pattern; sets the
// type part.
bool parse_identifier(std::string_view id, std::string_view* type);

// What a reference may point to: the types the OASIS schema allows (null:
// any) and those the STIX text allows (null: any), named for messages.
struct RefRule {
  bool (*schema_ok)(std::string_view type);
  bool (*spec_ok)(std::string_view type);
  std::string_view what;  // "an identity"
};
void check_id_ref(const bj::value& v, const Path& at, Ctx& ctx, const RefRule& rule);
void check_id_refs(const bj::value& v, const Path& at, Ctx& ctx, const RefRule& rule, bool min1);
// SCO references: the schemas only ask for a string; the text for an id of
// given types (not checked inside observed-data "objects", where they are keys).
void check_sco_ref(const bj::value& v, const Path& at, Ctx& ctx, const RefRule& rule);
void check_sco_refs(const bj::value& v, const Path& at, Ctx& ctx, const RefRule& rule);
template <const RefRule* kRule>
void id_ref(const bj::value& v, const Path& at, Ctx& ctx) {
  check_id_ref(v, at, ctx, *kRule);
}
template <const RefRule* kRule>
void id_refs(const bj::value& v, const Path& at, Ctx& ctx) {
  check_id_refs(v, at, ctx, *kRule, true);
}
template <const RefRule* kRule>
void sco_ref(const bj::value& v, const Path& at, Ctx& ctx) {
  check_sco_ref(v, at, ctx, *kRule);
}
template <const RefRule* kRule>
void sco_refs(const bj::value& v, const Path& at, Ctx& ctx) {
  check_sco_refs(v, at, ctx, *kRule);
}

// ---- vocabularies -----------------------------------------------------------

struct Vocab {
  std::string_view name;  // "identity-class-ov"
  std::span<const std::string_view> values;
  bool closed;  // an enumeration: values outside are errors
};
bool in_vocab(const Vocab& vocab, std::string_view value);
void check_vocab(const bj::value& v, const Path& at, Ctx& ctx, const Vocab& vocab);
void check_vocab_list(const bj::value& v, const Path& at, Ctx& ctx, const Vocab& vocab);
template <const Vocab* kVocab>
void vocab(const bj::value& v, const Path& at, Ctx& ctx) {
  check_vocab(v, at, ctx, *kVocab);
}
template <const Vocab* kVocab>
void vocab_list(const bj::value& v, const Path& at, Ctx& ctx) {
  check_vocab_list(v, at, ctx, *kVocab);
}

extern const Vocab kAccountTypeOv, kAttackMotivationOv, kAttackResourceLevelOv, kGroupingContextOv,
    kHashAlgorithmOv, kIdentityClassOv, kImplementationLanguageOv, kIndicatorTypeOv,
    kIndustrySectorOv, kInfrastructureTypeOv, kMalwareCapabilitiesOv, kMalwareResultOv,
    kMalwareTypeOv, kPatternTypeOv, kProcessorArchitectureOv, kRegionOv, kReportTypeOv,
    kThreatActorRoleOv, kThreatActorSophisticationOv, kThreatActorTypeOv, kToolTypeOv,
    kWindowsPebinaryTypeOv;
extern const Vocab kOpinionEnum, kEncryptionAlgorithmEnum, kExtensionTypeEnum,
    kWindowsRegistryDatatypeEnum, kSocketAddressFamilyEnum, kSocketTypeEnum,
    kWindowsIntegrityLevelEnum, kServiceStartTypeEnum, kServiceTypeEnum, kServiceStatusEnum;

// True when the spec lists `relationship_type` from `source` to `target`
// (both spec-defined types), or it is one of the common relationship types.
bool known_relationship(std::string_view source, std::string_view relationship_type,
                        std::string_view target);

// ---- text matching ----------------------------------------------------------

bool all_of(std::string_view s, bool (*pred)(char));
// Inline: called for every character of every id and name on the hot path.
inline bool is_lower_alnum(char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'); }
// a-z, 0-9 and '-': one table lookup per character of a type name.
inline bool is_type_char(char c) {
  static constexpr auto kTable = [] {
    std::array<bool, 256> t{};
    for (int i = 'a'; i <= 'z'; ++i) t[i] = true;
    for (int i = '0'; i <= '9'; ++i) t[i] = true;
    t['-'] = true;
    return t;
  }();
  return kTable[static_cast<unsigned char>(c)];
}
inline bool is_hex_digit(char c) {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}
bool starts_with(std::string_view s, std::string_view prefix);
bool ends_with(std::string_view s, std::string_view suffix);
// Python re.search of "^a|b|...|z$" as the OASIS schemas write it: s starts
// with the first alternative, contains a middle one, or ends with the last
// (contains it, when the pattern has no "$").
bool search_alternation(std::string_view s, std::span<const std::string_view> alternatives,
                        bool anchored_end = true);

// ---- observable values (validate_sco_values.cc) -------------------------------

bool ipv4_value(std::string_view s);    // dotted quad, optional /0-32
bool ipv6_value(std::string_view s);    // RFC 4291 text, optional %zone and /0-128
bool mac_value(std::string_view s);     // lowercase colon-separated
bool cpe23_search(std::string_view s);  // contains a CPE 2.3 formatted string
bool language_tag(std::string_view s);  // software "languages" pattern

}  // namespace atio::stix::check
