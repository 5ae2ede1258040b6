#include "atio/store/sql/enrich_tables.h"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include "atio/store/sql/conn.h"

namespace atio::store::sql {

namespace {

AssetRecord read_asset(Stmt& s) {
  AssetRecord r;
  r.id = s.text(0);
  r.name = s.text(1);
  r.document = s.object(2);
  r.updated_at_ms = s.int64(3);
  return r;
}

SightingRecord read_sighting(Stmt& s) {
  SightingRecord r;
  r.detection_id = s.text(0);
  r.first_seen = s.text(1);
  r.last_seen = s.text(2);
  r.count = s.int64(3);
  r.asset_id = s.text(4);
  r.importance = s.int64(5);
  r.last_occurrence = s.text(6);
  r.external_ids = s.object(7);
  return r;
}

constexpr const char* kSelectAsset = "SELECT id, name, document, updated_at FROM assets";

}  // namespace

Status apply_op(Conn* db, const PutAsset& op) {
  const AssetRecord& a = op.asset;
  Stmt s(db,
         "INSERT INTO assets(id, name, document, updated_at) VALUES(?,?,?,?)"
         " ON CONFLICT(id) DO UPDATE SET name=excluded.name, document=excluded.document,"
         " updated_at=excluded.updated_at");
  s.bind(1, a.id).bind(2, a.name).bind(3, bj::serialize(a.document)).bind(4, a.updated_at_ms);
  return run(db, s, "put asset");
}

Status apply_op(Conn* db, const DeleteAsset& op) {
  Stmt s(db, "DELETE FROM assets WHERE id=?");
  s.bind(1, op.id);
  ATIO_RETURN_IF_ERROR(run(db, s, "delete asset"));
  if (db->changes() == 0) return Status(Code::kNotFound, "asset " + op.id + " not found");
  return Status();
}

Status apply_op(Conn* db, const PutSetting& op) {
  Stmt s(db,
         "INSERT INTO settings(name, document, updated_at) VALUES(?,?,?)"
         " ON CONFLICT(name) DO UPDATE SET document=excluded.document,"
         " updated_at=excluded.updated_at");
  s.bind(1, op.name).bind(2, bj::serialize(op.document)).bind(3, op.updated_at_ms);
  return run(db, s, "put setting");
}

Status apply_op(Conn* db, const RecordSighting& op) {
  // The same occurrence counted again (a step run again after a crash)
  // changes nothing; STIX timestamps of one precision order as text.
  // Scalar min/max of two values: min()/max() in SQLite, LEAST/GREATEST in
  // PostgreSQL.
  const bool lite = db->dialect() == Dialect::kSqlite;
  const std::string sql =
      std::string("INSERT INTO sightings(detection_id, first_seen, last_seen, count, asset_id,"
                  " importance, last_occurrence) VALUES(?1,?2,?2,1,?3,?4,?5)"
                  " ON CONFLICT(detection_id) DO UPDATE SET"
                  " first_seen=CASE WHEN sightings.last_occurrence=excluded.last_occurrence"
                  "   AND excluded.last_occurrence<>'' THEN sightings.first_seen ELSE ") +
      (lite ? "min" : "LEAST") +
      "(sightings.first_seen, excluded.first_seen) END,"
      " last_seen=CASE WHEN sightings.last_occurrence=excluded.last_occurrence"
      "   AND excluded.last_occurrence<>'' THEN sightings.last_seen ELSE " +
      (lite ? "max" : "GREATEST") +
      "(sightings.last_seen, excluded.last_seen) END,"
      " count=sightings.count + (CASE WHEN sightings.last_occurrence=excluded.last_occurrence AND"
      "   excluded.last_occurrence<>'' THEN 0 ELSE 1 END),"
      " asset_id=excluded.asset_id, importance=excluded.importance,"
      " last_occurrence=excluded.last_occurrence";
  Stmt s(db, sql.c_str());
  s.bind(1, op.detection_id).bind(2, op.time).bind(3, op.asset_id).bind(4, op.importance)
      .bind(5, op.occurrence);
  return run(db, s, "record sighting");
}

Status apply_op(Conn* db, const SetExternalId& op) {
  // The same JSON edit in each dialect: external_ids[tool] = id.
  Stmt s(db, db->dialect() == Dialect::kSqlite
                 ? "UPDATE sightings SET external_ids=json_set(external_ids, '$.' || json_quote(?1), ?2)"
                   " WHERE detection_id=?3"
                 : "UPDATE sightings SET external_ids=jsonb_set(external_ids::jsonb, ARRAY[?1::text],"
                   " to_jsonb(?2::text))::text WHERE detection_id=?3");
  s.bind(1, op.tool).bind(2, op.id).bind(3, op.detection_id);
  ATIO_RETURN_IF_ERROR(run(db, s, "set external id"));
  if (db->changes() == 0) {
    return Status(Code::kNotFound, "no detection " + op.detection_id);
  }
  return Status();
}

Result<std::vector<AssetRecord>> list_assets(Conn* db) {
  Stmt s(db, (std::string(kSelectAsset) + " ORDER BY name, id").c_str());
  return query<AssetRecord>(db, s, "list assets", read_asset);
}

Result<std::optional<AssetRecord>> get_asset(Conn* db, const std::string& id) {
  Stmt s(db, (std::string(kSelectAsset) + " WHERE id=?").c_str());
  s.bind(1, id);
  return first(query<AssetRecord>(db, s, "get asset", read_asset));
}

Result<std::optional<bj::value>> get_setting(Conn* db, const std::string& name) {
  Stmt s(db, "SELECT document FROM settings WHERE name=?");
  s.bind(1, name);
  auto rows = query<std::string>(db, s, "get setting", [](Stmt& st) { return st.text(0); });
  if (!rows.is_ok()) return rows.status();
  if (rows->empty()) return std::optional<bj::value>();
  boost::system::error_code ec;
  bj::value v = bj::parse(rows->front(), ec);
  if (ec) return Status(Code::kIo, "setting " + name + " is not JSON: " + ec.message());
  return std::optional<bj::value>(std::move(v));
}

constexpr const char* kSelectSighting =
    "SELECT detection_id, first_seen, last_seen, count, asset_id, importance,"
    " last_occurrence, external_ids FROM sightings";

Result<std::vector<SightingRecord>> recent_sightings(Conn* db, const std::string& since,
                                                     std::int64_t limit) {
  Stmt s(db, (std::string(kSelectSighting) +
              " WHERE last_seen>=? ORDER BY last_seen DESC, detection_id LIMIT ?").c_str());
  s.bind(1, since).bind(2, limit);
  return query<SightingRecord>(db, s, "recent sightings", read_sighting);
}

Result<std::optional<SightingRecord>> get_sighting(Conn* db, const std::string& detection_id) {
  Stmt s(db, (std::string(kSelectSighting) + " WHERE detection_id=?").c_str());
  s.bind(1, detection_id);
  return first(query<SightingRecord>(db, s, "get sighting", read_sighting));
}

Result<std::vector<std::int64_t>> asset_importances(Conn* db, const std::string& asset_id,
                                                    const std::string& since) {
  Stmt s(db, "SELECT importance FROM sightings WHERE asset_id=? AND last_seen>=?");
  s.bind(1, asset_id).bind(2, since);
  return query<std::int64_t>(db, s, "asset importances", [](Stmt& st) { return st.int64(0); });
}

}  // namespace atio::store::sql
