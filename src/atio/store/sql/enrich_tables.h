// The SQL (both backends, conn.h) for the enrichment knowledge (assets, settings,
// sightings). The writer applies the write ops inside its transaction;
// readers call the queries on the read connection. REQUIRES for every
// function: the caller holds the lock that serialises use of `db`.
#pragma once

#include "atio/store/sql/conn.h"

#include <optional>
#include <string>
#include <vector>

#include "atio/store/store.h"

namespace atio::store::sql {

Status apply_op(Conn* db, const PutAsset& op);
Status apply_op(Conn* db, const DeleteAsset& op);
Status apply_op(Conn* db, const PutSetting& op);
Status apply_op(Conn* db, const RecordSighting& op);
Status apply_op(Conn* db, const SetExternalId& op);

Result<std::vector<AssetRecord>> list_assets(Conn* db);
Result<std::optional<AssetRecord>> get_asset(Conn* db, const std::string& id);
Result<std::optional<bj::value>> get_setting(Conn* db, const std::string& name);
Result<std::optional<SightingRecord>> get_sighting(Conn* db, const std::string& detection_id);
Result<std::vector<SightingRecord>> recent_sightings(Conn* db, const std::string& since,
                                                     std::int64_t limit);
Result<std::vector<std::int64_t>> asset_importances(Conn* db, const std::string& asset_id,
                                                    const std::string& since);

}  // namespace atio::store::sql
