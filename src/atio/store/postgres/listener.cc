#include "atio/store/postgres/listener.h"

#include <libpq-fe.h>
#include <poll.h>

#include <thread>

#include "atio/store/postgres/conn.h"

namespace atio::store::postgres {

namespace {

// A channel name as an SQL identifier: "atio_nodes" → "atio_nodes" quoted.
std::string quoted(const std::string& name) {
  std::string q = "\"";
  for (char c : name) {
    if (c == '"') q += '"';
    q += c;
  }
  return q + "\"";
}

class PgListener final : public Listener {
 public:
  PgListener(std::unique_ptr<PgConn> db, std::vector<std::string> channels)
      : db_(std::move(db)), channels_(std::move(channels)) {}

  Status listen_all() {
    for (const auto& c : channels_) {
      ATIO_RETURN_IF_ERROR(db_->exec(("LISTEN " + quoted(c)).c_str()));
    }
    return Status();
  }

  Result<std::vector<std::string>> wait(std::chrono::milliseconds timeout) override {
    if (!db_->connected()) {
      const auto now = std::chrono::steady_clock::now();
      if (now < next_reconnect_ || !db_->reconnect() || !listen_all().is_ok()) {
        next_reconnect_ = std::max(next_reconnect_, now + std::chrono::milliseconds(500));
        std::this_thread::sleep_for(timeout);
        return Status(Code::kUnavailable, "listening for other nodes: " + db_->error());
      }
    }
    PGconn* c = db_->native();
    std::vector<std::string> out;
    drain(c, &out);
    if (!out.empty()) return out;
    pollfd p{PQsocket(c), POLLIN, 0};
    const int ready = ::poll(&p, 1, static_cast<int>(timeout.count()));
    if (ready > 0) {
      if (PQconsumeInput(c) == 0 || PQstatus(c) != CONNECTION_OK) {
        return Status(Code::kUnavailable, "listening for other nodes: the connection closed");
      }
      drain(c, &out);
    }
    return out;
  }

 private:
  static void drain(PGconn* c, std::vector<std::string>* out) {
    while (PGnotify* n = PQnotifies(c)) {
      out->push_back(n->relname);
      PQfreemem(n);
    }
  }

  std::unique_ptr<PgConn> db_;
  std::vector<std::string> channels_;
  std::chrono::steady_clock::time_point next_reconnect_{};
};

}  // namespace

Result<std::unique_ptr<Listener>> open_listener(const std::string& conninfo,
                                                const std::vector<std::string>& channels) {
  ATIO_ASSIGN_OR_RETURN(auto db, PgConn::connect(conninfo));
  auto l = std::make_unique<PgListener>(std::move(db), channels);
  ATIO_RETURN_IF_ERROR(l->listen_all());
  return std::unique_ptr<Listener>(std::move(l));
}

}  // namespace atio::store::postgres
