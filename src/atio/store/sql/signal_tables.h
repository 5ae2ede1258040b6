// The SQL (both backends, conn.h) for requests that reach a node other than
// the one running the execution: manual waits every node lists and signals
// the owner applies (store.h ManualWaitRecord, SignalRecord). REQUIRES for
// every function: the caller holds the lock that serialises use of `db`.
#pragma once

#include <optional>
#include <vector>

#include "atio/store/sql/conn.h"
#include "atio/store/store.h"

namespace atio::store::sql {

Status apply_op(Conn* db, const PutManualWait& op);
Status apply_op(Conn* db, const DeleteManualWait& op);
Status apply_op(Conn* db, const SendSignal& op);
Status apply_op(Conn* db, const FinishSignal& op);
Status apply_op(Conn* db, const PruneSignals& op);

Result<std::vector<ManualWaitRecord>> list_manual_waits(Conn* db, const std::string& execution_id);
Result<std::vector<SignalRecord>> pending_signals(Conn* db, const std::string& owner);
Result<std::optional<SignalRecord>> get_signal(Conn* db, const std::string& id);

}  // namespace atio::store::sql
