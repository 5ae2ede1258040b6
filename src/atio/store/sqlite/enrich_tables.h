// SQLite statements for the enrichment knowledge (assets, settings,
// sightings). The writer applies the write ops inside its transaction;
// readers call the queries on the read connection. REQUIRES for every
// function: the caller holds the lock that serialises use of `db`.
#pragma once

#include <sqlite3.h>

#include <optional>
#include <string>
#include <vector>

#include "atio/store/store.h"

namespace atio::store::sqlite {

Status apply_op(sqlite3* db, const PutAsset& op);
Status apply_op(sqlite3* db, const DeleteAsset& op);
Status apply_op(sqlite3* db, const PutSetting& op);
Status apply_op(sqlite3* db, const RecordSighting& op);
Status apply_op(sqlite3* db, const SetExternalId& op);

Result<std::vector<AssetRecord>> list_assets(sqlite3* db);
Result<std::optional<AssetRecord>> get_asset(sqlite3* db, const std::string& id);
Result<std::optional<bj::value>> get_setting(sqlite3* db, const std::string& name);
Result<std::optional<SightingRecord>> get_sighting(sqlite3* db, const std::string& detection_id);
Result<std::vector<SightingRecord>> recent_sightings(sqlite3* db, const std::string& since,
                                                     std::int64_t limit);
Result<std::vector<std::int64_t>> asset_importances(sqlite3* db, const std::string& asset_id,
                                                    const std::string& since);

}  // namespace atio::store::sqlite
